"""The facilitator's control page for a chefsdag's dialogue: prompts by round, made from a kind or a ready template,
opened and closed, with their answer counts; the evaluation survey (optionally with SKR's HME statements); the
moderation queue and the question wall's follow-up. Roles: samla-facilitator, samla-admin (feedback checks again)."""

from __future__ import annotations

import asyncio
from itertools import groupby
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import CsrfChecked, Staff
from samla_gateway.auth.viewer import Viewer
from samla_gateway.directory import Directory
from samla_gateway.errors import N_
from samla_gateway.web import dialogue_api, events_api, render
from samla_gateway.web.dialogue_api import quoted
from samla_gateway.web.dialogue_prompt_form import TEMPLATES, PromptFormProblem, prompt_body

router = APIRouter(tags=["web"], include_in_schema=False)
DONE = {"skapad": N_("The question is created. Open it when the round starts."),
        "oppnad": N_("The question is open: participants see it on their phones now."),
        "stangd": N_("The question is closed."),
        "utvardering": N_("The evaluation is created."),
        "utvardering-oppna": N_("The evaluation is open."), "utvardering-stang": N_("The evaluation is closed."),
        "modererad": N_("Done: the moderation log and the wall are updated.")}
MODERATION = {"approve": ("POST", "/approve"), "hide": ("POST", "/hide"), "merge": ("POST", "/merge"),
              "answer": ("POST", "/answer"), "assign": ("PUT", "/assignee"), "follow_up": ("PUT", "/follow-up")}


def control_path(event_id: str, rest: str = "") -> str:
    return f"/dialog/{quote(event_id, safe='')}{rest}"


@router.get("/dialog", response_class=HTMLResponse,
            summary="Dialogue control: choose the day. Roles: samla-admin, samla-facilitator.")
async def choose_day(request: Request, viewer: Staff) -> HTMLResponse:
    resp = await events_api.call(request, viewer, "GET", "/events")
    days = sorted(events_api.json_or(resp, []), key=lambda d: d["date"], reverse=True)
    return render(request, "dialogue/choose.html", {"days": days, "state_labels": events_api.STATE_LABELS})


async def _count(request: Request, viewer: Viewer, prompt: dict[str, Any]) -> int | None:
    if prompt["status"] == "draft":
        return None
    resp = await dialogue_api.call(request, viewer, "GET", f"/prompts/{quoted(prompt['id'])}/results")
    return int(resp.json().get("respondents") or 0) if resp.status_code == 200 else None


async def _leaders(request: Request) -> list[dict[str, str]]:
    directory: Directory = request.app.state.directory
    people = [p for p in await directory.everyone() if p.active and "samla-leadership" in p.roles]
    return [{"id": p.id, "name": p.name, "title": p.title} for p in sorted(people, key=lambda p: p.name)]


async def page(request: Request, viewer: Viewer, event_id: str, *, status: int = 200, **extra: Any) -> HTMLResponse:
    base = f"/events/{quoted(event_id)}"
    event, prompts_resp, queue, wall, leaders = await asyncio.gather(
        events_api.event(request, viewer, event_id),
        dialogue_api.call(request, viewer, "GET", f"{base}/prompts"),
        dialogue_api.call(request, viewer, "GET", f"{base}/questions/queue"),
        dialogue_api.call(request, viewer, "GET", f"{base}/questions", params={"sort": "votes", "limit": 200}),
        _leaders(request))
    prompts = sorted(dialogue_api.json_or(prompts_resp, []),
                     key=lambda p: (p["section"] != "dialogue", p.get("round_no") or 0, p["position"]))
    counts = await asyncio.gather(*(_count(request, viewer, p) for p in prompts))
    rows = [p | {"respondents": n} for p, n in zip(prompts, counts, strict=True)]
    rounds = [(key, list(group)) for key, group in
              groupby(rows, key=lambda p: ("evaluation", 0) if p["section"] == "evaluation"
                      else ("dialogue", p.get("round_no") or 0))]
    context = {"event": event, "rounds": rounds, "queue": dialogue_api.json_or(queue, []),
               "wall": dialogue_api.json_or(wall, {"questions": []})["questions"], "leaders": leaders,
               "has_evaluation": any(p["section"] == "evaluation" for p in prompts),
               "kind_labels": dialogue_api.KIND_LABELS, "prompt_status": dialogue_api.PROMPT_STATUS,
               "follow_up_labels": dialogue_api.FOLLOW_UP, "answer_modes": dialogue_api.ANSWER_MODES,
               "hide_reasons": dialogue_api.HIDE_REASONS, "templates": TEMPLATES,
               "done": DONE.get(request.query_params.get("klart", ""), ""), "values": {}, "errors": {}}
    return render(request, "dialogue/control.html", context | extra, status=status)


def back(event_id: str, done: str, anchor: str) -> RedirectResponse:
    return RedirectResponse(control_path(event_id, f"?klart={done}#{anchor}"), status_code=303)


def _status(resp_status: int) -> int:
    return resp_status if resp_status < 500 else 400


@router.get("/dialog/{event_id}", response_class=HTMLResponse,
            summary="Dialogue control for a day: prompts, counts, evaluation, moderation. "
                    "Roles: samla-admin, samla-facilitator.")
async def control(request: Request, event_id: str, viewer: Staff) -> HTMLResponse:
    return await page(request, viewer, event_id)


@router.post("/dialog/{event_id}/ny", response_class=HTMLResponse,
             summary="Create a prompt from a kind or a template. Roles: samla-admin, samla-facilitator (CSRF token).")
