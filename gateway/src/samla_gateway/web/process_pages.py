"""Budget and vision processes (issue 7): the list, a process page for its owner and staff (phases, linked days,
themes with totals and spread, decisions per theme), and the public follow-up page every manager may read.

Feedback decides what each person may see and do (the owner, samla-leadership, -admin, -facilitator); the pages
only show its answers, already k-protected, and turn its refusals into pages that say what to do.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_common.auth import ADMIN, FACILITATOR, LEADERSHIP
from samla_gateway.auth.access import CsrfChecked, Person
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_, PageError
from samla_gateway.web import render, upstream

router = APIRouter(tags=["web"], include_in_schema=False)

KIND_LABELS = {"budget": N_("Budget process"), "vision": N_("Vision work"), "other": N_("Process")}
PHASE_LABELS = {"kick_off": N_("Kick-off day"), "dialogue": N_("Dialogue input"),
                "prioritisation": N_("Prioritisation"), "decision": N_("Decision"), "follow_up": N_("Follow-up")}
STATUS_LABELS = {"received": N_("Received"), "under_consideration": N_("Under consideration"),
                 "decided": N_("Decided"), "implemented": N_("Implemented"), "not_pursued": N_("Not pursued")}
# Where each status may go next (as feedback's processes.models.TRANSITIONS): the form offers only these.
NEXT_STATUS = {"received": ("under_consideration", "not_pursued"), "under_consideration": ("decided", "not_pursued"),
               "decided": ("implemented", "not_pursued"), "implemented": (), "not_pursued": ()}
MAX_RESPONSE = 10_000
MAX_OWNER = 200


class FeedbackUnavailable(PageError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(503, N_("The feedback service is not answering"),
                         N_("The service for dialogue and follow-up cannot be reached right now. Nothing you did "
                            "caused this. Try again in a minute."), detail=detail)


def process_forbidden() -> PageError:
    return PageError(403, N_("Not allowed"),
                     N_("This page is for the process owner and for Samla's leadership, administrators and "
                        "facilitators. Managers can read what happened with the input on the follow-up page."))


def process_not_found() -> PageError:
    return PageError(404, N_("Process not found"), N_("There is no budget or vision process at this address."))


async def feedback(request: Request, viewer: Viewer, method: str, path: str, *, json: Any = None) -> httpx.Response:
    """One request to feedback with the person's own token; a 403 is left to the caller to explain."""
    return await upstream.call(request, viewer, "feedback", method, path, json=json, answers_403=True,
                               unavailable=FeedbackUnavailable)


def checked(resp: httpx.Response) -> Any:
    """The JSON of a successful answer; a refusal or an unknown process becomes its page."""
    if resp.status_code == 403:
        raise process_forbidden()
    if resp.status_code in (404, 422):
        raise process_not_found()
    resp.raise_for_status()
    return resp.json()


def process_path(process_id: str, rest: str = "") -> str:
    return f"/processes/{quote(process_id, safe='')}{rest}"


def can_decide(viewer: Viewer, process: dict[str, Any]) -> bool:
    """Leadership and the process owner set decisions (feedback checks the same)."""
    return viewer.principal.has_any([LEADERSHIP]) or viewer.principal.sub == process.get("owner_id")


def can_read_input(viewer: Viewer, process: dict[str, Any]) -> bool:
    return viewer.principal.has_any([LEADERSHIP, ADMIN, FACILITATOR]) or viewer.principal.sub == process["owner_id"]


def labels() -> dict[str, Any]:
    return {"kind_labels_process": KIND_LABELS, "phase_labels": PHASE_LABELS, "status_labels": STATUS_LABELS}


@router.get("/processer", response_class=HTMLResponse,
            summary="Budget and vision processes: the list, with the follow-up of each. Any signed-in person.")
async def list_processes(request: Request, viewer: Person) -> HTMLResponse:
    processes = checked(await feedback(request, viewer, "GET", "/processes"))
    rows = [{"process": p, "full": can_read_input(viewer, p)} for p in processes]
    return render(request, "processes/list.html", {"rows": rows} | labels())


