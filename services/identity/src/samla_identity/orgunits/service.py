"""Org units: the tree kommunkoncern → förvaltning/bolag → avdelning → enhet."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import DomainError
from samla_identity import events
from samla_identity.orgunits.schemas import OrgUnitIn
from samla_identity.people.models import OrgUnit

KINDS = ("kommunkoncern", "forvaltning", "bolag", "avdelning", "enhet")


def upsert(*, session: Session, data: OrgUnitIn) -> tuple[OrgUnit, bool]:
    """Creates or changes an org unit (refusing cycles) and publishes identity.orgunit.v1."""
    if data.kind not in KINDS:
        raise DomainError(f"Unknown kind {data.kind!r}; use one of {', '.join(KINDS)}.",
                          errors=[{"field": "kind", "message": "unknown kind"}])
    if data.parent_id is not None:
        if session.get(OrgUnit, data.parent_id) is None:
            raise DomainError(f"Parent org unit {data.parent_id!r} does not exist.",
                              errors=[{"field": "parent_id", "message": "unknown org unit"}])
        if data.id in ancestors(session=session, unit_id=data.parent_id):
            raise DomainError("That parent would make the org tree circular.",
                              errors=[{"field": "parent_id", "message": "cycle"}])
    unit = session.get(OrgUnit, data.id, with_for_update=True)
    created = unit is None
    if unit is None:
        unit = OrgUnit(id=data.id)
        session.add(unit)
    unit.name, unit.kind, unit.parent_id = data.name, data.kind, data.parent_id
    unit.updated_at = datetime.now(UTC)
    session.flush()
    events.writer.add(session, topic=events.ORGUNIT_TOPIC, type=events.ORGUNIT_UPSERTED, key=unit.id, data={
        "id": unit.id, "name": unit.name, "kind": unit.kind, "parent_id": unit.parent_id,
        "updated_at": unit.updated_at.isoformat().replace("+00:00", "Z")})
    return unit, created


def ancestors(*, session: Session, unit_id: str) -> list[str]:
    """Ids from `unit_id` up to the root (inclusive)."""
    out: list[str] = []
    current: str | None = unit_id
    while current is not None and current not in out:
        out.append(current)
        current = session.execute(select(OrgUnit.parent_id).where(OrgUnit.id == current)).scalar_one_or_none()
    return out


def list_all(*, session: Session) -> list[OrgUnit]:
    """Every org unit, ordered by name."""
    return list(session.scalars(select(OrgUnit).order_by(OrgUnit.name)))
