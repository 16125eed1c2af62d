"""Network pulses. The HR admin starts a pulse for a cohort (a published matching run) and period, follows its live
totals, closes it and reads the per-network results, k-protected by feedback as network returns them.
Members answer on "Mitt nätverk": the gateway fetches the member's one-time answer code from feedback and sends
each answer with it, exactly as an anonymous evaluation survey is answered; nobody's answer is linked to them.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth import cookies
from samla_gateway.auth.access import Admin, CsrfChecked, Person
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_, PageError
from samla_gateway.web import dialogue_api, network_api, render
from samla_gateway.web.network_groups import PERIOD

router = APIRouter(tags=["web"], include_in_schema=False)
PULSE_STATUS = {"open": N_("Open"), "closed": N_("Closed")}
DONE = {"startad": N_("The pulse is open. The members see it under \"My network\"."),
        "stangd": N_("The pulse is closed. The final results are kept for the network health view.")}
ANSWERED = "svarat"  # the cookie's value once every answer is saved
COOKIE_DAYS = 120


def pulse_path(pulse_id: str, rest: str = "") -> str:
    return f"/pulses/{quote(pulse_id, safe='')}{rest}"


def pulse_not_found() -> PageError:
    return PageError(404, N_("Pulse not found"), N_("There is no pulse at this address."))


async def list_page(request: Request, viewer: Viewer, *, status: int = 200, values: dict[str, str] | None = None,
                    **extra: Any) -> HTMLResponse:
    pulses_resp, runs_resp = await asyncio.gather(network_api.call(request, viewer, "GET", "/pulses"),
                                                  network_api.call(request, viewer, "GET", "/runs"))
    pulses_resp.raise_for_status()
    cohorts = [r for r in network_api.json_or(runs_resp, []) if r["status"] == "published"]
    return render(request, "network/pulses.html", {
        "pulses": pulses_resp.json(), "cohorts": cohorts, "pulse_status": PULSE_STATUS, "errors": {},
        "values": values or {"run_id": "", "period": "", "free_text": "true"}} | extra, status=status)


@router.get("/natverk/pulser", response_class=HTMLResponse,
            summary="Network pulses: start one for a cohort, see earlier ones. Roles: samla-admin.")
async def pulses(request: Request, viewer: Admin) -> HTMLResponse:
    return await list_page(request, viewer)


@router.post("/natverk/pulser", response_class=HTMLResponse,
             summary="Start a pulse: a cohort's networks are asked anonymously. Roles: samla-admin (CSRF token).")
async def start_pulse(request: Request, viewer: Admin, _: None = CsrfChecked) -> Response:
    form = await request.form()
    values = {"run_id": str(form.get("run_id", "")), "period": str(form.get("period", "")).strip(),
              "free_text": "true" if form.get("free_text") else ""}
    errors: dict[str, str] = {}
    if not values["run_id"]:
        errors["run_id"] = N_("Choose the cohort (a published matching run) whose networks are asked.")
    if not PERIOD.match(values["period"]):
        errors["period"] = N_("Give a month as 2027-03 or a quarter as 2027-Q1.")
    if errors:
        return await list_page(request, viewer, status=400, values=values, errors=errors)
    resp = await network_api.call(request, viewer, "POST", "/pulses", json={
        "run_id": values["run_id"], "period": values["period"], "free_text": values["free_text"] == "true"})
    if resp.status_code != 201:
        return await list_page(request, viewer, status=network_api.status_code_for(resp), values=values,
                               error=N_("The pulse could not be started."), detail=network_api.message(resp, request))
    return RedirectResponse(f"/natverk/pulser/{quote(resp.json()['id'], safe='')}?klart=startad", status_code=303)


async def pulse_page(request: Request, viewer: Viewer, pulse_id: str, *, status: int = 200,
                     **extra: Any) -> HTMLResponse:
    resp = await network_api.call(request, viewer, "GET", pulse_path(pulse_id))
    if resp.status_code in (404, 422):
        raise pulse_not_found()
    resp.raise_for_status()
    pulse = resp.json()
    titles = {q["prompt_id"]: q["title"] for q in pulse["questions"]}
    return render(request, "network/pulse.html", {
        "pulse": pulse, "titles": titles, "pulse_status": PULSE_STATUS,
        "done": DONE.get(request.query_params.get("klart", ""), "")} | extra, status=status)


@router.get("/natverk/pulser/{pulse_id}", response_class=HTMLResponse,
            summary="A pulse: live totals while open, per network once closed (k-protected). Roles: samla-admin.")
async def show_pulse(request: Request, pulse_id: str, viewer: Admin) -> HTMLResponse:
    return await pulse_page(request, viewer, pulse_id)


@router.post("/natverk/pulser/{pulse_id}/stang", response_class=HTMLResponse,
             summary="Close a pulse and keep its final results. Roles: samla-admin (CSRF token).")
async def close_pulse(request: Request, pulse_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    resp = await network_api.call(request, viewer, "POST", pulse_path(pulse_id, "/close"))
    if resp.status_code in (404, 422):
        raise pulse_not_found()
    if resp.status_code != 200:
        return await pulse_page(request, viewer, pulse_id, status=network_api.status_code_for(resp),
                                error=N_("The pulse could not be closed."), detail=network_api.message(resp, request))
    return RedirectResponse(f"/natverk/pulser/{quote(pulse_id, safe='')}?klart=stangd", status_code=303)


# The member's side: open pulses on "Mitt nätverk", answered through feedback.

def answer_cookie(feedback_event_id: str) -> str:
    # One cookie per pulse: the answer code until every answer is saved (so a retry can finish), then "svarat".
    return "samla_pulse_" + hashlib.sha256(feedback_event_id.encode()).hexdigest()[:16]


async def _prompts(request: Request, viewer: Viewer, pulse: dict[str, Any]) -> dict[str, Any] | None:
    """Question key → feedback's prompt (options, scale, notices); None when feedback cannot be reached."""
    try:
        found = await asyncio.gather(*(dialogue_api.call(request, viewer, "GET", f"/prompts/{quote(q['prompt_id'])}")
                                       for q in pulse["questions"]))
    except PageError:
        return None
    if any(r.status_code != 200 for r in found):
        return None
    return {q["question"]: r.json() for q, r in zip(pulse["questions"], found, strict=True)}


