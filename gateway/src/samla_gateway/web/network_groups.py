"""Published networks for the HR admin: one network with its members and meetings, taking out a drop-out
(the rest is re-matched when the group gets too small), dissolving, merging; and the network health view
(k-anonymous counts, DESIGN §7). Roles: samla-admin."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import Admin, CsrfChecked
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_
from samla_gateway.web import network_api, render
from samla_gateway.web.network_api import group_path

router = APIRouter(tags=["web"], include_in_schema=False)
PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")
DONE = {"upplost": N_("The network is dissolved."), "sammanslagen": N_("The networks are merged into this one.")}


async def group_page(request: Request, viewer: Viewer, group_id: str, *, status: int = 200,
                     **extra: Any) -> HTMLResponse:
    group_resp, meetings_resp, others_resp = await asyncio.gather(
        network_api.call(request, viewer, "GET", group_path(group_id)),
        network_api.call(request, viewer, "GET", group_path(group_id, "/meetings")),
        network_api.call(request, viewer, "GET", "/groups", params={"status": "active"}))
    if group_resp.status_code in (404, 422):
        raise network_api.group_not_found()
    group_resp.raise_for_status()
    group = group_resp.json()
    others = [g for g in network_api.json_or(others_resp, []) if g["id"] != group_id]
    names = {m["person_id"]: m["name"] for m in group["members"]}
    context = {"group": group, "meetings": network_api.json_or(meetings_resp, []), "others": others,
               "names": names, "group_status": network_api.GROUP_STATUS,
               "done": DONE.get(request.query_params.get("klart", ""), "")}
    return render(request, "network/group_admin.html", context | extra, status=status)


@router.get("/natverk/grupper/{group_id}", response_class=HTMLResponse,
            summary="One network for the admin: members, meetings, drop-outs, dissolve, merge. Roles: samla-admin.")
async def show_group(request: Request, group_id: str, viewer: Admin) -> HTMLResponse:
    return await group_page(request, viewer, group_id)


async def refused(request: Request, viewer: Viewer, group_id: str, resp: Any, error: str) -> HTMLResponse:
    if resp.status_code == 404:
        raise network_api.group_not_found()
    return await group_page(request, viewer, group_id, status=network_api.status_code_for(resp), error=error,
                            detail=network_api.message(resp, request))


@router.post("/natverk/grupper/{group_id}/ta-bort", response_class=HTMLResponse,
             summary="Take a drop-out or no-show out of a network; shows who was moved. Roles: samla-admin (CSRF).")
async def remove_member(request: Request, group_id: str, viewer: Admin, person_id: Annotated[str, Form()] = "",
                        _: None = CsrfChecked) -> Response:
    if not person_id:
        return await group_page(request, viewer, group_id, status=400, error=N_("Choose a person."))
    before = await network_api.call(request, viewer, "GET", group_path(group_id))
    names = {m["person_id"]: m["name"] for m in network_api.json_or(before, {}).get("members", [])}
    resp = await network_api.call(request, viewer, "POST", group_path(group_id, "/remove"),
                                  json={"person_id": person_id})
    if resp.status_code != 200:
        return await refused(request, viewer, group_id, resp, N_("The person could not be taken out."))
    outcome = resp.json()
    if group_id in outcome["dissolved"]:
        return RedirectResponse(f"/natverk/grupper/{quote(group_id, safe='')}?klart=upplost", status_code=303)
    return await group_page(request, viewer, group_id, outcome=outcome, removed=names.get(person_id, person_id),
                            moved_names=names)


@router.post("/natverk/grupper/{group_id}/upplos", response_class=HTMLResponse,
             summary="Dissolve a network. Roles: samla-admin (CSRF token).")
async def dissolve(request: Request, group_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    resp = await network_api.call(request, viewer, "POST", group_path(group_id, "/dissolve"))
    if resp.status_code != 200:
        return await refused(request, viewer, group_id, resp, N_("The network could not be dissolved."))
    return RedirectResponse(f"/natverk/grupper/{quote(group_id, safe='')}?klart=upplost", status_code=303)


@router.post("/natverk/grupper/{group_id}/sla-ihop", response_class=HTMLResponse,
             summary="Merge another network into this one. Roles: samla-admin (CSRF token).")
async def merge(request: Request, group_id: str, viewer: Admin, other_group_id: Annotated[str, Form()] = "",
                _: None = CsrfChecked) -> Response:
    if not other_group_id:
        return await group_page(request, viewer, group_id, status=400,
                                error=N_("Choose the network to merge into this one."))
    resp = await network_api.call(request, viewer, "POST", group_path(group_id, "/merge"),
                                  json={"other_group_id": other_group_id})
    if resp.status_code != 200:
        return await refused(request, viewer, group_id, resp, N_("The networks could not be merged."))
    return RedirectResponse(f"/natverk/grupper/{quote(group_id, safe='')}?klart=sammanslagen", status_code=303)


@router.get("/natverk/halsa", response_class=HTMLResponse,
            summary="Network health for HR: are networks meeting? Counts only, none below k people. "
                    "Roles: samla-admin.")
async def health(request: Request, viewer: Admin) -> HTMLResponse:
    period = request.query_params.get("period", "").strip()
    if period and not PERIOD.match(period):
        return render(request, "network/health.html", {"health": None, "period": period,
                                                       "error": N_("Give a month as 2027-03 or a quarter as 2027-Q1.")},
                      status=400)
    resp = await network_api.call(request, viewer, "GET", "/health-view", params={"period": period} if period else None)
    return render(request, "network/health.html", {"health": network_api.json_or(resp, None), "period": period})
