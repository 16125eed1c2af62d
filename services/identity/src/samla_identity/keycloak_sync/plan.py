"""What a sync would change: the wanted directory compared with what Samla holds. Pure apart from two reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_identity.imports import values
from samla_identity.keycloak_sync.mapping import Issue, Wanted, issue
from samla_identity.orgunits.schemas import OrgUnitIn
from samla_identity.people.models import OrgUnit, Person
from samla_identity.people.schemas import PersonIn

SOURCE = "keycloak"


@dataclass(frozen=True)
class PersonChange:
    data: PersonIn
    active: bool
    outcome: Literal["created", "updated"]
    changes: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class UnitChange:
    data: OrgUnitIn
    outcome: Literal["created", "moved", "updated"]
    old_parent_id: str | None = None


@dataclass
class Plan:
    units: list[UnitChange] = field(default_factory=list)  # parents first, so each parent exists in time
    people: list[PersonChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivate: list[Person] = field(default_factory=list)
    missing: list[Person] = field(default_factory=list)  # active Keycloak people not listed: leavers to confirm
    skipped: list[str] = field(default_factory=list)  # disabled in Keycloak and never in Samla
    issues: list[Issue] = field(default_factory=list)


def make(*, session: Session, wanted: Wanted, gone: set[str] | None = None) -> Plan:
    """Compares `wanted` with the database. People in `missing` are deactivated only when in `gone` (confirmed)."""
    plan = Plan(issues=list(wanted.issues))
    units = {u.id: u for u in session.scalars(select(OrgUnit))}
    for unit in wanted.units:
        current = units.get(unit.id)
        if current is None:
            plan.units.append(UnitChange(unit, "created"))
        elif current.parent_id != unit.parent_id:
            plan.units.append(UnitChange(unit, "moved", current.parent_id))
        elif (current.name, current.kind) != (unit.name, unit.kind):
            plan.units.append(UnitChange(unit, "updated", current.parent_id))
    people = {p.id: p for p in session.scalars(select(Person))}
    for want in wanted.people:
        person = people.get(want.data.id)
        if not want.enabled:
            if person is None:
                plan.skipped.append(want.data.id)
            elif person.active:
                plan.deactivate.append(person)
            else:
                plan.unchanged.append(person.id)
            continue
        data = want.data
        if want.keep_manager:
            data = data.model_copy(update={"manager_id": person.manager_id if person else None})
        if person is None:
            plan.people.append(PersonChange(data, True, "created", {}))
        elif diff := values.person_changes(person, data):
            plan.people.append(PersonChange(data, True, "updated", diff))
        else:
            plan.unchanged.append(person.id)
    missing = [p for p in people.values() if p.source == SOURCE and p.active and p.id not in wanted.listed_ids]
    if missing and not wanted.listed_ids:
        # An empty listing is far likelier a wrong realm or a missing permission than everyone leaving at once.
        plan.issues.append(issue("kc_no_users"))
        return plan
    plan.missing = missing
    plan.deactivate.extend(p for p in missing if gone is None or p.id in gone)
    return plan