async def process_page(request: Request, viewer: Viewer, process_id: str, *, status: int = 200,
                       **extra: Any) -> HTMLResponse:
    process_resp, report_resp = await asyncio.gather(
        feedback(request, viewer, "GET", process_path(process_id)),
        feedback(request, viewer, "GET", process_path(process_id, "/report")))
    process = checked(process_resp)
    report = checked(report_resp)
    context = {"process": process, "report": report, "can_decide": can_decide(viewer, process),
               "next_status": NEXT_STATUS, "values": {}, "errors": {}, "error_subject": None,
               "saved": request.query_params.get("sparat", "")}
    return render(request, "processes/detail.html", context | labels() | extra, status=status)


@router.get("/processer/{process_id}", response_class=HTMLResponse,
            summary="One process: phases, linked days, priorities and themes (k-protected) with their decisions. "
                    "The owner, samla-leadership, samla-admin, samla-facilitator.")
async def show_process(request: Request, process_id: str, viewer: Person) -> HTMLResponse:
    return await process_page(request, viewer, process_id)


def decision_errors(status: str, owner_id: str, response: str) -> dict[str, str]:
    """What to correct before asking feedback, in words a person can act on."""
    errors: dict[str, str] = {}
    if status and status not in STATUS_LABELS:
        errors["status"] = N_("Choose one of the statuses in the list.")
    if len(owner_id) > MAX_OWNER:
        errors["owner_id"] = N_("The owner's id can be at most 200 characters.")
    if len(response) > MAX_RESPONSE:
        errors["response"] = N_("The response can be at most 10,000 characters. Shorten it, or link to a document.")
    if status in ("decided", "not_pursued") and not response.strip():
        errors["response"] = N_("Write a response that tells the managers what was decided and why.")
    return errors


@router.post("/processer/{process_id}/beslut/{subject_id}", response_class=HTMLResponse,
             summary="Set a theme's or area's status, owner and written response. The process owner and "
                     "samla-leadership (CSRF token).")
async def decide(request: Request, process_id: str, subject_id: str, viewer: Person,
                 status: Annotated[str, Form()] = "", owner_id: Annotated[str, Form()] = "",
                 response: Annotated[str, Form()] = "", _: None = CsrfChecked) -> Response:
    values = {"status": status, "owner_id": owner_id, "response": response}
    errors = decision_errors(status, owner_id.strip(), response)
    if errors:
        return await process_page(request, viewer, process_id, status=400, values=values, errors=errors,
                                  error_subject=subject_id)
    body = {"status": status or None, "owner_id": owner_id.strip() or None, "response": response}
    resp = await feedback(request, viewer, "PUT", process_path(process_id, f"/decisions/{quote(subject_id, safe='')}"),
                          json=body)
    if resp.status_code == 403:
        raise PageError(403, N_("Not allowed"),
                        N_("Only the process owner and Samla's leadership (the role samla-leadership) can set "
                           "decisions."))
    if resp.status_code != 200:
        message = {404: N_("There is no such theme or area in this process."),
                   409: N_("The status cannot move that way. A theme goes from received to under consideration, "
                           "then decided, then implemented; any of them can become not pursued.")}.get(
            resp.status_code, N_("The decision could not be saved."))
        return await process_page(request, viewer, process_id, status=400, values=values, errors={},
                                  error_subject=subject_id, error=message,
                                  detail=upstream.problem_message(resp, request.state.lang))
    target = f"/processer/{quote(process_id, safe='')}?sparat={quote(subject_id, safe='')}#beslut-{subject_id}"
    return RedirectResponse(target, status_code=303)


@router.get("/processer/{process_id}/uppfoljning", response_class=HTMLResponse,
            summary="What happened with our input: each theme's status and leadership's response. "
                    "Any signed-in person.")
async def follow_up(request: Request, process_id: str, viewer: Person) -> HTMLResponse:
    data = checked(await feedback(request, viewer, "GET", process_path(process_id, "/follow-up")))
    return render(request, "processes/follow_up.html",
                  {"data": data, "process": data["process"], "full": can_read_input(viewer, data["process"])}
                  | labels())