async def create_prompt(request: Request, event_id: str, viewer: Staff, _: None = CsrfChecked) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if k != "csrf_token"}
    try:
        body = prompt_body(form)
    except PromptFormProblem as problem:
        return await page(request, viewer, event_id, status=400, values=values, errors=problem.errors)
    resp = await dialogue_api.call(request, viewer, "POST", f"/events/{quoted(event_id)}/prompts", json=body)
    if resp.status_code != 201:
        return await page(request, viewer, event_id, status=_status(resp.status_code), values=values,
                          create_error=dialogue_api.refusal(resp, request))
    return back(event_id, "skapad", "omgangar")


@router.post("/dialog/{event_id}/fraga/{prompt_id}/{action}", response_class=HTMLResponse,
             summary="Open or close a prompt. Roles: samla-admin, samla-facilitator (CSRF token).")
async def open_or_close(request: Request, event_id: str, prompt_id: str, action: str, viewer: Staff,
                        _: None = CsrfChecked) -> Response:
    verb = {"oppna": "open", "stang": "close"}.get(action)
    if verb is None:
        return await page(request, viewer, event_id, status=404, error=N_("There is no such action."))
    resp = await dialogue_api.call(request, viewer, "POST", f"/prompts/{quoted(prompt_id)}/{verb}")
    if resp.status_code != 200:
        return await page(request, viewer, event_id, status=_status(resp.status_code),
                          error=dialogue_api.refusal(resp, request))
    return back(event_id, "oppnad" if verb == "open" else "stangd", f"p-{prompt_id}")


@router.post("/dialog/{event_id}/utvardering", response_class=HTMLResponse,
             summary="Create the evaluation survey, optionally with SKR's nine HME statements. "
                     "Roles: samla-admin, samla-facilitator (CSRF token).")
async def create_evaluation(request: Request, event_id: str, viewer: Staff, _: None = CsrfChecked) -> Response:
    form = await request.form()
    body: dict[str, Any] = {"include_hme": form.get("include_hme") == "true", "prompts": []}
    if form.get("overall") == "true":
        body["prompts"] = [{"kind": "scale", "title": "Hur nöjd är du med dagen som helhet?",
                            "scale": {"min": 1, "max": 5, "labels": {"1": "Inte alls nöjd", "5": "Mycket nöjd"}}},
                           {"kind": "open_text", "title": "Vad tar du med dig tillbaka till din verksamhet?"}]
    if not body["include_hme"] and not body["prompts"]:
        return await page(request, viewer, event_id, status=400,
                          evaluation_error=N_("Choose what the evaluation should contain."))
    resp = await dialogue_api.call(request, viewer, "POST", f"/events/{quoted(event_id)}/evaluation", json=body)
    if resp.status_code != 201:
        return await page(request, viewer, event_id, status=_status(resp.status_code),
                          evaluation_error=dialogue_api.refusal(resp, request))
    return back(event_id, "utvardering", "utvardering")


@router.post("/dialog/{event_id}/utvardering/{action}", response_class=HTMLResponse,
             summary="Open or close the whole evaluation. Roles: samla-admin, samla-facilitator (CSRF token).")
async def evaluation_status(request: Request, event_id: str, action: str, viewer: Staff,
                            _: None = CsrfChecked) -> Response:
    verb = {"oppna": "open", "stang": "close"}.get(action)
    if verb is None:
        return await page(request, viewer, event_id, status=404, error=N_("There is no such action."))
    resp = await dialogue_api.call(request, viewer, "POST", f"/events/{quoted(event_id)}/evaluation/{verb}")
    if resp.status_code != 200:
        return await page(request, viewer, event_id, status=_status(resp.status_code),
                          evaluation_error=dialogue_api.refusal(resp, request))
    return back(event_id, f"utvardering-{action}", "utvardering")


@router.post("/dialog/{event_id}/modera/{question_id}", response_class=HTMLResponse,
             summary="Moderate a question: approve, hide with a reason, merge, mark answered, assign a leader, "
                     "move the follow-up. Roles: samla-admin, samla-facilitator (follow-up: samla-admin) "
                     "(CSRF token).")
async def moderate(request: Request, event_id: str, question_id: str, viewer: Staff,
                   _: None = CsrfChecked) -> Response:
    form = await request.form()
    action = str(form.get("action", ""))
    if action not in MODERATION:
        return await page(request, viewer, event_id, status=400, error=N_("There is no such action."))
    method, suffix = MODERATION[action]
    resp = await dialogue_api.call(request, viewer, method, f"/questions/{quoted(question_id)}{suffix}",
                                   json=_moderation_body(action, form), answers_403=True)
    if resp.status_code != 200:
        return await page(request, viewer, event_id, status=_status(resp.status_code),
                          moderation_error=dialogue_api.refusal(resp, request))
    return back(event_id, "modererad", "moderering")


def _moderation_body(action: str, form: Any) -> dict[str, Any] | None:
    def text(name: str) -> str | None:
        return str(form.get(name, "")).strip() or None

    if action == "hide":
        return {"reason_code": text("reason_code") or "other", "reason": text("reason")}
    if action == "merge":
        return {"into_id": text("into_id") or "-"}
    if action == "answer":
        return {"mode": "written" if text("answer_text") else "stage", "text": text("answer_text")}
    if action == "assign":
        return {"person_id": text("person_id") or "-"}
    if action == "follow_up":
        return {"status": text("status") or "received", "note": text("note")}
    return None
