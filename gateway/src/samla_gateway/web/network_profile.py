"""My network profile: the challenges I pick from the list, in my own words, languages, times that suit me,
where I can meet, whether I take part at all, and what the others in my networks may see. Any signed-in person;
the network service keeps the profile (`/me/profile`)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import CsrfChecked, Person
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_
from samla_gateway.web import network_api, render

router = APIRouter(tags=["web"], include_in_schema=False)
MAX_CHALLENGES = 8


async def page(request: Request, viewer: Viewer, *, values: dict[str, Any] | None = None, status: int = 200,
               **extra: Any) -> HTMLResponse:
    options_resp, profile_resp = await asyncio.gather(
        network_api.call(request, viewer, "GET", "/profile/options"),
        network_api.call(request, viewer, "GET", "/me/profile"))
    options_resp.raise_for_status()
    profile_resp.raise_for_status()
    context = {"options": options_resp.json(), "profile": values or profile_resp.json(), "errors": {},
               "share_fields": network_api.SHARE_FIELDS, "languages": network_api.LANGUAGES,
               "slots": network_api.SLOTS,
               "done": N_("Your network profile is saved.") if request.query_params.get("klart") == "sparad" else ""}
    return render(request, "network/profile.html", context | extra, status=status)


@router.get("/mitt-natverk/profil", response_class=HTMLResponse,
            summary="My network profile. Any signed-in person.")
async def show(request: Request, viewer: Person) -> HTMLResponse:
    return await page(request, viewer)


@router.post("/mitt-natverk/profil", response_class=HTMLResponse,
             summary="Save my network profile. Any signed-in person (CSRF token).")
async def save(request: Request, viewer: Person, _: None = CsrfChecked) -> Response:
    form = await request.form()
    years_text = str(form.get("years_as_manager", "")).strip().replace(",", ".")
    body: dict[str, Any] = {
        "challenges": [str(c) for c in form.getlist("challenges")],
        "challenges_text": str(form.get("challenges_text", "")).strip(),
        "languages": [str(c) for c in form.getlist("languages") if c in network_api.LANGUAGES],
        "availability": [str(s) for s in form.getlist("availability") if s in network_api.SLOTS],
        "location": str(form.get("location", "")).strip()[:200] or None,
        "opted_out": form.get("opted_out") == "true",
        "share": [str(f) for f in form.getlist("share") if f in network_api.SHARE_FIELDS]}
    errors: dict[str, str] = {}
    if len(body["challenges"]) > MAX_CHALLENGES:
        errors["challenges"] = N_("Pick at most 8 challenges.")
    if len(body["challenges_text"]) > 500:
        errors["challenges_text"] = N_("Keep it under 500 characters.")
    try:
        body["years_as_manager"] = float(years_text) if years_text else None
        if body["years_as_manager"] is not None and not 0 <= body["years_as_manager"] <= 60:
            raise ValueError(years_text)
    except ValueError:
        errors["years_as_manager"] = N_("Give the years as a number from 0 to 60, e.g. 4.")
        body["years_as_manager"] = years_text
    if not body["languages"]:
        errors["languages"] = N_("Tick at least one language you can meet in.")
    if errors:
        return await page(request, viewer, values=body, errors=errors, status=400)
    resp = await network_api.call(request, viewer, "PUT", "/me/profile", json=body)
    if resp.status_code != 200:
        return await page(request, viewer, values=body, status=400, error=N_("Your profile could not be saved."),
                          detail=network_api.message(resp, request))
    return RedirectResponse("/mitt-natverk/profil?klart=sparad", status_code=303)
