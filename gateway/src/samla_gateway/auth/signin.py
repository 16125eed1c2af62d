"""The sign-in page: the municipality's sign-in button (OIDC), or with SAMLA_AUTH=dev a list of demo people.

Dev sign-in asks identity to mint a token for the chosen person (`POST /dev/sign-in`, services only); the
settings refuse SAMLA_AUTH=dev when SAMLA_ENV=production.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_common.auth import ServiceTokenSource
from samla_common.errors import Unauthenticated
from samla_contracts.proto.samla.identity.v1 import identity_pb2 as pb
from samla_gateway.auth.access import CsrfChecked
from samla_gateway.auth.flow import begin_session, safe_next
from samla_gateway.auth.oidc import tokens_from
from samla_gateway.auth.viewer import from_bearer
from samla_gateway.config import Settings
from samla_gateway.directory import Directory
from samla_gateway.errors import N_, IdentityUnavailable, not_found
from samla_gateway.web import render

router = APIRouter(tags=["sign-in"], include_in_schema=False)

# `?fel=` codes → what the sign-in page says.
ERRORS = {
    "state": N_("The sign-in took too long or was started in another tab. Please sign in again."),
    "idp": N_("The municipality's sign-in service did not let you in. Please try again."),
    "token": N_("The answer from the sign-in service could not be verified. Please try again."),
    "okand": N_("That person is not in the directory."),
    "inaktiv": N_("That person is no longer active in the directory."),
}


@dataclass
class Group:
    name: str
    people: list[pb.Person] = field(default_factory=list)


@router.get("/logga-in", response_class=HTMLResponse, summary="The sign-in page. Anyone.")
async def sign_in_page(request: Request, next: str = "/", q: str = "", fel: str = "") -> HTMLResponse:
    settings: Settings = request.app.state.settings
    context = {"next": safe_next(next), "q": q, "error": ERRORS.get(fel, "")}
    if settings.auth_mode != "dev":
        return render(request, "sign_in.html", context)
    groups = await _demo_people(request.app.state.directory, q.strip())
    return render(request, "dev_sign_in.html", context | {"groups": groups,
                                                          "matches": sum(len(g.people) for g in groups)})


@router.post("/logga-in", summary="Dev sign-in as the chosen demo person. Anyone (CSRF token; SAMLA_AUTH=dev only).")
async def dev_sign_in(request: Request, person_id: Annotated[str, Form(max_length=200)] = "",
                      next: Annotated[str, Form()] = "/", _: None = CsrfChecked) -> Response:
    settings: Settings = request.app.state.settings
    if settings.auth_mode != "dev":
        raise not_found()
    tokens: ServiceTokenSource = request.app.state.service_tokens
    client: httpx.AsyncClient = request.app.state.http
    try:
        service_token = await asyncio.to_thread(tokens.token)
        resp = await client.post(f"{settings.service_url('identity')}/dev/sign-in", json={"person_id": person_id},
                                 headers={"authorization": f"Bearer {service_token}"})
    except httpx.HTTPError as exc:
        raise IdentityUnavailable(type(exc).__name__) from exc
    if resp.status_code in (404, 422):
        return _back(next, "okand")
    if resp.status_code == 401:
        return _back(next, "inaktiv")
    if resp.status_code != 200:
        raise IdentityUnavailable(f"HTTP {resp.status_code}")
    body = resp.json()
    try:
        viewer = await from_bearer(request.app, str(body["access_token"]))
    except Unauthenticated as exc:
        raise IdentityUnavailable(exc.detail) from exc
    response = RedirectResponse(safe_next(next), status_code=303)
    await begin_session(request, response, sub=viewer.principal.sub, sid="", tokens=tokens_from(body))
    return response


def _back(next_path: str, reason: str) -> RedirectResponse:
    return RedirectResponse(f"/logga-in?{urlencode({'next': safe_next(next_path), 'fel': reason})}",
                            status_code=303)


async def _demo_people(directory: Directory, query: str) -> list[Group]:
    """Active people matching `query` (name, title or e-mail), grouped by förvaltning or bolag."""
    people, units = await asyncio.gather(directory.everyone(), directory.org_tree())
    by_id = {u.id: u for u in units}

    def top_unit(unit_id: str) -> str:
        unit = by_id.get(unit_id)
        seen = 0
        while unit is not None and unit.parent_id and by_id.get(unit.parent_id) is not None and seen < 50:
            parent = by_id[unit.parent_id]
            if not parent.parent_id:  # the parent is the kommunkoncern: `unit` is a förvaltning or bolag
                return unit.name
            unit, seen = parent, seen + 1
        return unit.name if unit is not None else ""

    needle = query.casefold()
    groups: dict[str, Group] = {}
    for person in people:
        if needle and needle not in f"{person.name} {person.title} {person.email}".casefold():
            continue
        name = top_unit(person.org_unit_id)
        groups.setdefault(name, Group(name)).people.append(person)
    return sorted(groups.values(), key=lambda g: (g.name == "", g.name))
