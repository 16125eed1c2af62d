"""Inviting to a chefsdag: choose the audience (the whole organisation, administrations and below from the org
tree, levels), preview how many it reaches, then send. Roles: samla-admin."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from samla_gateway.auth.access import Admin, CsrfChecked
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_
from samla_gateway.web import LEVEL_LABELS, events_api, identity, render
from samla_gateway.web.directory_pages import org_tree
from samla_gateway.web.events_api import event_path

router = APIRouter(tags=["web"], include_in_schema=False)


async def audience_of(request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
    """The audience for events and what the form had chosen (to show it again)."""
    form = await request.form()
    scope = "units" if form.get("scope") == "units" else "all"
    units = [str(u) for u in form.getlist("org_unit_ids")][:200] if scope == "units" else []
    levels = [str(lv) for lv in form.getlist("levels") if lv in LEVEL_LABELS]
    chosen = {"scope": scope, "org_unit_ids": set(units), "levels": set(levels)}
    return {"org_unit_ids": units, "levels": levels}, chosen


async def page(request: Request, viewer: Viewer, event_id: str, *, chosen: dict[str, Any] | None = None,
               status: int = 200, **extra: Any) -> HTMLResponse:
    event, units_resp = await asyncio.gather(events_api.event(request, viewer, event_id),
                                             identity.call(request, viewer, "GET", "/org-units"))
    units = units_resp.json() if units_resp.status_code == 200 else []
    chosen = chosen or {"scope": "all", "org_unit_ids": set(), "levels": set()}
    return render(request, "events/invite.html", {"event": event, "tree": org_tree(units), "chosen": chosen,
                                                  "state_labels": events_api.STATE_LABELS} | extra, status=status)


@router.get("/chefsdagar/{event_id}/inbjudningar", response_class=HTMLResponse,
            summary="Choose who to invite to a chefsdag. Roles: samla-admin.")
async def invite_form(request: Request, event_id: str, viewer: Admin) -> HTMLResponse:
    return await page(request, viewer, event_id)


@router.post("/chefsdagar/{event_id}/inbjudningar/forhandsgranska", response_class=HTMLResponse,
             summary="How many people an audience reaches (nothing is sent). Roles: samla-admin (CSRF token).")
async def preview(request: Request, event_id: str, viewer: Admin, _: None = CsrfChecked) -> HTMLResponse:
    audience, chosen = await audience_of(request)
    if chosen["scope"] == "units" and not audience["org_unit_ids"]:
        return await page(request, viewer, event_id, chosen=chosen, status=400,
                          error=N_("Choose at least one administration or unit, or invite the whole organisation."))
    resp = await events_api.call(request, viewer, "POST", event_path(event_id, "/invitations/preview"),
                                 json=audience)
    if resp.status_code == 404:
        raise events_api.day_not_found()
    if resp.status_code != 200:
        return await page(request, viewer, event_id, chosen=chosen, status=400,
                          error=N_("The audience could not be previewed."), detail=events_api.message(resp, request))
    return await page(request, viewer, event_id, chosen=chosen, preview=resp.json())


@router.post("/chefsdagar/{event_id}/inbjudningar", response_class=HTMLResponse,
             summary="Send the invitations to the audience chosen. Roles: samla-admin (CSRF token).")
async def send(request: Request, event_id: str, viewer: Admin, _: None = CsrfChecked) -> HTMLResponse:
    audience, chosen = await audience_of(request)
    if chosen["scope"] == "units" and not audience["org_unit_ids"]:
        return await page(request, viewer, event_id, chosen=chosen, status=400,
                          error=N_("Choose at least one administration or unit, or invite the whole organisation."))
    resp = await events_api.call(request, viewer, "POST", event_path(event_id, "/invitations"), json=audience)
    if resp.status_code == 404:
        raise events_api.day_not_found()
    if resp.status_code not in (200, 201):
        return await page(request, viewer, event_id, chosen=chosen, status=400,
                          error=N_("The invitations could not be sent."), detail=events_api.message(resp, request))
    return await page(request, viewer, event_id, sent=resp.json())
