"""Calls from the dialogue pages to the feedback service with the signed-in person's own token, the words its codes
are shown with, and its refusals said in the page's language.

Feedback answers in English (`detail`, `errors[].field`); people in the hall read Swedish. So each refusal the pages
can meet is matched here by its status and field (or, for the few conflicts that share a status, the start of the
service's detail) and replaced by a message from the catalogue. Anything unmatched falls back to a general message
with the service's own words beside it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import Request

from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_, PageError
from samla_gateway.web import i18n, upstream

KIND_LABELS = {"open_text": N_("Open question"), "choice": N_("Single choice"), "multi_choice": N_("Multiple choice"),
               "scale": N_("Scale"), "word_cloud": N_("Word cloud"), "ranking": N_("Ranking"),
               "priority": N_("Spread points")}
PROMPT_STATUS = {"draft": N_("Not opened"), "open": N_("Open"), "closed": N_("Closed")}
QUESTION_STATUS = {"pending": N_("Waiting for moderation"), "approved": N_("On the wall"), "hidden": N_("Hidden"),
                   "merged": N_("Merged")}
FOLLOW_UP = {"received": N_("Received"), "answered": N_("Answered"), "decided": N_("Decided"), "done": N_("Done")}
ANSWER_MODES = {"stage": N_("Answered on stage"), "written": N_("Answered in writing")}
HIDE_REASONS = {"duplicate": N_("Duplicate of another question"), "off_topic": N_("Off topic"),
                "personal_data": N_("Names or points out a person"), "offensive": N_("Offensive"),
                "other": N_("Other reason")}
MODERATION_ACTIONS = {"approved": N_("Approved"), "hidden": N_("Hidden"), "merged": N_("Merged")}

# (status, field or detail prefix, message). A field rule matches errors[0].field (its part before a dot).
_RULES: list[tuple[int, str, str]] = [
    (409, "The prompt is", N_("This question is closed. Answers are no longer accepted.")),
    (409, "This answer token has already", N_("Your answer code has already answered this question. "
                                              "An anonymous answer cannot be changed.")),
    (409, "Your answer token for this event", N_("Your answer code has already been handed out. Ask the check-in "
                                                 "desk for a paper code if you have lost it.")),
    (409, "Only questions on the wall", N_("Only questions on the wall can be voted for, answered or followed "
                                           "up.")),
    (409, "The follow-up is already", N_("The follow-up status only moves forward.")),
    (409, "A merged question", N_("The question is merged into another one.")),
    (409, "The question is merged", N_("The question is merged into another one.")),
    (403, "This table has a scribe", N_("Your table has a scribe: the scribe writes the table's answer.")),
    (403, "Only people seated at a table", N_("Only people seated at a table in this round can write its "
                                              "answer.")),
    (403, "Only people seated at this event", N_("Only people seated at this chefsdag can fetch an answer code.")),
    (404, "No prompt", N_("The question no longer exists.")),
    (404, "No question", N_("The question no longer exists.")),
    (422, "choice", N_("Choose one of the options.")),
    (422, "choices", N_("Choose at least one of the options.")),
    (422, "scale", N_("Choose a value on the scale.")),
    (422, "phrases", N_("Write one to %(n)s words or short phrases, each at most four words.")),
    (422, "ranking", N_("Give each option you rank a place of its own.")),
    (422, "points", N_("Spread exactly %(n)s points, none below zero.")),
    (422, "eligibility_token", N_("The answer code is missing or does not belong to this chefsdag.")),
    (422, "into_id", N_("Choose another question to merge into.")),
    (422, "person_id", N_("Choose a person from the list.")),
]
TOO_LONG = N_("The text is too long: at most %(n)s characters.")
EMPTY = N_("Write something first.")
FALLBACK = {403: N_("You are not allowed to do that."), 404: N_("It no longer exists."),
            409: N_("That is not possible right now."), 422: N_("Check what you wrote and try again.")}


class FeedbackUnavailable(PageError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(503, N_("The dialogue service is not answering"),
                         N_("The dialogue and questions cannot be reached right now. Nothing you did caused this. "
                            "Try again in a minute."), detail=detail)


async def call(request: Request, viewer: Viewer, method: str, path: str, *, params: dict[str, Any] | None = None,
               json: Any = None, answers_403: bool = False) -> httpx.Response:
    """One request to feedback; 401, 403 (unless `answers_403`) and outages are raised, other answers returned."""
    return await upstream.call(request, viewer, "feedback", method, path, params=params, json=json,
                               answers_403=answers_403, unavailable=FeedbackUnavailable)


def quoted(value: str) -> str:
    return quote(value, safe="")


def json_or(resp: httpx.Response, default: Any) -> Any:
    return resp.json() if resp.status_code in (200, 201) else default


def refusal(resp: httpx.Response, request: Request, *, n: int | None = None) -> str:
    """Why feedback refused, in the page's language. `n` fills the numbers some messages carry (the limit)."""
    gettext = i18n.translations(request.state.lang).gettext
    body = _body(resp)
    detail = str(body.get("detail") or "")
    errors = body.get("errors") if isinstance(body.get("errors"), list) else []
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    field = str(first.get("field") or "").split(".")[0]
    message = str(first.get("message") or "")
    if resp.status_code == 422 and field == "text":
        if "at most" in message:
            limit = re.search(r"at most (\d+)", message)
            return gettext(TOO_LONG) % {"n": limit.group(1) if limit else n}
        return gettext(EMPTY)
    for status, key, text in _RULES:
        if status != resp.status_code:
            continue
        if (status == 422 and key == field) or (status != 422 and detail.startswith(key)):
            return gettext(text) % {"n": n if n is not None else _number(message)} if "%(n)s" in text \
                else gettext(text)
    fallback = gettext(FALLBACK.get(resp.status_code, N_("Something went wrong. Try again.")))
    return f"{fallback} ({upstream.problem_message(resp, request.state.lang)})"


def _body(resp: httpx.Response) -> dict[str, Any]:
    try:
        body = resp.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _number(message: str) -> str:
    found = re.findall(r"\d+", message)
    return found[-1] if found else "?"
