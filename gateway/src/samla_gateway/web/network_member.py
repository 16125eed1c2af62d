""""Mitt nätverk" for every manager, phone first: my networks, the other members and what each chose to share,
the suggested first meeting (with an .ics file), the meeting log, "did you meet?" per month, and leaving.
The network service answers about the signed-in person only (`/me/networks`)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from babel.dates import format_date
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import CsrfChecked, Person
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_
from samla_gateway.web import STOCKHOLM, i18n, network_api, network_ics, network_pulses, render
from samla_gateway.web.network_api import group_path

router = APIRouter(tags=["web"], include_in_schema=False)
DONE = {"traff": N_("The meeting is in the log. Thank you!"), "svar": N_("Thank you for answering."),
        "lamnat": N_("You have left the network.")}


async def my_networks(request: Request, viewer: Viewer) -> list[dict[str, Any]]:
    resp = await network_api.call(request, viewer, "GET", "/me/networks")
    resp.raise_for_status()
    return list(resp.json())


def periods(today: date, lang: str) -> list[tuple[str, str]]:
    """This month and the two before it, as (period, "november 2026")."""
    out = []
    year, month = today.year, today.month
    for _ in range(3):
        out.append((f"{year:04d}-{month:02d}", str(format_date(date(year, month, 1), "LLLL y", locale=lang))))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out


@router.get("/mitt-natverk", response_class=HTMLResponse, summary="My leadership networks. Any signed-in person.")
async def mine(request: Request, viewer: Person) -> HTMLResponse:
    networks, pulses = await asyncio.gather(my_networks(request, viewer), network_pulses.for_member(request, viewer))
    return render(request, "network/mine.html", {"networks": networks, "pulses": pulses,
                                                 "done": DONE.get(request.query_params.get("klart", ""), "")})


async def page(request: Request, viewer: Viewer, group_id: str, *, status: int = 200, **extra: Any) -> Response:
    group = next((g for g in await my_networks(request, viewer) if g["id"] == group_id), None)
    if group is None:
        if viewer.is_admin:  # the admin's view of someone else's network
            return RedirectResponse(f"/natverk/grupper/{quote(group_id, safe='')}", status_code=303)
        raise network_api.group_not_found()
    me = viewer.principal.sub
    challenges = await network_api.challenge_labels(request, viewer)
    lang = request.state.lang
    answered = {c["period"]: c["met"] for c in group["my_check_ins"]}
    context = {"group": group, "me": me, "others": [m for m in group["members"] if m["person_id"] != me],
               "names": {m["person_id"]: m["name"] for m in group["members"]}, "answered": answered,
               "periods": periods(datetime.now(STOCKHOLM).date(), lang), "today": datetime.now(STOCKHOLM).date(),
               "challenges": challenges, "share_fields": network_api.SHARE_FIELDS, "languages": network_api.LANGUAGES,
               "slots": network_api.SLOTS, "done": DONE.get(request.query_params.get("klart", ""), "")}
    return render(request, "network/group.html", context | extra, status=status)


@router.get("/natverk/{group_id}", response_class=HTMLResponse,
            summary="One of my networks (the link in the welcome mail). Any signed-in person (a member; admins are "
                    "sent to the admin view).")
async def show(request: Request, group_id: str, viewer: Person) -> Response:
    return await page(request, viewer, group_id)


@router.get("/natverk/{group_id}/forsta-traffen.ics", summary="The suggested first meeting as a calendar file. "
            "Any signed-in person (a member).")
async def calendar_file(request: Request, group_id: str, viewer: Person) -> Response:
    group = next((g for g in await my_networks(request, viewer) if g["id"] == group_id), None)
    if group is None or not group.get("first_meeting_at"):
        raise network_api.group_not_found()
    gettext = i18n.translations(request.state.lang).gettext
    starts = datetime.fromisoformat(group["first_meeting_at"].replace("Z", "+00:00"))
    if starts.tzinfo is None:
        starts = starts.replace(tzinfo=UTC)
    body = network_ics.first_meeting(
        group_id=group_id, summary=gettext("First meeting: %(name)s") % {"name": group["name"]},
        description=gettext("A suggested first meeting of your leadership network. Members:"),
        starts=starts, url=str(request.url_for("show", group_id=group_id)),
        attendees=[m["name"] for m in group["members"]], now=datetime.now(UTC))
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="forsta-traffen.ics"'})


def back(group_id: str, done: str, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/natverk/{quote(group_id, safe='')}?klart={done}#{anchor}", status_code=303)


@router.post("/natverk/{group_id}/traffar", response_class=HTMLResponse,
             summary="Log a meeting of my network. Any signed-in person (a member; CSRF token).")
async def record_meeting(request: Request, group_id: str, viewer: Person, _: None = CsrfChecked) -> Response:
    form = await request.form()
    held_on, note = str(form.get("held_on", "")).strip(), str(form.get("note", "")).strip()
    attendees = [str(a) for a in form.getlist("attendees")]
    errors: dict[str, str] = {}
    try:
        if date.fromisoformat(held_on) > datetime.now(STOCKHOLM).date():
            errors["held_on"] = N_("Log a meeting that has taken place: the date cannot be in the future.")
    except ValueError:
        errors["held_on"] = N_("Give the date of the meeting, e.g. 2027-01-19.")
    if len(note) > 2000:
        errors["note"] = N_("Keep the note under 2,000 characters.")
    if not attendees:
        errors["attendees"] = N_("Tick who took part.")
    typed = {"held_on": held_on, "note": note, "attendees": attendees}
    if errors:
        return await page(request, viewer, group_id, status=400, errors=errors, typed=typed)
    resp = await network_api.call(request, viewer, "POST", group_path(group_id, "/meetings"), answers_403=True,
                                  json={"held_on": held_on, "note": note, "attendees": attendees})
    if resp.status_code != 201:
        return await page(request, viewer, group_id, status=network_api.status_code_for(resp), typed=typed,
                          error=N_("The meeting could not be logged."), detail=network_api.message(resp, request))
    return back(group_id, "traff", "traffar")


@router.post("/natverk/{group_id}/avstamning", response_class=HTMLResponse,
             summary="Answer \"did your network meet?\" for a month. Any signed-in person (a member; CSRF token).")
async def check_in(request: Request, group_id: str, viewer: Person, period: Annotated[str, Form()] = "",
                   met: Annotated[str, Form()] = "", _: None = CsrfChecked) -> Response:
    if met not in ("yes", "no") or not period:
        return await page(request, viewer, group_id, status=400, check_error=N_("Answer yes or no."))
    resp = await network_api.call(request, viewer, "PUT", group_path(group_id, "/check-ins/mine"), answers_403=True,
                                  json={"period": period, "met": met == "yes"})
    if resp.status_code != 200:
        return await page(request, viewer, group_id, status=network_api.status_code_for(resp),
                          check_error=N_("Your answer could not be saved."))
    return back(group_id, "svar", "avstamning")


@router.post("/natverk/{group_id}/lamna", response_class=HTMLResponse,
             summary="Leave one of my networks. Any signed-in person (a member; CSRF token).")
async def leave(request: Request, group_id: str, viewer: Person, confirm: Annotated[str, Form()] = "",
                _: None = CsrfChecked) -> Response:
    if confirm != "yes":
        return await page(request, viewer, group_id, status=400,
                          leave_error=N_("Tick the box to confirm that you want to leave."))
    resp = await network_api.call(request, viewer, "POST", group_path(group_id, "/leave"), answers_403=True)
    if resp.status_code != 200:
        return await page(request, viewer, group_id, status=network_api.status_code_for(resp),
                          leave_error=N_("You could not leave the network."))
    return RedirectResponse("/mitt-natverk?klart=lamnat", status_code=303)
