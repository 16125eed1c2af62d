"""Read access to the events service's copy of the directory (fed by identity.person.v1)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from samla_common.auth import ADMIN, SERVICE, CurrentPrincipal
from samla_common.deps import SessionDep
from samla_common.errors import Forbidden, NotFound
from samla_events.db import people

router = APIRouter(prefix="/people", tags=["directory"])


class KnownPerson(BaseModel):
    id: str
    name: str
    level: str | None
    org_unit_id: str | None
    manager_id: str | None
    active: bool
    updated_at: datetime


@router.get("/{person_id}", response_model=KnownPerson,
            summary="A person as the events service knows them. Roles: the person, samla-admin, services.")
def get_known_person(person_id: str, session: SessionDep, principal: CurrentPrincipal) -> KnownPerson:
    if (principal.sub != person_id or not principal.is_person) and not principal.has_any([ADMIN, SERVICE]):
        raise Forbidden("You can only read your own entry.")
    row = session.execute(people.select().where(people.c.id == person_id)).mappings().first()
    if row is None:
        raise NotFound(f"The events service does not know person {person_id!r} (yet).")
    return KnownPerson.model_validate(dict(row))
