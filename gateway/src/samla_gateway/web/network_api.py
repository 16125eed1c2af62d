"""Calls from pages to the network service (matching runs and leadership networks) with the signed-in person's
own token, and the labels its codes are shown with. Network decides what each person may see and do."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
from fastapi import Request

from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_, PageError
from samla_gateway.web import upstream

RUN_STATUS = {"draft": N_("Not started"), "running": N_("Running"), "done": N_("Finished, ready to review"),
              "failed": N_("Failed"), "published": N_("Published")}
RUN_KINDS = {"groups": N_("Peer groups"), "mentors": N_("Mentor pairs")}
GROUP_STATUS = {"active": N_("Active"), "dissolved": N_("Dissolved")}
EXCLUDED = {"opted_out": N_("has opted out of networks"), "not_in_directory": N_("is not in the directory"),
            "inactive": N_("is no longer active"),
            "reporting_line": N_("is above too many of the others in the reporting line to fit in any group")}
VIOLATIONS = {"reporting_line": N_("A manager and someone reporting to them share a group"),
              "apart": N_("Two people to be kept apart share a group"),
              "administration_cap": N_("Too many from one administration in a group"),
              "size": N_("A group is outside the size range"), "coverage": N_("Someone is missing or placed twice"),
              "together": N_("People to be together are split")}
SHARE_FIELDS = {"title": N_("Title"), "challenges": N_("Challenges"), "challenges_text": N_("In my own words"),
                "languages": N_("Languages"), "availability": N_("Times that suit me"),
                "location": N_("Where I can meet"), "years_as_manager": N_("Years as a manager")}
LANGUAGES = {"sv": N_("Swedish"), "en": N_("English"), "fi": N_("Finnish"), "ar": N_("Arabic"),
             "es": N_("Spanish"), "de": N_("German"), "fr": N_("French"), "so": N_("Somali"),
             "fa": N_("Persian"), "sgn-se": N_("Swedish sign language")}
SLOTS = {f"{d}-{h}": (day, half) for d, day in (("man", N_("Monday")), ("tis", N_("Tuesday")),
                                                 ("ons", N_("Wednesday")), ("tor", N_("Thursday")),
                                                 ("fre", N_("Friday")))
         for h, half in (("fm", N_("morning")), ("em", N_("afternoon")))}


class NetworkUnavailable(PageError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(503, N_("The network service is not answering"),
                         N_("The service for leadership networks cannot be reached right now. Nothing you did "
                            "caused this. Try again in a minute."), detail=detail)


def run_not_found() -> PageError:
    return PageError(404, N_("Matching run not found"), N_("There is no matching run at this address."))


def group_not_found() -> PageError:
    return PageError(404, N_("Network not found"),
                     N_("There is no network at this address, or you are not a member of it."))


async def call(request: Request, viewer: Viewer, method: str, path: str, *, params: dict[str, Any] | None = None,
               json: Any = None, answers_403: bool = False) -> httpx.Response:
    """One request to network; 401, 403 (unless `answers_403`) and outages are raised, other answers returned."""
    return await upstream.call(request, viewer, "network", method, path, params=params, json=json,
                               answers_403=answers_403, unavailable=NetworkUnavailable)


def run_path(run_id: str, rest: str = "") -> str:
    return f"/runs/{quote(run_id, safe='')}{rest}"


def group_path(group_id: str, rest: str = "") -> str:
    return f"/groups/{quote(group_id, safe='')}{rest}"


def json_or(resp: httpx.Response, default: Any) -> Any:
    """The answer's JSON when it succeeded, otherwise `default` (a part of a page that can be left out)."""
    return resp.json() if resp.status_code in (200, 201) else default


def message(resp: httpx.Response, request: Request) -> str:
    """What network said was wrong, with every field's reason."""
    try:
        body = resp.json()
    except ValueError:
        return f"HTTP {resp.status_code}"
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and len(errors) > 1:
        reasons = [f"{e.get('field') or ''}: {e.get('message', '')}".lstrip(": ") for e in errors
                   if isinstance(e, dict)]
        return "; ".join(r for r in reasons if r)
    return upstream.problem_message(resp, request.state.lang)


def closeness(objective: float | None, bound: float | None) -> int | None:
    """How close a grouping is to the best possible, in whole per cent (objective / proven upper bound)."""
    if objective is None or not bound or bound <= 0:
        return None
    return max(0, min(100, round(100 * objective / bound)))


def status_code_for(resp: httpx.Response) -> int:
    """The page's status when network refused: 409 for a state conflict, 404 when gone, otherwise 400."""
    return resp.status_code if resp.status_code in (404, 409) else 400


async def challenge_labels(request: Request, viewer: Viewer) -> dict[str, str]:
    """Challenge id → its label in the page's language (empty when the list cannot be had: ids are shown)."""
    resp = await call(request, viewer, "GET", "/profile/options")
    options = json_or(resp, {"challenges": []})
    key = "label_sv" if request.state.lang == "sv" else "label_en"
    return {c["id"]: c[key] for c in options["challenges"]}
