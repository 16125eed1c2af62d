"""Changing a seating plan by hand: late changes (no-shows and walk-ins, re-planned moving as few people as
possible) and a swap of two people in one round, shown with its consequences before it is made. Roles: samla-admin.

Events does the planning and checks every rule; these pages choose people by name and tell what happened.
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
from samla_gateway.web import events_api, i18n, render
from samla_gateway.web.events_api import event_path

router = APIRouter(tags=["web"], include_in_schema=False)

# A broken rule, by kind, as the admin reads it (people and table filled in).
VIOLATIONS = {
    "conflict": N_("%(people)s would sit at the same table although they are to sit apart."),
    "accessible": N_("Table %(table)s would lack accessible seats for everyone who needs one."),
    "host_moved": N_("The table host %(people)s would leave their own table."),
    "two_hosts": N_("Table %(table)s would get two table hosts."),
    "over_capacity": N_("Table %(table)s would have more people than seats."),
}


async def plan_and_names(request: Request, viewer: Viewer, event_id: str) -> tuple[dict[str, Any], Any,
                                                                                    list[dict[str, Any]]]:
    """The day, its plan (None without one) and every registration with its name."""
    event, plan_resp, regs_resp = await asyncio.gather(
        events_api.event(request, viewer, event_id),
        events_api.call(request, viewer, "GET", event_path(event_id, "/seating")),
        events_api.call(request, viewer, "GET", event_path(event_id, "/registrations")))
    return event, events_api.json_or(plan_resp, None), events_api.json_or(regs_resp, [])


def seated(plan: dict[str, Any] | None) -> list[str]:
    """Everyone in the plan (every round seats the same people)."""
    if not plan or not plan["rounds"]:
        return []
    return [pid for table in plan["rounds"][0]["tables"] for pid in table["person_ids"]]


def by_name(person_ids: list[str], names: dict[str, str]) -> list[dict[str, str]]:
    return sorted(({"id": pid, "name": names.get(pid, pid)} for pid in person_ids), key=lambda p: p["name"])


def reasons(resp: httpx.Response, request: Request, names: dict[str, str]) -> str:
    """Why events refused, in the page's language, with names for person ids (events writes "sv / en")."""
    problem = events_api.json_or_problem(resp)
    items = problem.get("errors") if isinstance(problem, dict) else None
    texts = [str(e.get("message", "")) for e in items or [] if isinstance(e, dict)]
    if not texts or not all(" / " in t for t in texts):
        return events_api.message(resp, request)
    out = []
    for text in texts:
        part = reasons_text(text, request.state.lang)
        for pid, name in names.items():
            part = part.replace(pid, name)
        out.append(part)
    return "; ".join(out)


async def changes_page(request: Request, viewer: Viewer, event_id: str, *, status: int = 200,
                       refusal: httpx.Response | None = None, **extra: Any) -> HTMLResponse:
    event, plan, regs = await plan_and_names(request, viewer, event_id)
    names = {r["person_id"]: r["name"] for r in regs}
    if refusal is not None:
        extra["detail"] = reasons(refusal, request, names)
    in_plan = seated(plan)
    registered = [r["person_id"] for r in regs if r["status"] == "registered" and r["person_id"] not in in_plan]
    context = {"event": event, "plan": plan, "names": names, "seated": by_name(in_plan, names),
               "not_seated": by_name(registered, names), "ongoing": event["state"] == "ongoing",
               "editable": "edit" in event["allowed_actions"]}
    return render(request, "events/seating_changes.html", context | extra, status=status)


@router.get("/chefsdagar/{event_id}/placering/sena-andringar", response_class=HTMLResponse,
            summary="Late changes: mark no-shows and seat walk-ins. Roles: samla-admin.")
async def late_changes(request: Request, event_id: str, viewer: Admin) -> HTMLResponse:
    return await changes_page(request, viewer, event_id)


@router.post("/chefsdagar/{event_id}/placering/sena-andringar", response_class=HTMLResponse,
             summary="Free the no-shows' seats and seat the walk-ins, moving as few people as possible; shows who "
                     "moved. Roles: samla-admin (CSRF token).")
