"""The seating of a chefsdag for the admin: the plan per dialogue round, each table's mix of administrations and
levels, the quality report (against the bounds any plan could reach), "Placera" and publish. Roles: samla-admin.

Seating is new in events: while it does not answer (404 without a plan, 405), the page says so in words.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import Admin, CsrfChecked
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_
from samla_gateway.web import events_api, render
from samla_gateway.web.events_api import event_path

router = APIRouter(tags=["web"], include_in_schema=False)
DONE = {"placerad": N_("The participants are placed. Check the plan, then publish it."),
        "publicerad": N_("The seating is published: participants see their tables in \"My day\".")}


def not_offered(resp: httpx.Response) -> bool:
    """Events has no seating endpoint (yet): an unknown route, not a day without a plan."""
    if resp.status_code == 405:
        return True
    try:
        body = resp.json()
    except ValueError:
        return resp.status_code == 404
    return resp.status_code == 404 and isinstance(body, dict) and body.get("detail") == "Not Found"


async def page(request: Request, viewer: Viewer, event_id: str, *, status: int = 200, **extra: Any) -> HTMLResponse:
    event, plan_resp, regs = await asyncio.gather(
        events_api.event(request, viewer, event_id),
        events_api.call(request, viewer, "GET", event_path(event_id, "/seating")),
        events_api.call(request, viewer, "GET", event_path(event_id, "/registrations")))
    names = {p["person_id"]: p["name"] for p in events_api.json_or(regs, [])}
    context = {"event": event, "plan": events_api.json_or(plan_resp, None), "names": names,
               "unavailable": not_offered(plan_resp),
               "done": DONE.get(request.query_params.get("klart", ""), "")}
    return render(request, "events/seating.html", context | extra, status=status)


@router.get("/chefsdagar/{event_id}/placering", response_class=HTMLResponse,
            summary="The seating plan, each table's mix and the quality report. Roles: samla-admin.")
async def seating(request: Request, event_id: str, viewer: Admin) -> HTMLResponse:
    return await page(request, viewer, event_id)


async def step(request: Request, viewer: Viewer, event_id: str, path: str, failed: str, done: str) -> Response:
    resp = await events_api.call(request, viewer, "POST", event_path(event_id, f"/seating{path}"),
                                 json=None if path else {})
    if not_offered(resp):
        return await page(request, viewer, event_id, status=503, unavailable=True)
    if resp.status_code != 200:
        return await page(request, viewer, event_id, status=409 if resp.status_code == 409 else 400,
                          error=failed, detail=events_api.message(resp, request))
    return RedirectResponse(f"/chefsdagar/{quote(event_id, safe='')}/placering?klart={done}", status_code=303)


@router.post("/chefsdagar/{event_id}/placering", response_class=HTMLResponse,
             summary="Place the participants at the tables for every round (replaces the plan). "
                     "Roles: samla-admin (CSRF token).")
async def place(request: Request, event_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    return await step(request, viewer, event_id, "", N_("The participants could not be placed."), "placerad")


@router.post("/chefsdagar/{event_id}/placering/publicera", response_class=HTMLResponse,
             summary="Publish the seating to participants, badges and lists. Roles: samla-admin (CSRF token).")
async def publish(request: Request, event_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    return await step(request, viewer, event_id, "/publish", N_("The seating could not be published."),
                      "publicerad")
