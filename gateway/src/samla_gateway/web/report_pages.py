"""Reports as web pages with a PDF to download: the leadership report of a process (issue 7) and the evaluation
report of a chefsdag (issue 5), each chart an image feedback draws.

Feedback checks the roles (the owner and staff for a process; samla-admin, -facilitator, -leadership for a day)
and applies the anonymity rules; the PDF and the charts are passed through as feedback made them.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from samla_common.auth import ADMIN, FACILITATOR, LEADERSHIP
from samla_gateway.auth.access import Person
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_, PageError
from samla_gateway.web import render
from samla_gateway.web.process_pages import checked, feedback, labels, process_forbidden, process_path

router = APIRouter(tags=["web"], include_in_schema=False)

PROMPT_KINDS = {"open_text": N_("Open question"), "choice": N_("Single choice"), "multi_choice": N_("Multiple choice"),
                "scale": N_("Scale"), "word_cloud": N_("Word cloud"), "ranking": N_("Ranking"),
                "priority": N_("Points allocation")}
SECTIONS = {"dialogue": N_("Dialogue"), "evaluation": N_("Evaluation")}
FOLLOW_UP = {"received": N_("Received"), "answered": N_("Answered"), "decided": N_("Decided"), "done": N_("Done")}
# Headers of a passed-through file that say what it is and how to save it; nothing else is copied.
PASSED = ("content-type", "content-disposition")


def report_forbidden() -> PageError:
    return PageError(403, N_("Not allowed"),
                     N_("The evaluation report is for Samla's administrators, facilitators and leadership (the "
                        "roles samla-admin, samla-facilitator and samla-leadership)."))


async def report_reader(viewer: Person) -> Viewer:
    """Who may read a day's evaluation report: checked here too, so a refused request never reaches feedback."""
    if not viewer.principal.has_any([ADMIN, FACILITATOR, LEADERSHIP]):
        raise report_forbidden()
    return viewer


ReportReader = Annotated[Viewer, Depends(report_reader)]


def day_checked(resp: httpx.Response) -> Any:
    if resp.status_code == 403:
        raise report_forbidden()
    if resp.status_code in (404, 422):
        raise PageError(404, N_("Report not found"), N_("There is no report at this address."))
    resp.raise_for_status()
    return resp.json()


def passed_through(resp: httpx.Response, *, forbidden: PageError) -> Response:
    """A file from feedback (PDF or chart) as it came; refusals become pages."""
    if resp.status_code == 403:
        raise forbidden
    if resp.status_code != 200:
        raise PageError(404, N_("File not found"),
                        N_("There is nothing to show here: the chart or report does not exist, or fewer people "
                           "answered than the anonymity rules need."))
    headers = {name: resp.headers[name] for name in PASSED if name in resp.headers}
    return Response(resp.content, headers=headers | {"Cache-Control": "private, no-store"})


@router.get("/processer/{process_id}/rapport", response_class=HTMLResponse,
            summary="The leadership report of a process, with its PDF. The owner, samla-leadership, samla-admin, "
                    "samla-facilitator.")
async def process_report(request: Request, process_id: str, viewer: Person) -> HTMLResponse:
    report = checked(await feedback(request, viewer, "GET", process_path(process_id, "/report")))
    return render(request, "report/process.html", {"report": report, "process": report["process"]} | labels())


@router.get("/processer/{process_id}/rapport.pdf", summary="The leadership report as PDF. The owner, "
            "samla-leadership, samla-admin, samla-facilitator.")
async def process_report_pdf(request: Request, process_id: str, viewer: Person) -> Response:
    resp = await feedback(request, viewer, "GET", process_path(process_id, "/report.pdf"))
    return passed_through(resp, forbidden=process_forbidden())


def day_path(event_id: str, rest: str = "") -> str:
    return f"/events/{quote(event_id, safe='')}{rest}"


def chart_url(event_id: str, prompt_id: str) -> str:
    return f"/chefsdagar/{quote(event_id, safe='')}/rapport/diagram/{quote(prompt_id, safe='')}.svg"


async def day_report(request: Request, viewer: Viewer, event_id: str) -> dict[str, Any]:
    report: dict[str, Any] = day_checked(await feedback(request, viewer, "GET", day_path(event_id, "/report")))
    return report


@router.get("/chefsdagar/{event_id}/rapport", response_class=HTMLResponse,
            summary="The evaluation report of a chefsdag: participation, results with charts, themes, questions; "
                    "with its PDF. samla-admin, samla-facilitator, samla-leadership.")
async def event_report(request: Request, event_id: str, viewer: ReportReader) -> HTMLResponse:
    report = await day_report(request, viewer, event_id)
    return render(request, "report/event.html", {
        "report": report, "event_id": event_id, "prompt_kinds": PROMPT_KINDS, "sections": SECTIONS,
        "follow_up_labels": FOLLOW_UP, "zip": zip, "chart_url": lambda prompt_id: chart_url(event_id, prompt_id)})


@router.get("/chefsdagar/{event_id}/rapport.pdf",
            summary="The evaluation report as PDF. samla-admin, samla-facilitator, samla-leadership.")
async def event_report_pdf(request: Request, event_id: str, viewer: ReportReader) -> Response:
    resp = await feedback(request, viewer, "GET", day_path(event_id, "/report.pdf"))
    return passed_through(resp, forbidden=report_forbidden())


@router.get("/chefsdagar/{event_id}/rapport/diagram/{prompt_id}.svg",
            summary="One chart of the evaluation report (SVG). samla-admin, samla-facilitator, samla-leadership.")
async def event_chart(request: Request, event_id: str, prompt_id: str, viewer: ReportReader) -> Response:
    resp = await feedback(request, viewer, "GET",
                          day_path(event_id, f"/report/charts/{quote(prompt_id, safe='')}.svg"))
    return passed_through(resp, forbidden=report_forbidden())
