""""Incheckning" at the doors, for admins and facilitators: find people by name and check them in (or undo),
walk-ins, live counts, and QR codes read by the phone's camera with a queue that survives a lost network
(`static/door.js`, which replays it through `POST /api/events/events/{id}/check-in/batch`)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from samla_gateway import security
from samla_gateway.auth.access import CsrfChecked, Staff
from samla_gateway.auth.viewer import Viewer
from samla_gateway.directory import Directory
from samla_gateway.errors import N_
from samla_gateway.web import events_api, render
from samla_gateway.web.events_api import event_path

router = APIRouter(tags=["web"], include_in_schema=False)
OPEN_STATES = ("invitations_sent", "ongoing")
# errors[0].message of a refused code → what the door is told.
CODE_REFUSALS = {"forged": N_("The code is not valid."), "expired": N_("The code has expired."),
                 "other_event": N_("The code is for another day.")}


@router.get("/incheckning", response_class=HTMLResponse,
            summary="Check-in: choose the day. Roles: samla-admin, samla-facilitator.")
async def choose_day(request: Request, viewer: Staff) -> HTMLResponse:
    resp = await events_api.call(request, viewer, "GET", "/events")
    days = [d for d in events_api.json_or(resp, []) if d["state"] in OPEN_STATES]
    return render(request, "door/choose.html", {"days": sorted(days, key=lambda d: d["date"]),
                                                "state_labels": events_api.STATE_LABELS})


async def door(request: Request, viewer: Viewer, event_id: str, *, q: str = "", new: str = "", entrance: str = "",
               status: int = 200, **extra: Any) -> HTMLResponse:
    q, new = q.strip(), new.strip()
    event, counts = await asyncio.gather(events_api.event(request, viewer, event_id),
                                         events_api.call(request, viewer, "GET",
                                                         event_path(event_id, "/check-in/counts")))
    found = []
    if q:
        resp = await events_api.call(request, viewer, "GET", event_path(event_id, "/attendees"),
                                     params={"q": q, "limit": 30})
        found = events_api.json_or(resp, [])
    walk_ins = await directory_matches(request, new) if new else []
    context = {"event": event, "counts": events_api.json_or(counts, None), "q": q, "new": new, "found": found,
               "walk_ins": walk_ins, "entrance": entrance[:100], "checkin_open": event["state"] in OPEN_STATES}
    response = render(request, "door/door.html", context | extra, status=status)
    response.headers["Permissions-Policy"] = security.CAMERA_PERMISSIONS  # the QR scanner
    return response


async def directory_matches(request: Request, text: str) -> list[dict[str, str]]:
    """Active people whose name contains `text` (at most 20): someone at the door without a registration."""
    directory: Directory = request.app.state.directory
    words = text.lower().split()
    people = [p for p in await directory.everyone() if all(w in p.name.lower() for w in words)]
    return [{"id": p.id, "name": p.name, "title": p.title} for p in sorted(people, key=lambda p: p.name)[:20]]


@router.get("/incheckning/{event_id}", response_class=HTMLResponse,
            summary="The door: search, check in, walk-ins, counts, QR scanner. Roles: samla-admin, samla-facilitator.")
async def door_page(request: Request, event_id: str, viewer: Staff, q: str = "", ny: str = "",
                    entre: str = "") -> HTMLResponse:
    return await door(request, viewer, event_id, q=q, new=ny, entrance=entre)


@router.get("/incheckning/{event_id}/lage", response_class=HTMLResponse,
            summary="Live counts at the door (an htmx fragment). Roles: samla-admin, samla-facilitator.")
async def counts(request: Request, event_id: str, viewer: Staff) -> HTMLResponse:
    resp = await events_api.call(request, viewer, "GET", event_path(event_id, "/check-in/counts"))
    if resp.status_code == 404:
        raise events_api.day_not_found()
    return render(request, "door/_counts.html", {"event_id": event_id, "counts": events_api.json_or(resp, None)})


async def arrival(request: Request, viewer: Viewer, event_id: str, path: str, body: dict[str, Any], *, q: str,
                  entrance: str, done: str) -> HTMLResponse:
    resp = await events_api.call(request, viewer, "POST", event_path(event_id, path), json=body)
    if resp.status_code == 200:
        person = resp.json()
        message = N_("%(name)s was already checked in.") if person["already_checked_in"] and done == "in" else done
        return await door(request, viewer, event_id, q=q, entrance=entrance, arrival=person, done_message=message)
    if resp.status_code == 404 and not (await events_api.call(request, viewer, "GET", event_path(event_id))).is_success:
        raise events_api.day_not_found()
    reason = ""
    if resp.status_code == 422:
        errors = resp.json().get("errors") or [{}]
        reason = CODE_REFUSALS.get(str(errors[0].get("message", "")), "")
    return await door(request, viewer, event_id, q=q, entrance=entrance, status=resp.status_code,
                      error=reason or N_("Check-in did not go through."), detail=events_api.message(resp, request))


@router.post("/incheckning/{event_id}/checka-in", response_class=HTMLResponse,
             summary="Check a person in, by name search or by a typed or scanned code. "
                     "Roles: samla-admin, samla-facilitator (CSRF token).")
async def check_in(request: Request, event_id: str, viewer: Staff, person_id: Annotated[str, Form()] = "",
                   token: Annotated[str, Form()] = "", entrance: Annotated[str, Form()] = "",
                   q: Annotated[str, Form()] = "", _: None = CsrfChecked) -> HTMLResponse:
    token = token.strip()
    if bool(token) == bool(person_id):
        return await door(request, viewer, event_id, q=q, entrance=entrance, status=400,
                          error=N_("Type the code, or search for the person by name."))
    body = {"token": token or None, "person_id": person_id or None, "entrance": entrance.strip()[:100] or None}
    return await arrival(request, viewer, event_id, "/check-in", body, q=q, entrance=entrance,
                         done=N_("%(name)s is checked in."))


@router.post("/incheckning/{event_id}/angra", response_class=HTMLResponse,
             summary="Undo a check-in made by mistake. Roles: samla-admin, samla-facilitator (CSRF token).")
async def undo(request: Request, event_id: str, viewer: Staff, person_id: Annotated[str, Form()] = "",
               entrance: Annotated[str, Form()] = "", q: Annotated[str, Form()] = "",
               _: None = CsrfChecked) -> HTMLResponse:
    return await arrival(request, viewer, event_id, f"/check-in/{quote(person_id, safe='') or '-'}/undo", {}, q=q,
                         entrance=entrance, done=N_("The check-in of %(name)s is undone."))


@router.post("/incheckning/{event_id}/pa-plats", response_class=HTMLResponse,
             summary="Register someone who came without registering and check them in. "
                     "Roles: samla-admin, samla-facilitator (CSRF token).")
async def walk_in(request: Request, event_id: str, viewer: Staff, person_id: Annotated[str, Form()] = "",
                  entrance: Annotated[str, Form()] = "", _: None = CsrfChecked) -> HTMLResponse:
    body = {"person_id": person_id or "-", "entrance": entrance.strip()[:100] or None}
    return await arrival(request, viewer, event_id, "/check-in/walk-in", body, q="", entrance=entrance,
                         done=N_("%(name)s is registered and checked in."))
