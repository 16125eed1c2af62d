"""HTTP API for the evaluation report of a chefsdag: JSON for the web page, PDF to print, and each prompt's chart
as SVG for the page's images. Roles: samla-admin, samla-facilitator, samla-leadership."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from samla_common.deps import SessionDep
from samla_common.errors import NotFound
from samla_feedback.anonymity import policy
from samla_feedback.api import EventId, ObjectId, Staff, problems
from samla_feedback.documents import charts
from samla_feedback.live import results
from samla_feedback.prompts import service as prompts
from samla_feedback.report import content, pdf
from samla_feedback.report.figures import chart_for

router = APIRouter(tags=["report"])
ROLES = "Roles: samla-admin, samla-facilitator, samla-leadership."


@router.get("/events/{event_id}/report", responses=problems(),
            summary="The evaluation report of a chefsdag: participation, each prompt's k-protected results and "
                    f"chart data, themes with k-protected quotes, the questions and their follow-up. {ROLES}")
def get_report(event_id: EventId, session: SessionDep, _: Staff) -> dict[str, Any]:
    return content.event_report(session=session, event_id=event_id)


@router.get("/events/{event_id}/report.pdf", response_class=Response, responses={
    **problems(), 200: {"content": {"application/pdf": {}}, "description": "The report with its charts"}},
            summary=f"The evaluation report as PDF, with each prompt's chart as an image. {ROLES}")
def get_report_pdf(event_id: EventId, session: SessionDep, _: Staff) -> Response:
    body = pdf.render(content.event_report(session=session, event_id=event_id))
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{event_id}-utvardering.pdf"'})


@router.get("/events/{event_id}/report/charts/{prompt_id}.svg", response_class=Response, responses={
    **problems(404), 200: {"content": {"image/svg+xml": {}}, "description": "The chart"}},
            summary="One prompt's chart as SVG (404 when its result is below k or it has no chart). " + ROLES)
def get_chart(event_id: EventId, prompt_id: ObjectId, session: SessionDep, _: Staff) -> Response:
    prompt = prompts.get(session=session, prompt_id=prompt_id)
    if prompt.event_id != event_id or prompt.status == "draft":
        raise NotFound(f"No prompt {prompt_id!r} with results in this chefsdag.")
    result = results.compute(session=session, prompt=prompt, k=policy.get(session=session, event_id=event_id).k)
    chart = chart_for(prompt, result)
    if chart is None:
        raise NotFound("This prompt has no chart: fewer than k answered, or it is answered in free text.")
    return Response(charts.svg(chart), media_type="image/svg+xml",
                    headers={"Cache-Control": "private, no-store", "Content-Security-Policy": "default-src 'none'"})
