"""HTTP API for org units (`/org-units`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from samla_common.auth import ADMIN, SERVICE, CurrentPerson, Principal, require_roles
from samla_common.deps import SessionDep
from samla_common.errors import DomainError
from samla_identity.orgunits import service
from samla_identity.orgunits.schemas import OrgUnitIn, OrgUnitOut

router = APIRouter(prefix="/org-units", tags=["org units"])


@router.put("/{unit_id}", response_model=OrgUnitOut, summary="Create or change an org unit. Roles: samla-admin.")
def put_org_unit(unit_id: str, body: OrgUnitIn, session: SessionDep, response: Response,
                 _: Annotated[Principal, Depends(require_roles(ADMIN, SERVICE))]) -> OrgUnitOut:
    if body.id != unit_id:
        raise DomainError("The id in the path and in the body differ.",
                          errors=[{"field": "id", "message": "must equal the path id"}])
    unit, created = service.upsert(session=session, data=body)
    response.status_code = 201 if created else 200
    return OrgUnitOut.model_validate(unit)


@router.get("", response_model=list[OrgUnitOut], summary="The org tree as a flat list. Any signed-in person.")
def list_org_units(session: SessionDep, _: CurrentPerson) -> list[OrgUnitOut]:
    return [OrgUnitOut.model_validate(u) for u in service.list_all(session=session)]
