"""Who may call what: every gateway route depends on one of these (or is open to anyone, said in its summary)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from samla_common.errors import Unauthenticated
from samla_gateway.auth import csrf
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import SignInRequired, forbidden, staff_only

BEARER_REQUIRED = "Sign in first: this endpoint needs a bearer token."


def optional_viewer(request: Request) -> Viewer | None:
    viewer: Viewer | None = request.state.viewer
    return viewer


async def api_caller(request: Request) -> Viewer:
    """Any verified caller: a signed-in person (session or bearer) or a client. Anonymous: 401 problem."""
    viewer = optional_viewer(request)
    if viewer is None:
        raise Unauthenticated(BEARER_REQUIRED)
    return viewer


async def page_person(request: Request) -> Viewer:
    """A signed-in person; anonymous people (and client tokens: nobody behind them) go to sign in and back."""
    viewer = optional_viewer(request)
    if viewer is None or not viewer.principal.is_person:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    return viewer


async def page_admin(viewer: Annotated[Viewer, Depends(page_person)]) -> Viewer:
    """A signed-in person with the role samla-admin (HR's leadership programme)."""
    if not viewer.is_admin:
        raise forbidden()
    return viewer


async def page_staff(viewer: Annotated[Viewer, Depends(page_person)]) -> Viewer:
    """A signed-in person who runs the day: samla-admin or samla-facilitator (the doors, check-in)."""
    if not viewer.is_staff:
        raise staff_only()
    return viewer


ApiCaller = Annotated[Viewer, Depends(api_caller)]
Person = Annotated[Viewer, Depends(page_person)]
Admin = Annotated[Viewer, Depends(page_admin)]
Staff = Annotated[Viewer, Depends(page_staff)]
CsrfChecked = Depends(csrf.check)
