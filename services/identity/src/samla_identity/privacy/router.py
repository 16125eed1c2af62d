"""HTTP API for GDPR requests: `/people/{id}/export` and `/people/{id}/erase`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from samla_common.auth import ADMIN, CurrentPrincipal, Principal, require_roles
from samla_common.deps import SessionDep
from samla_common.errors import Forbidden
from samla_identity.config import get_settings
from samla_identity.privacy import service

router = APIRouter(prefix="/people", tags=["privacy (GDPR)"])


@router.get("/{person_id}/export",
            summary="Everything Samla holds about a person, from every service. Roles: the person, samla-admin.")
def export_person(person_id: str, request: Request, session: SessionDep,
                  principal: CurrentPrincipal) -> dict[str, Any]:
    if (principal.sub != person_id or not principal.is_person) and not principal.has_any([ADMIN]):
        raise Forbidden("You can export your own data; an HR admin can export anyone's on request.")
    return service.export_all(session=session, person_id=person_id, targets=get_settings().privacy_targets(),
                              tokens=request.app.state.service_tokens)


class EraseRequest(BaseModel):
    request_id: str = Field("", max_length=100, description="The case number of the erasure request (diarienummer)")


@router.post("/{person_id}/erase", summary="Erase a person across Samla (GDPR art. 17). Roles: samla-admin.")
def erase_person(person_id: str, body: EraseRequest, session: SessionDep,
                 _: Annotated[Principal, Depends(require_roles(ADMIN))]) -> dict[str, Any]:
    person = service.erase(session=session, person_id=person_id, request_id=body.request_id)
    return {"id": person.id, "erased": True, "message": "Personen är raderad här; övriga tjänster raderar "
            "sina uppgifter när de tar emot händelsen identity.person.erased.v1."}
