""""Dialog" on the participant's phone: the prompts open right now, a form for each kind, the saved answer to edit
while the prompt is open, and the answer code that anonymous prompts need.

The panel of open prompts is also served alone (`/dag/{id}/dialog/oppna`) so `static/dialogue.js` can fetch it
again when the gateway's live stream says the open prompts changed; without JavaScript a reload does the same.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth import cookies
from samla_gateway.auth.access import CsrfChecked, Person
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_
from samla_gateway.web import dialogue_api, events_api, i18n, my_day, render
from samla_gateway.web.dialogue_api import quoted
from samla_gateway.web.dialogue_forms import FormProblem, answer_body, posted_values, shown_values

router = APIRouter(tags=["web"], include_in_schema=False)
TOKEN_DAYS = 60  # the evaluation opens after the day; the code must still be there


def token_cookie(event_id: str) -> str:
    # One cookie per day; the hash keeps the name to the characters a cookie name allows.
    return "samla_answer_code_" + hashlib.sha256(event_id.encode()).hexdigest()[:16]


def dialogue_path(event_id: str, rest: str = "") -> str:
    return f"/dag/{quote(event_id, safe='')}/dialog{rest}"


async def invited_day(request: Request, viewer: Viewer, event_id: str) -> dict[str, Any]:
    """The day as the participant sees it on "Min dag"; the not-invited page otherwise."""
    resp = await events_api.call(request, viewer, "GET", my_day.me_path(event_id), answers_403=True)
    if resp.status_code in (403, 404, 422):
        raise my_day.not_invited()
    resp.raise_for_status()
    event: dict[str, Any] = resp.json()["event"]
    return event


async def open_prompts(request: Request, viewer: Viewer, event_id: str) -> list[dict[str, Any]]:
    resp = await dialogue_api.call(request, viewer, "GET", f"/events/{quoted(event_id)}/prompts",
                                   params={"status": "open"})
    prompts: list[dict[str, Any]] = dialogue_api.json_or(resp, [])
    return sorted(prompts, key=lambda p: (p["section"] != "dialogue", p.get("round_no") or 0, p["position"]))


async def saved_answer(request: Request, viewer: Viewer, prompt: dict[str, Any]) -> dict[str, Any] | None:
    if prompt["anonymous"]:
        return None  # an anonymous answer is linked to nobody, so it cannot be fetched back
    resp = await dialogue_api.call(request, viewer, "GET", f"/prompts/{quoted(prompt['id'])}/responses/mine")
    return resp.json() if resp.status_code == 200 else None


async def panel_context(request: Request, viewer: Viewer, event_id: str, *, failed: str = "", error: str = "",
                        posted: dict[str, Any] | None = None) -> dict[str, Any]:
    """The open prompts with what each form shows: the posted answer when it failed, else the saved one."""
    prompts = await open_prompts(request, viewer, event_id)
    saved = await asyncio.gather(*(saved_answer(request, viewer, p) for p in prompts))
    items = []
    for prompt, mine in zip(prompts, saved, strict=True):
        if prompt["id"] == failed:
            values = posted or {}
        else:
            values = shown_values(prompt, mine.get("value"), mine.get("text")) if mine else {}
        items.append({"prompt": prompt, "saved": mine is not None, "shown": values,
                      "error": error if prompt["id"] == failed else ""})
    # A prompt closed while someone was answering is no longer in the panel: say why at the top instead.
    orphan = error if failed and failed not in {p["id"] for p in prompts} else ""
    return {"event_id": event_id, "items": items, "orphan_error": orphan, "kind_labels": dialogue_api.KIND_LABELS,
            "has_code": bool(cookies.read(request, token_cookie(event_id))),
            "saved_id": request.query_params.get("sparat", ""),
            "live_url": f"/live/events/{quote(event_id, safe='')}/prompts",
            "panel_url": dialogue_path(event_id, "/oppna")}


async def page(request: Request, viewer: Viewer, event_id: str, *, status: int = 200,
               **extra: Any) -> HTMLResponse:
    event = await invited_day(request, viewer, event_id)
    context = await panel_context(request, viewer, event_id, failed=extra.pop("failed", ""),
                                  error=extra.pop("error", ""), posted=extra.pop("posted", None))
    return render(request, "dialogue/dialogue.html", context | {"event": event} | extra, status=status)


@router.get("/dag/{event_id}/dialog", response_class=HTMLResponse,
            summary="Dialog: answer the prompts open now (phone first). Any signed-in person (invited to the day).")
async def dialogue(request: Request, event_id: str, viewer: Person) -> HTMLResponse:
    return await page(request, viewer, event_id)


@router.get("/dag/{event_id}/dialog/oppna", response_class=HTMLResponse,
            summary="The open prompts alone (fetched again when they change). Any signed-in person.")
async def open_panel(request: Request, event_id: str, viewer: Person) -> HTMLResponse:
    return render(request, "dialogue/_panel.html", await panel_context(request, viewer, event_id))


@router.post("/dag/{event_id}/dialog/svarskod", response_class=HTMLResponse,
             summary="Fetch my answer code for anonymous prompts (kept in this browser only). "
                     "Any signed-in person seated at the day (CSRF token).")
async def fetch_code(request: Request, event_id: str, viewer: Person, _: None = CsrfChecked) -> Response:
    resp = await dialogue_api.call(request, viewer, "POST", f"/events/{quoted(event_id)}/eligibility-tokens/mine",
                                   answers_403=True)
    if resp.status_code != 201:
        return await page(request, viewer, event_id, status=resp.status_code if resp.status_code < 500 else 400,
                          code_error=dialogue_api.refusal(resp, request))
    done = RedirectResponse(dialogue_path(event_id, "?kod=1#oppna-fragor"), status_code=303)
    # The code lives in this browser alone: the gateway keeps no copy, so nobody can tie it to the person later.
    cookies.put(request, done, token_cookie(event_id), str(resp.json()["token"]), max_age=TOKEN_DAYS * 86400)
    return done


@router.post("/dag/{event_id}/dialog/{prompt_id}", response_class=HTMLResponse,
             summary="Answer (or change my answer to) an open prompt. Any signed-in person (CSRF token).")
async def answer(request: Request, event_id: str, prompt_id: str, viewer: Person,
                 _: None = CsrfChecked) -> Response:
    found = await dialogue_api.call(request, viewer, "GET", f"/prompts/{quoted(prompt_id)}")
    if found.status_code != 200 or found.json()["event_id"] != event_id:
        return await page(request, viewer, event_id, status=404,
                          notice_error=N_("The question no longer exists."))
    prompt: dict[str, Any] = found.json()
    form = await request.form()
    refused = await _send(request, viewer, prompt, form)
    if refused is None:
        return RedirectResponse(dialogue_path(event_id, f"?sparat={quote(prompt_id, safe='')}#fraga-"
                                                        f"{quote(prompt_id, safe='')}"), status_code=303)
    status, message = refused
    return await page(request, viewer, event_id, status=status, failed=prompt_id, error=message,
                      posted=posted_values(prompt, form))


async def _send(request: Request, viewer: Viewer, prompt: dict[str, Any], form: Any) -> tuple[int, str] | None:
    """None when feedback saved the answer; otherwise the status and the message to show at the prompt."""
    gettext = i18n.translations(request.state.lang).gettext
    try:
        body = answer_body(prompt, form)
    except FormProblem as problem:
        return 400, gettext(str(problem))
    if prompt["anonymous"]:
        body["eligibility_token"] = str(form.get("eligibility_token", "")).strip() or \
            cookies.read(request, token_cookie(prompt["event_id"])) or None
    resp = await dialogue_api.call(request, viewer, "POST", f"/prompts/{quoted(prompt['id'])}/responses", json=body,
                                   answers_403=True)
    if resp.status_code in (200, 201):
        return None
    limit = {"word_cloud": prompt.get("max_phrases") or 3, "priority": prompt.get("points_total") or 100}
    message = dialogue_api.refusal(resp, request, n=limit.get(prompt["kind"], prompt.get("max_text_length")))
    return (resp.status_code if resp.status_code < 500 else 400), message
