""""Chefsdagar" for the HR admin: the list, a new day, a day's overview, changing its details and its state
transitions.

Every page here needs samla-admin; events checks the admin's own token again.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import Admin, CsrfChecked
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_
from samla_gateway.web import event_forms, events_api, i18n, render
from samla_gateway.web.events_api import event_path

router = APIRouter(tags=["web"], include_in_schema=False)

# A next state → the events endpoint that moves there, what the button says and what it means.
TRANSITIONS = {
    "ongoing": ("/start", N_("Start the day"), N_("Check-in opens at the doors.")),
    "closed": ("/close", N_("Close the day"), N_("Check-in ends. The day can then only be archived.")),
    "archived": ("/archive", N_("Archive the day"), N_("The day becomes read-only.")),
}


@router.get("/chefsdagar", response_class=HTMLResponse, summary="Chefsdagar: the list. Roles: samla-admin.")
async def list_days(request: Request, viewer: Admin) -> HTMLResponse:
    resp = await events_api.call(request, viewer, "GET", "/events")
    days = sorted(events_api.json_or(resp, []), key=lambda d: d["date"], reverse=True)
    return render(request, "events/list.html", {"days": days, "state_labels": events_api.STATE_LABELS})


@router.get("/chefsdagar/ny", response_class=HTMLResponse, summary="Form for a new chefsdag. Roles: samla-admin.")
async def new_day(request: Request, viewer: Admin) -> HTMLResponse:
    defaults = {"starts_at": "08:30", "ends_at": "16:00", "capacity": "", "table_count": "", "seats_per_table": "8",
                "accessible_tables": "0"}
    return render(request, "events/new.html", {"values": defaults, "errors": {}})


@router.post("/chefsdagar", response_class=HTMLResponse,
             summary="Create a chefsdag (a draft), then show it. Roles: samla-admin (CSRF token).")
async def create_day(request: Request, viewer: Admin, _: None = CsrfChecked) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in event_forms.FIELDS}
    body, errors = event_forms.event_body(values)
    if errors:
        return render(request, "events/new.html", {"values": values, "errors": errors}, status=400)
    resp = await events_api.call(request, viewer, "POST", "/events", json=body)
    if resp.status_code != 201:
        return render(request, "events/new.html", {"values": values, "errors": {},
                                                   "error": N_("The day could not be created."),
                                                   "detail": events_api.message(resp, request)}, status=400)
    return RedirectResponse(f"/chefsdagar/{quote(str(resp.json()['id']), safe='')}", status_code=303)


async def overview(request: Request, viewer: Viewer, event_id: str, **extra: Any) -> HTMLResponse:
    event, counts_resp = await asyncio.gather(events_api.event(request, viewer, event_id),
                                              events_api.call(request, viewer, "GET",
                                                              event_path(event_id, "/check-in/counts")))
    done = N_("The changes are saved.") if request.query_params.get("klart") == "andrad" else ""
    context = {"event": event, "counts": events_api.json_or(counts_resp, None),
               "state_labels": events_api.STATE_LABELS, "transitions": TRANSITIONS, "done": done}
    return render(request, "events/detail.html", context | extra, status=400 if extra.get("error") else 200)


@router.get("/chefsdagar/{event_id}", response_class=HTMLResponse,
            summary="A chefsdag: details, state, counts and the next step. Roles: samla-admin.")
async def show_day(request: Request, event_id: str, viewer: Admin) -> HTMLResponse:
    return await overview(request, viewer, event_id)


@router.post("/chefsdagar/{event_id}/status", response_class=HTMLResponse,
             summary="Move a chefsdag to its next state (start, close, archive). Roles: samla-admin (CSRF token).")
async def change_state(request: Request, event_id: str, viewer: Admin, to: Annotated[str, Form()] = "",
                       _: None = CsrfChecked) -> Response:
    if to not in TRANSITIONS:
        return await overview(request, viewer, event_id, error=N_("Choose a state the day can move to."))
    resp = await events_api.call(request, viewer, "POST", event_path(event_id, TRANSITIONS[to][0]))
    if resp.status_code == 404:
        raise events_api.day_not_found()
    if resp.status_code != 200:
        return await overview(request, viewer, event_id, error=N_("The day could not change state."),
                              detail=events_api.message(resp, request))
    return RedirectResponse(f"/chefsdagar/{quote(event_id, safe='')}", status_code=303)


def edit_form(request: Request, event: dict[str, Any], values: dict[str, str], *, errors: dict[str, str],
              status: int = 200, error: str = "", detail: str = "") -> HTMLResponse:
    context = {"event": event, "values": values, "errors": errors, "error": error, "detail": detail,
               "editable": "edit" in event.get("allowed_actions", []),
               "date_locked": event.get("state") == "ongoing", "state_labels": events_api.STATE_LABELS}
    return render(request, "events/edit.html", context, status=status)


@router.get("/chefsdagar/{event_id}/andra", response_class=HTMLResponse,
            summary="Form to change a chefsdag's details. Roles: samla-admin.")
async def edit_day(request: Request, event_id: str, viewer: Admin) -> HTMLResponse:
    event = await events_api.event(request, viewer, event_id)
    return edit_form(request, event, event_forms.values_of(event), errors={})


@router.post("/chefsdagar/{event_id}/andra", response_class=HTMLResponse,
             summary="Change a chefsdag's details; what the day's state does not allow is refused in words. "
                     "Roles: samla-admin (CSRF token).")
async def save_day(request: Request, event_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    event = await events_api.event(request, viewer, event_id)
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in event_forms.EDIT_FIELDS}
    body, errors = event_forms.patch_body(values)
    if errors:
        return edit_form(request, event, values, errors=errors, status=400)
    resp = await events_api.call(request, viewer, "PATCH", event_path(event_id), json=body)
    if resp.status_code == 404:
        raise events_api.day_not_found()
    if resp.status_code != 200:
        gettext = i18n.translations(request.state.lang).gettext
        refused, general = event_forms.refusals(events_api.json_or_problem(resp), gettext)
        return edit_form(request, event, values, errors=refused, status=409 if resp.status_code == 409 else 400,
                         error=N_("The changes could not be saved."),
                         detail=general or ("" if refused else events_api.message(resp, request)))
    return RedirectResponse(f"/chefsdagar/{quote(event_id, safe='')}?klart=andrad", status_code=303)
