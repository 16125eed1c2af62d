"""A chefsdag's registrations and waiting list (give a seat, take off the list) and its exports.

Roles: samla-admin. The export files themselves come from events through the API proxy (`/api/events/...`),
so the links below carry the admin's session and events checks the role again.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import Admin, CsrfChecked
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_
from samla_gateway.web import events_api, render
from samla_gateway.web.events_api import event_path

router = APIRouter(tags=["web"], include_in_schema=False)


async def page(request: Request, viewer: Viewer, event_id: str, *, status: int = 200, **extra: Any) -> HTMLResponse:
    event, regs, queue = await asyncio.gather(
        events_api.event(request, viewer, event_id),
        events_api.call(request, viewer, "GET", event_path(event_id, "/registrations")),
        events_api.call(request, viewer, "GET", event_path(event_id, "/waiting-list")))
    people = sorted(events_api.json_or(regs, []), key=lambda p: (p["status"] != "registered", p["name"]))
    context = {"event": event, "people": people, "waiting": events_api.json_or(queue, None),
               "status_labels": events_api.STATUS_LABELS, "diet_labels": events_api.DIET_LABELS,
               "done": {"plats": N_("The person was given a seat."),
                        "borttagen": N_("The person was taken off the waiting list.")}.get(
                   request.query_params.get("klart", ""), "")}
    return render(request, "events/registrations.html", context | extra, status=status)


@router.get("/chefsdagar/{event_id}/anmalningar", response_class=HTMLResponse,
            summary="Registrations and the waiting list of a chefsdag. Roles: samla-admin.")
async def registrations(request: Request, event_id: str, viewer: Admin) -> HTMLResponse:
    return await page(request, viewer, event_id)


async def waiting_list_step(request: Request, viewer: Viewer, event_id: str, method: str, path: str,
                            done: str) -> Response:
    resp = await events_api.call(request, viewer, method, event_path(event_id, path))
    if resp.status_code == 404 and not (await events_api.call(request, viewer, "GET",
                                                              event_path(event_id))).is_success:
        raise events_api.day_not_found()
    if resp.status_code != 200:
        return await page(request, viewer, event_id, status=409 if resp.status_code == 409 else 400,
                          error=N_("The waiting list could not be changed."),
                          detail=events_api.message(resp, request))
    return RedirectResponse(f"/chefsdagar/{quote(event_id, safe='')}/anmalningar?klart={done}", status_code=303)


@router.post("/chefsdagar/{event_id}/vantelista/{person_id}/ge-plats", response_class=HTMLResponse,
             summary="Give a person on the waiting list a seat now. Roles: samla-admin (CSRF token).")
async def promote(request: Request, event_id: str, person_id: str, viewer: Admin,
                  _: None = CsrfChecked) -> Response:
    return await waiting_list_step(request, viewer, event_id, "POST",
                                   f"/waiting-list/{quote(person_id, safe='')}/promote", "plats")


@router.post("/chefsdagar/{event_id}/vantelista/{person_id}/ta-bort", response_class=HTMLResponse,
             summary="Take a person off the waiting list. Roles: samla-admin (CSRF token).")
async def remove(request: Request, event_id: str, person_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    return await waiting_list_step(request, viewer, event_id, "DELETE",
                                   f"/waiting-list/{quote(person_id, safe='')}", "borttagen")


@router.get("/chefsdagar/{event_id}/export", response_class=HTMLResponse,
            summary="A chefsdag's exports: lists, the caterer's summary, badges, table cards. Roles: samla-admin.")
async def exports(request: Request, event_id: str, viewer: Admin) -> HTMLResponse:
    event, dietary = await asyncio.gather(events_api.event(request, viewer, event_id),
                                          events_api.call(request, viewer, "GET",
                                                          event_path(event_id, "/exports/dietary")))
    files = f"/api/events/events/{quote(event_id, safe='')}/exports"
    return render(request, "events/exports.html", {"event": event, "files": files,
                                                   "dietary": events_api.json_or(dietary, None),
                                                   "diet_labels": events_api.DIET_LABELS})
