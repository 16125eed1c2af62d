"""The directory of people: create, change, read. Every change publishes identity.person.v1 via the outbox."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from samla_common.errors import DomainError, NotFound
from samla_identity import events
from samla_identity.people.models import OrgUnit, Person
from samla_identity.people.schemas import PersonIn


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


def upsert(*, session: Session, data: PersonIn) -> tuple[Person, bool]:
    """Creates or updates a person and publishes the change; returns (person, created)."""
    if data.org_unit_id and session.get(OrgUnit, data.org_unit_id) is None:
        raise DomainError(f"Org unit {data.org_unit_id!r} does not exist.",
                          errors=[{"field": "org_unit_id", "message": "unknown org unit"}])
    now = datetime.now(UTC)
    person = session.get(Person, data.id, with_for_update=True)
    created = person is None
    if person is None:
        person = Person(id=data.id, created_at=now, active=True)
        session.add(person)
    for field, value in data.model_dump(exclude={"id"}).items():
        setattr(person, field, value)
    person.updated_at = now
    session.flush()
    events.writer.add(session, topic=events.PERSON_TOPIC, type=events.PERSON_UPSERTED, key=person.id,
                      data=person_event(person))
    return person, created


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
