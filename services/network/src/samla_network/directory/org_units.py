"""The read model of identity.orgunit.v1: a person's administration, and every unit under a unit."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from samla_common.messaging.consumer import HandlerRegistry
from samla_common.messaging.envelope import Envelope
from samla_common.readmodel import upsert_if_newer
from samla_network.db import org_units

ORGUNIT_TOPIC = "identity.orgunit.v1"
ORGUNIT_UPSERTED = "se.samla.identity.orgunit.upserted.v1"
ORGUNIT_REMOVED = "se.samla.identity.orgunit.removed.v1"
ADMINISTRATION_KINDS = ("forvaltning", "bolag")


def register_org_unit_handlers(registry: HandlerRegistry) -> None:
    """Keeps `directory_org_units` in step with identity.orgunit.v1."""

    @registry.on(ORGUNIT_UPSERTED)
    def _upserted(session: Session, env: Envelope) -> None:
        d = env.data
        upsert_if_newer(session, org_units, key=d["id"], sequence=env.sequence, values={
            "name": d["name"], "kind": d["kind"], "parent_id": d.get("parent_id"), "updated_at": datetime.now(UTC)})

    @registry.on(ORGUNIT_REMOVED)
    def _removed(session: Session, env: Envelope) -> None:
        session.execute(delete(org_units).where(org_units.c.id == env.data["id"],
                                                org_units.c.source_seq < env.sequence))


def _tree(session: Session) -> dict[str, tuple[str, str | None, str]]:
    return {r.id: (r.kind, r.parent_id, r.name) for r in session.execute(
        select(org_units.c.id, org_units.c.kind, org_units.c.parent_id, org_units.c.name))}


def administrations(*, session: Session, unit_ids: set[str]) -> dict[str, str]:
    """unit id → name of the förvaltning or bolag above it (itself included). Where the tree has none, the
    highest known unit stands in, so people of one branch still count as one administration."""
    tree = _tree(session)
    out: dict[str, str] = {}
    for unit in unit_ids:
        current, seen = unit, set()
        while current in tree and current not in seen:
            seen.add(current)
            kind, parent, _ = tree[current]
            if kind in ADMINISTRATION_KINDS or not parent or parent not in tree:
                break
            current = parent
        out[unit] = tree[current][2] if current in tree else current
    return out


def subtree(*, session: Session, unit_id: str) -> set[str]:
    """The unit and every unit below it."""
    children: dict[str, list[str]] = {}
    for uid, (_, parent, _) in _tree(session).items():
        if parent:
            children.setdefault(parent, []).append(uid)
    found, todo = {unit_id}, [unit_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
