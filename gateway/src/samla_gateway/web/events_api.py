"""Calls from pages to the events service (the chefsdag) with the signed-in person's own token, and the labels
its codes are shown with. Events decides what each person may do; pages only guard the roles first."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from fastapi import Request

from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_, EventsUnavailable, PageError
from samla_gateway.web import upstream

STATE_LABELS = {"draft": N_("Draft"), "invitations_sent": N_("Invitations sent"), "ongoing": N_("Ongoing"),
                "closed": N_("Closed"), "archived": N_("Archived")}
STATUS_LABELS = {"registered": N_("Registered"), "declined": N_("Declined"), "waitlisted": N_("On the waiting list"),
                 "offered": N_("Offered a seat"), "cancelled": N_("Cancelled"), "": N_("Not answered")}
DIET_LABELS = {"vegetarian": N_("Vegetarian"), "vegan": N_("Vegan"), "gluten_free": N_("Gluten free"),
               "lactose_free": N_("Lactose free"), "milk_protein_free": N_("Milk protein free"),
               "nut_allergy": N_("Nut allergy"), "fish_shellfish_allergy": N_("Fish and shellfish allergy"),
               "egg_allergy": N_("Egg allergy"), "halal": N_("Halal"), "no_pork": N_("No pork")}
AGENDA_KINDS = {"opening": N_("Opening"), "dialogue": N_("Dialogue round"), "qa": N_("Questions to the leadership"),
                "break": N_("Break"), "other": N_("Other")}


async def call(request: Request, viewer: Viewer, method: str, path: str, *, params: dict[str, Any] | None = None,
               json: Any = None, answers_403: bool = False) -> httpx.Response:
    """One request to events; 401, 403 (unless `answers_403`) and outages are raised, other answers returned."""
    return await upstream.call(request, viewer, "events", method, path, params=params, json=json,
                               answers_403=answers_403, unavailable=EventsUnavailable)


def event_path(event_id: str, rest: str = "") -> str:
    return f"/events/{quote(event_id, safe='')}{rest}"


def day_not_found() -> PageError:
    return PageError(404, N_("Chefsdag not found"), N_("There is no chefsdag at this address."))


async def event(request: Request, viewer: Viewer, event_id: str) -> dict[str, Any]:
    """The day as events describes it; a 404 page when there is none."""
    resp = await call(request, viewer, "GET", event_path(event_id))
    if resp.status_code in (404, 422):
        raise day_not_found()
    resp.raise_for_status()
    body: dict[str, Any] = resp.json()
    return body


def json_or(resp: httpx.Response, default: Any) -> Any:
    """The answer's JSON when it succeeded, otherwise `default` (a part of a page that can be left out)."""
    return resp.json() if resp.status_code == 200 else default


def json_or_problem(resp: httpx.Response) -> Any:
    """The answer's JSON document whatever its status (a problem's fields), or None when it is not JSON."""
    try:
        return resp.json()
    except ValueError:
        return None


def message(resp: httpx.Response, request: Request) -> str:
    """What events said was wrong: its detail, and each field's reason when there are several."""
    try:
        body = resp.json()
    except ValueError:
        body = None
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and len(errors) > 1:
        reasons = [str(e.get("message", "")) for e in errors if isinstance(e, dict)]
        return f"{body.get('detail') or ''} " + "; ".join(r for r in reasons if r)
    return upstream.problem_message(resp, request.state.lang)
