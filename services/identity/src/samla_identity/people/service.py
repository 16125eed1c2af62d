"""The directory of people: create, change, deactivate, read. Every change publishes identity.person.v1.

Directory sources (the API, SCIM, the Keycloak sync, spreadsheet imports) all go through `upsert` and
`deactivate`, so each change is versioned, its placement history kept and its event written in the same
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from samla_common.errors import DomainError, NotFound
from samla_identity import events
from samla_identity.people.models import OrgUnit, Person, PersonPlacement
from samla_identity.people.schemas import PersonIn

Outcome = Literal["created", "updated", "unchanged"]
PLACEMENT_FIELDS = ("org_unit_id", "manager_id", "level", "title")


@dataclass(frozen=True)
class UpsertResult:
    person: Person
    outcome: Outcome


def get(*, session: Session, person_id: str) -> Person:
    """Gets one person by id (the IdP's sub)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person with id {person_id!r}.")
    return person


def search(*, session: Session, query: str = "", limit: int = 50, offset: int = 0) -> list[Person]:
    """Finds people by name or e-mail, ordered by name."""
    stmt = select(Person).order_by(Person.name, Person.id).limit(limit).offset(offset)
    if query:
        like = f"%{query.lower()}%"
        stmt = stmt.where(or_(Person.name.ilike(like), Person.email.ilike(like)))
    return list(session.scalars(stmt))


def upsert(*, session: Session, data: PersonIn, source: str = "api", active: bool = True) -> UpsertResult:
    """Creates or updates a person and publishes the change; an identical write changes nothing."""
    if data.org_unit_id and session.get(OrgUnit, data.org_unit_id) is None:
        raise DomainError(f"Org unit {data.org_unit_id!r} does not exist.",
                          errors=[{"field": "org_unit_id", "message": "unknown org unit"}])
    if data.manager_id == data.id:
        raise DomainError("A person cannot be their own manager.",
                          errors=[{"field": "manager_id", "message": "same as the person"}])
    now = datetime.now(UTC)
    person = session.get(Person, data.id, with_for_update=True)
    values: dict[str, Any] = {**data.model_dump(exclude={"id"}), "active": active}
    if person is None:
        person = Person(id=data.id, created_at=now, updated_at=now, source=source, version=1, **values)
        session.add(person)
        _start_placement(session, person, now)
        outcome: Outcome = "created"
    else:
        changed = {k: v for k, v in values.items() if getattr(person, k) != v}
        if not changed:
            return UpsertResult(person, "unchanged")
        if any(k in changed for k in PLACEMENT_FIELDS):
            _end_placement(session, person.id, now)
            for key, value in changed.items():
                setattr(person, key, value)
            _start_placement(session, person, now)
        for key, value in changed.items():
            setattr(person, key, value)
        person.version += 1
        person.updated_at = now
        person.source = source
        outcome = "updated"
    session.flush()
    events.writer.add(session, topic=events.PERSON_TOPIC, type=events.PERSON_UPSERTED, key=person.id,
                      data=person_event(person))
    return UpsertResult(person, outcome)


def deactivate(*, session: Session, person_id: str, source: str = "api") -> Person:
    """Marks a person as gone from the organisation (kept for history) and publishes it."""
    person = get(session=session, person_id=person_id)
    if not person.active:
        return person
    now = datetime.now(UTC)
    person.active = False
    person.version += 1
    person.updated_at = now
    person.source = source
    _end_placement(session, person.id, now)
    session.flush()
    events.writer.add(session, topic=events.PERSON_TOPIC, type=events.PERSON_DEACTIVATED, key=person.id,
                      data={"id": person.id, "deactivated_at": _iso(now)})
    return person


def placement_at(*, session: Session, person_id: str, when: datetime) -> PersonPlacement | None:
    """Where the person was placed at `when` (for past events)."""
    return session.scalars(
        select(PersonPlacement).where(PersonPlacement.person_id == person_id, PersonPlacement.valid_from <= when,
                                      or_(PersonPlacement.valid_to.is_(None), PersonPlacement.valid_to > when))
        .order_by(PersonPlacement.valid_from.desc())).first()


def _start_placement(session: Session, person: Person, now: datetime) -> None:
    session.add(PersonPlacement(person_id=person.id, org_unit_id=person.org_unit_id, manager_id=person.manager_id,
                                level=person.level, title=person.title, valid_from=now))


def _end_placement(session: Session, person_id: str, now: datetime) -> None:
    session.execute(update(PersonPlacement)
                    .where(PersonPlacement.person_id == person_id, PersonPlacement.valid_to.is_(None))
                    .values(valid_to=now))


def person_event(person: Person) -> dict[str, Any]:
    """The event payload for a person (contracts/events/se.samla.identity.person.upserted.v1)."""
    return {
        "id": person.id, "name": person.name, "email": person.email, "title": person.title,
        "level": person.level, "org_unit_id": person.org_unit_id, "manager_id": person.manager_id,
        "location": person.location, "languages": list(person.languages or []), "active": person.active,
        "updated_at": _iso(person.updated_at),
    }


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat().replace("+00:00", "Z")
