"""The read model of identity.orgunit.v1, and a person's administration (förvaltning or bolag) from it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from samla_common.messaging.consumer import HandlerRegistry
from samla_common.messaging.envelope import Envelope
from samla_common.readmodel import upsert_if_newer
from samla_feedback.db import org_units, people

ORGUNIT_UPSERTED = "se.samla.identity.orgunit.upserted.v1"
ORGUNIT_REMOVED = "se.samla.identity.orgunit.removed.v1"
ADMINISTRATION_KINDS = ("forvaltning", "bolag")


def register_org_unit_handlers(registry: HandlerRegistry, table: Table) -> None:
    """Keeps `table` in step with identity.orgunit.v1."""

    @registry.on(ORGUNIT_UPSERTED)
    def _upserted(session: Session, env: Envelope) -> None:
        d = env.data
        upsert_if_newer(session, table, key=d["id"], sequence=env.sequence, values={
            "name": d["name"], "kind": d["kind"], "parent_id": d.get("parent_id"), "updated_at": datetime.now(UTC)})

    @registry.on(ORGUNIT_REMOVED)
    def _removed(session: Session, env: Envelope) -> None:
        session.execute(delete(table).where(table.c.id == env.data["id"], table.c.source_seq < env.sequence))


def administration_of(*, session: Session, org_unit_id: str | None) -> str:
    """The förvaltning or bolag a unit belongs to (itself included); "" when the tree does not say."""
    seen: set[str] = set()
    current = org_unit_id
    while current and current not in seen:
        seen.add(current)
        row = session.execute(select(org_units.c.kind, org_units.c.parent_id)
                              .where(org_units.c.id == current)).first()
        if row is None:
            return ""
        if row.kind in ADMINISTRATION_KINDS:
            return current
        current = row.parent_id
    return ""


def names_of(*, session: Session, unit_ids: set[str]) -> dict[str, str]:
    """Display names of org units (ids without a known name map to themselves)."""
    if not unit_ids:
        return {}
    rows = session.execute(select(org_units.c.id, org_units.c.name).where(org_units.c.id.in_(unit_ids)))
    found = {r.id: r.name for r in rows}
    return {u: found.get(u, u) for u in unit_ids}


def person_placement(*, session: Session, person_id: str) -> tuple[str, str]:
    """(administration id, level) of a person from the directory read model; ("", "") when unknown."""
    row = session.execute(select(people.c.org_unit_id, people.c.level).where(people.c.id == person_id)).first()
    if row is None:
        return "", ""
    return administration_of(session=session, org_unit_id=row.org_unit_id), row.level or ""


def person_name(*, session: Session, person_id: str) -> str | None:
    return session.execute(select(people.c.name).where(people.c.id == person_id)).scalar_one_or_none()
