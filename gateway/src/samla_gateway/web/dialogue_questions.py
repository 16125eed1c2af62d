""""Frågor till ledningen" on the participant's phone: ask (named or anonymously), vote once, sort by votes or
newest, and see what the moderators did and why (the public log) and how each question is followed up."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import CsrfChecked, Person
from samla_gateway.auth.viewer import Viewer
from samla_gateway.web import dialogue_api, render
from samla_gateway.web.dialogue_api import quoted
from samla_gateway.web.dialogue_pages import invited_day

router = APIRouter(tags=["web"], include_in_schema=False)
SORTS = {"roster": "votes", "nyast": "newest"}
MAX_QUESTION = 1000


def questions_path(event_id: str, rest: str = "") -> str:
    return f"/dag/{quote(event_id, safe='')}/fragor{rest}"


async def page(request: Request, viewer: Viewer, event_id: str, *, status: int = 200, **extra: Any) -> HTMLResponse:
    sort = request.query_params.get("sortera", "roster")
    event, wall, log = await asyncio.gather(
        invited_day(request, viewer, event_id),
        dialogue_api.call(request, viewer, "GET", f"/events/{quoted(event_id)}/questions",
                          params={"sort": SORTS.get(sort, "votes")}),
        dialogue_api.call(request, viewer, "GET", f"/events/{quoted(event_id)}/moderation-log"))
    board = dialogue_api.json_or(wall, {"questions": [], "notice": None})
    context = {"event": event, "questions": board["questions"], "notice": board.get("notice"),
               "log": list(reversed(dialogue_api.json_or(log, []))), "sort": sort if sort in SORTS else "roster",
               "max_question": MAX_QUESTION, "status_labels": dialogue_api.QUESTION_STATUS,
               "follow_up_labels": dialogue_api.FOLLOW_UP, "answer_modes": dialogue_api.ANSWER_MODES,
               "hide_reasons": dialogue_api.HIDE_REASONS, "actions": dialogue_api.MODERATION_ACTIONS,
               "asked": request.query_params.get("fragad", "")}
    return render(request, "dialogue/questions.html", context | extra, status=status)


@router.get("/dag/{event_id}/fragor", response_class=HTMLResponse,
            summary="Questions to the leadership: the wall, asking, votes, moderation log, follow-up. "
                    "Any signed-in person (invited to the day).")
async def questions(request: Request, event_id: str, viewer: Person) -> HTMLResponse:
    return await page(request, viewer, event_id)


@router.post("/dag/{event_id}/fragor", response_class=HTMLResponse,
             summary="Ask the leadership a question, named or anonymously. Any signed-in person (CSRF token).")
async def ask(request: Request, event_id: str, viewer: Person, _: None = CsrfChecked) -> Response:
    form = await request.form()
    text = str(form.get("text", ""))
    anonymous = form.get("anonymous") == "true"
    resp = await dialogue_api.call(request, viewer, "POST", f"/events/{quoted(event_id)}/questions",
                                   json={"text": text[:5000], "anonymous": anonymous})
    if resp.status_code != 201:
        return await page(request, viewer, event_id, status=resp.status_code if resp.status_code < 500 else 400,
                          error=dialogue_api.refusal(resp, request, n=MAX_QUESTION), text=text, anonymous=anonymous)
    asked = "vaggen" if resp.json()["status"] == "approved" else "granskas"
    return RedirectResponse(questions_path(event_id, f"?fragad={asked}#stall-fraga"), status_code=303)


@router.post("/dag/{event_id}/fragor/{question_id}/rost", response_class=HTMLResponse,
             summary="Vote for a question (once), or take the vote back. Any signed-in person (CSRF token).")
async def vote(request: Request, event_id: str, question_id: str, viewer: Person,
               _: None = CsrfChecked) -> Response:
    form = await request.form()
    method = "DELETE" if form.get("action") == "undo" else "POST"
    resp = await dialogue_api.call(request, viewer, method, f"/questions/{quoted(question_id)}/votes")
    back = f"?sortera={quote(str(form.get('sortera', 'roster')), safe='')}#q-{quote(question_id, safe='')}"
    if resp.status_code not in (200, 201):
        return await page(request, viewer, event_id, status=resp.status_code if resp.status_code < 500 else 400,
                          error=dialogue_api.refusal(resp, request))
    return RedirectResponse(questions_path(event_id, back), status_code=303)