async def for_member(request: Request, viewer: Viewer) -> list[dict[str, Any]]:
    """The person's open pulses, each with its prompts and whether this browser has answered it."""
    resp = await network_api.call(request, viewer, "GET", "/me/pulses")
    mine = network_api.json_or(resp, [])
    prompts = await asyncio.gather(*(_prompts(request, viewer, p) for p in mine))
    return [{"pulse": p, "prompts": found,
             "answered": cookies.read(request, answer_cookie(p["feedback_event_id"])) == ANSWERED}
            for p, found in zip(mine, prompts, strict=True)]


async def mine_page(request: Request, viewer: Viewer, *, status: int, **extra: Any) -> HTMLResponse:
    networks = await network_api.call(request, viewer, "GET", "/me/networks")
    networks.raise_for_status()
    return render(request, "network/mine.html", {"networks": networks.json(), "done": "",
                                                 "pulses": await for_member(request, viewer)} | extra, status=status)


def answers(prompts: dict[str, Any], form: Any) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """(question key → the response body, errors by question) from the posted form."""
    bodies: dict[str, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for key, prompt in prompts.items():
        raw = str(form.get(key, "")).strip()
        if prompt["kind"] == "choice":
            if raw not in {o["id"] for o in prompt["options"]}:
                errors[key] = N_("Choose one of the answers.")
            bodies[key] = {"choice": raw}
        elif prompt["kind"] == "scale":
            scale = prompt.get("scale") or {"min": 1, "max": 5}
            if not raw.isdigit() or not scale["min"] <= int(raw) <= scale["max"]:
                errors[key] = N_("Choose a value on the scale.")
            bodies[key] = {"scale": int(raw) if raw.isdigit() else 0}
        elif raw:  # free text is optional
            if len(raw) > prompt["max_text_length"]:
                errors[key] = N_("The text is too long. Shorten it and send again.")
            bodies[key] = {"text": raw}
    return bodies, errors


def answered_before(resp: Any) -> bool:
    """Feedback's refusal of a second answer with the same code: an earlier try saved this one."""
    try:
        detail = str(resp.json().get("detail", ""))
    except (ValueError, AttributeError):
        return False
    return resp.status_code == 409 and detail.startswith("This answer token has already")


REFUSED_CODE = {403: N_("Only members of the networks this pulse asks can answer it."),
                409: N_("Your answer code for this pulse has already been fetched, perhaps on another device. "
                        "An anonymous answer cannot be changed.")}


@router.post("/mitt-natverk/pulser/{pulse_id}", response_class=HTMLResponse,
             summary="Answer an open pulse about my network, anonymously through feedback. "
                     "Any signed-in person (a member asked by the pulse; CSRF token).")
async def answer_pulse(request: Request, pulse_id: str, viewer: Person, _: None = CsrfChecked) -> Response:
    mine = network_api.json_or(await network_api.call(request, viewer, "GET", "/me/pulses"), [])
    pulse = next((p for p in mine if p["pulse_id"] == pulse_id), None)
    if pulse is None:
        return await mine_page(request, viewer, status=404,
                               pulse_error=N_("The pulse is closed or does not ask about your network."))
    prompts = await _prompts(request, viewer, pulse)
    if prompts is None:
        return await mine_page(request, viewer, status=503, failed=pulse_id,
                               pulse_error=N_("The pulse cannot be answered right now. Try again in a minute."))
    form = await request.form()
    bodies, errors = answers(prompts, form)
    typed = {key: str(form.get(key, "")) for key in prompts}
    if errors:
        return await mine_page(request, viewer, status=400, failed=pulse_id, errors=errors, typed=typed)
    cookie = answer_cookie(pulse["feedback_event_id"])
    token = cookies.read(request, cookie)
    if token == ANSWERED:
        return await mine_page(request, viewer, status=409, failed=pulse_id,
                               pulse_error=N_("You have already answered this pulse. Thank you!"))
    if not token:
        got = await dialogue_api.call(request, viewer, "POST", f"/events/{quote(pulse['feedback_event_id'])}"
                                      "/eligibility-tokens/mine", answers_403=True)
        if got.status_code != 201:
            return await mine_page(request, viewer, status=got.status_code if got.status_code < 500 else 400,
                                   failed=pulse_id, typed=typed, pulse_error=REFUSED_CODE.get(
                                       got.status_code, N_("Your answer could not be saved.")))
        token = str(got.json()["token"])
    for key, body in bodies.items():
        sent = await dialogue_api.call(request, viewer, "POST", f"/prompts/{quote(prompts[key]['id'])}/responses",
                                       json=body | {"eligibility_token": token}, answers_403=True)
        if sent.status_code not in (200, 201) and not answered_before(sent):
            page = await mine_page(request, viewer, status=sent.status_code if sent.status_code < 500 else 400,
                                   failed=pulse_id, typed=typed, pulse_error=dialogue_api.refusal(sent, request))
            cookies.put(request, page, cookie, token, max_age=COOKIE_DAYS * 86400)
            return page
    done = RedirectResponse(f"/mitt-natverk#puls-{quote(pulse_id, safe='')}", status_code=303)
    cookies.put(request, done, cookie, ANSWERED, max_age=COOKIE_DAYS * 86400)
    return done