async def apply_changes(request: Request, event_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    form = await request.form()
    body = {"no_shows": [str(v) for v in form.getlist("no_shows")],
            "walk_ins": [str(v) for v in form.getlist("walk_ins")],
            "from_check_in": form.get("from_check_in") == "true"}
    if not (body["no_shows"] or body["walk_ins"] or body["from_check_in"]):
        return await changes_page(request, viewer, event_id, status=400,
                                  error=N_("Choose who did not come or who came without a seat."))
    resp = await events_api.call(request, viewer, "POST", event_path(event_id, "/seating/changes"), json=body)
    if resp.status_code == 404:
        return await changes_page(request, viewer, event_id, status=404,
                                  error=N_("The day has no seating yet. Place the participants first."))
    if resp.status_code != 200:
        return await changes_page(request, viewer, event_id, status=409 if resp.status_code == 409 else 400,
                                  error=N_("The changes could not be made."), refusal=resp)
    result = resp.json()
    moved = sorted({m["person_id"] for m in result["moves"]})
    return await changes_page(request, viewer, event_id, result=result, moved=moved)


async def swap_page(request: Request, viewer: Viewer, event_id: str, *, status: int = 200,
                    refusal: httpx.Response | None = None, **extra: Any) -> HTMLResponse:
    event, plan, regs = await plan_and_names(request, viewer, event_id)
    names = {r["person_id"]: r["name"] for r in regs}
    if refusal is not None:
        extra["detail"] = reasons(refusal, request, names)
    lang = request.state.lang
    context = {"event": event, "plan": plan, "names": names, "people": by_name(seated(plan), names),
               "editable": "edit" in event["allowed_actions"], "chosen": {}, "errors": {},
               "describe": lambda violation: violation_text(violation, names, lang),
               "done": N_("The two people have exchanged seats.") if request.query_params.get("klart") else ""}
    return render(request, "events/seating_swap.html", context | extra, status=status)


@router.get("/chefsdagar/{event_id}/placering/byt", response_class=HTMLResponse,
            summary="Swap two people in a round: choose them. Roles: samla-admin.")
async def swap_form(request: Request, event_id: str, viewer: Admin) -> HTMLResponse:
    return await swap_page(request, viewer, event_id)


async def swap_call(request: Request, viewer: Viewer, event_id: str, path: str) -> tuple[Response | None, Any]:
    """Sends the chosen swap to events; a page explaining the problem, or None and events' answer."""
    form = await request.form()
    chosen = {k: str(form.get(k, "")) for k in ("round_no", "person_a", "person_b")}
    errors: dict[str, str] = {}
    if not chosen["round_no"].isdigit():
        errors["round_no"] = N_("Choose a round.")
    for key in ("person_a", "person_b"):
        if not chosen[key]:
            errors[key] = N_("Choose a person.")
    if not errors and chosen["person_a"] == chosen["person_b"]:
        errors["person_b"] = N_("Choose two different people.")
    if errors:
        return await swap_page(request, viewer, event_id, status=400, errors=errors, chosen=chosen), None
    body = {"round_no": int(chosen["round_no"]), "person_a": chosen["person_a"], "person_b": chosen["person_b"]}
    resp = await events_api.call(request, viewer, "POST", event_path(event_id, f"/seating/{path}"), json=body)
    if resp.status_code != 200:
        return await swap_page(request, viewer, event_id, status=409 if resp.status_code == 409 else 400,
                               chosen=chosen, error=N_("The swap could not be made."), refusal=resp), None
    return None, resp.json()


@router.post("/chefsdagar/{event_id}/placering/byt/forhandsgranska", response_class=HTMLResponse,
             summary="Show what a swap would change (repeats, broken rules, mix) before it is made. "
                     "Roles: samla-admin (CSRF token).")
async def preview_swap(request: Request, event_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    refused, consequences = await swap_call(request, viewer, event_id, "swap/preview")
    if refused is not None:
        return refused
    chosen = {"round_no": str(consequences["round_no"]), "person_a": consequences["person_a"],
              "person_b": consequences["person_b"]}
    return await swap_page(request, viewer, event_id, chosen=chosen, preview=consequences)


@router.post("/chefsdagar/{event_id}/placering/byt", response_class=HTMLResponse,
             summary="Make the swap (refused when it would break a rule). Roles: samla-admin (CSRF token).")
async def make_swap(request: Request, event_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    refused, _done = await swap_call(request, viewer, event_id, "swap")
    if refused is not None:
        return refused
    return RedirectResponse(f"/chefsdagar/{quote(event_id, safe='')}/placering/byt?klart=bytt", status_code=303)


def violation_text(violation: dict[str, Any], names: dict[str, str], lang: str) -> str:
    """One broken rule in words, with names."""
    template = VIOLATIONS.get(violation["kind"])
    people = ", ".join(names.get(p, p) for p in violation["person_ids"])
    if template is None:
        return reasons_text(violation["detail"], lang)
    return i18n.translations(lang).gettext(template) % {"people": people, "table": violation["table_id"] or "–"}


def reasons_text(text: str, lang: str) -> str:
    return text.split(" / ", 1)[1 if lang == "en" else 0] if " / " in text else text
