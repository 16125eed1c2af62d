"""What every router shares: who may call (role dependencies) and the problem responses in the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path

from samla_common.auth import (
    ADMIN,
    FACILITATOR,
    LEADERSHIP,
    NOT_A_PERSON,
    SERVICE,
    CurrentPrincipal,
    Principal,
    require_roles,
)
from samla_common.errors import Forbidden

Facilitator = Annotated[Principal, Depends(require_roles(FACILITATOR, ADMIN))]
Admin = Annotated[Principal, Depends(require_roles(ADMIN))]
AdminOrService = Annotated[Principal, Depends(require_roles(ADMIN, SERVICE))]
FacilitatorOrService = Annotated[Principal, Depends(require_roles(FACILITATOR, ADMIN, SERVICE))]
Leader = Annotated[Principal, Depends(require_roles(LEADERSHIP, FACILITATOR, ADMIN))]
FollowUpOwner = Annotated[Principal, Depends(require_roles(LEADERSHIP, ADMIN))]
Staff = Annotated[Principal, Depends(require_roles(FACILITATOR, ADMIN, LEADERSHIP))]


async def person_or_service(principal: CurrentPrincipal) -> Principal:
    """A signed-in person, or a Samla service: the gateway fetches the shared live views (the board, the open
    prompts) once with its own token and streams them to everyone watching. Integration clients are refused."""
    if not (principal.is_person or principal.is_service):
        raise Forbidden(NOT_A_PERSON)
    return principal


PersonOrService = Annotated[Principal, Depends(person_or_service)]

ID_PATTERN = r"^[A-Za-z0-9._:\-]+$"
EventId = Annotated[str, Path(min_length=1, max_length=200, pattern=ID_PATTERN, examples=["chefsdag-2026-11"])]
ObjectId = Annotated[str, Path(min_length=1, max_length=36, pattern=ID_PATTERN,
                               examples=["5f0c6f1e-8a53-4d5e-9a43-2f6f1d1c0a11"])]

_EXAMPLES: dict[int, tuple[str, dict[str, Any]]] = {
    401: ("Not signed in", {"type": "about:blank", "title": "Not signed in", "status": 401,
                            "detail": "Sign in first: this endpoint needs a bearer token."}),
    403: ("The caller lacks the role", {"type": "about:blank", "title": "Not allowed", "status": 403,
                                        "detail": "This needs one of the roles: samla-facilitator, samla-admin."}),
    404: ("Unknown id", {"type": "about:blank", "title": "Not found", "status": 404,
                         "detail": "No prompt with id '5f0c6f1e'."}),
    409: ("Not possible in the current state", {"type": "about:blank", "title": "Conflict", "status": 409,
                                                "detail": "The prompt is closed; answers are no longer accepted."}),
    422: ("Invalid input", {"type": "about:blank", "title": "Invalid input", "status": 422,
                            "detail": "choice: not one of the prompt's options",
                            "errors": [{"field": "choice", "message": "not one of the prompt's options"}]}),
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the given problem statuses (401, 403 and 422 for a malformed id or parameter are
    always possible)."""
    wanted = sorted({401, 403, 422, *statuses})
    return {s: {"description": _EXAMPLES[s][0],
                "content": {"application/problem+json": {"example": _EXAMPLES[s][1]}}} for s in wanted}
