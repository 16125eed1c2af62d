"""HTTP API for people (`/people`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from samla_common.auth import ADMIN, SERVICE, CurrentPerson, CurrentPrincipal, Principal, require_roles
from samla_common.deps import SessionDep
from samla_common.errors import DomainError, Forbidden
from samla_identity.people import service
from samla_identity.people.schemas import PersonIn, PersonOut

router = APIRouter(prefix="/people", tags=["people"])
AdminOrService = Annotated[Principal, Depends(require_roles(ADMIN, SERVICE))]


@router.put("/{person_id}", response_model=PersonOut, summary="Create or update a person. Roles: samla-admin.",
            responses={201: {"description": "Created"}, 200: {"description": "Updated"}})
def put_person(person_id: str, body: PersonIn, session: SessionDep, _: AdminOrService,
               response: Response) -> PersonOut:
    if body.id != person_id:
        raise DomainError("The id in the path and in the body differ.",
                          errors=[{"field": "id", "message": "must equal the path id"}])
    result = service.upsert(session=session, data=body)
    response.status_code = 201 if result.outcome == "created" else 200
    return PersonOut.model_validate(result.person)


@router.get("/me", response_model=PersonOut, summary="The signed-in person's own profile. Any signed-in person.")
def get_me(session: SessionDep, principal: CurrentPerson) -> PersonOut:
    return PersonOut.model_validate(service.get(session=session, person_id=principal.sub))


@router.post("/{person_id}/deactivate", response_model=PersonOut,
             summary="Mark a person as gone (kept for history, no longer invited). Roles: samla-admin.")
def deactivate_person(person_id: str, session: SessionDep, _: AdminOrService) -> PersonOut:
    return PersonOut.model_validate(service.deactivate(session=session, person_id=person_id))


@router.get("/{person_id}", response_model=PersonOut,
            summary="One person. Roles: the person themselves, samla-admin, or a service.")
def get_person(person_id: str, session: SessionDep, principal: CurrentPrincipal) -> PersonOut:
    if (principal.sub != person_id or not principal.is_person) and not principal.has_any([ADMIN, SERVICE]):
        raise Forbidden("You can only read your own profile.")
    return PersonOut.model_validate(service.get(session=session, person_id=person_id))


@router.get("", response_model=list[PersonOut], summary="Search the directory. Roles: samla-admin.")
def search_people(session: SessionDep, _: Annotated[Principal, Depends(require_roles(ADMIN))],
                  q: Annotated[str, Query(max_length=200)] = "",
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0) -> list[PersonOut]:
    return [PersonOut.model_validate(p) for p in service.search(session=session, query=q, limit=limit,
                                                                 offset=offset)]
