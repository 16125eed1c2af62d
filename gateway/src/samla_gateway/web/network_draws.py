""""Träffa ledningen" for the HR admin: draw first-line managers into small groups to meet the municipal director
(those not yet drawn get their turn first), and the earlier draws with the names of the people in each group.
Roles: samla-admin; the network service checks the admin's own token again."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import Admin, CsrfChecked
from samla_gateway.auth.viewer import Viewer
from samla_gateway.directory import Directory
from samla_gateway.errors import N_
from samla_gateway.web import events_api, network_api, render
from samla_gateway.web.network_run_form import POPULATIONS

router = APIRouter(tags=["web"], include_in_schema=False)
PATH = "/natverk/traffa-ledningen"
DEFAULTS = {"period": "", "group_count": "2", "group_size": "5", "population": "everyone", "event_id": "",
            "checked_in_only": "true", "org_unit_id": "", "seed": ""}
DONE = {"dragen": N_("The draw is made. The groups are at the top of the list.")}


def _number(values: dict[str, str], name: str, low: int, high: int, errors: dict[str, str], message: str) -> int:
    try:
        number = int(values[name].strip() or str(low - 1))
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        errors[name] = message
    return number


def draw_body(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """(the draw network is asked for, errors by field), with the limits network sets."""
    errors: dict[str, str] = {}
    period = values["period"].strip()
    if not period or len(period) > 20:
        errors["period"] = N_("Name the period the draw is for, e.g. 2027-Q1 (at most 20 characters).")
    count = _number(values, "group_count", 1, 50, errors, N_("Give the number of groups as a whole number from 1 "
                                                                "to 50."))
    size = _number(values, "group_size", 2, 12, errors, N_("Give the group size as a whole number from 2 to 12."))
    population: dict[str, Any] = {"kind": "everyone"}
    if values["population"] == "event":
        population = {"kind": "event", "event_id": values["event_id"],
                      "checked_in_only": values["checked_in_only"] == "true"}
        if not values["event_id"]:
            errors["event_id"] = N_("Choose the chefsdag whose attendees are drawn from.")
    elif values["population"] == "org_unit":
        population = {"kind": "org_unit", "org_unit_id": values["org_unit_id"]}
        if not values["org_unit_id"]:
            errors["org_unit_id"] = N_("Choose the administration or unit whose managers are drawn from.")
    body: dict[str, Any] = {"period": period, "group_count": count, "group_size": size, "population": population}
    if values["seed"].strip():
        body["seed"] = _number(values, "seed", 0, 2**31 - 1, errors, N_("Leave the starting number empty, or give "
                                                                         "a whole number from 0."))
    return body, errors


async def page(request: Request, viewer: Viewer, values: dict[str, str], *, errors: dict[str, str],
               status: int = 200, error: str = "", detail: str = "") -> HTMLResponse:
    directory: Directory = request.app.state.directory
    draws_resp, days_resp, people, units = await asyncio.gather(
        network_api.call(request, viewer, "GET", "/leadership-draws"),
        events_api.call(request, viewer, "GET", "/events"), directory.everyone(), directory.org_tree())
    draws_resp.raise_for_status()
    return render(request, "network/draws.html", {
        "draws": draws_resp.json(), "names": {p.id: p.name for p in people}, "values": values, "errors": errors,
        "error": error, "detail": detail, "populations": POPULATIONS,
        "days": sorted(events_api.json_or(days_resp, []), key=lambda d: d["date"], reverse=True),
        "units": sorted((u for u in units if u.kind != "enhet"), key=lambda u: u.name),
        "done": DONE.get(request.query_params.get("klart", ""), "")}, status=status)


@router.get(PATH, response_class=HTMLResponse,
            summary="Träffa ledningen: make a draw and see the earlier ones. Roles: samla-admin.")
async def draws(request: Request, viewer: Admin) -> HTMLResponse:
    return await page(request, viewer, dict(DEFAULTS), errors={})


@router.post(PATH, response_class=HTMLResponse,
             summary="Draw first-line managers into groups to meet the leadership. Roles: samla-admin (CSRF token).")
async def make_draw(request: Request, viewer: Admin, _: None = CsrfChecked) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in DEFAULTS}
    body, errors = draw_body(values)
    if errors:
        return await page(request, viewer, values, errors=errors, status=400)
    resp = await network_api.call(request, viewer, "POST", "/leadership-draws", json=body)
    if resp.status_code != 201:
        return await page(request, viewer, values, errors={}, status=network_api.status_code_for(resp),
                          error=N_("The draw could not be made."), detail=network_api.message(resp, request))
    return RedirectResponse(f"{PATH}?klart=dragen", status_code=303)
