"""The evaluation report of one chefsdag (issue 5 item 8): participation, each prompt's results, themes with
quotes, and the questions to leadership with their follow-up.

Nothing here computes a result of its own: prompt results come from `live.results.compute` and themes from
`themes.service.insight`, so the report shows exactly what the board and the theme pages show under the event's
anonymity policy (k and differencing), and a group below k never reaches the report, its charts or its PDF.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samla_feedback.anonymity import policy
from samla_feedback.events import iso
from samla_feedback.live import results
from samla_feedback.participants.directory import person_name
from samla_feedback.participants.models import TableSeat
from samla_feedback.prompts import service as prompts
from samla_feedback.prompts.models import Prompt
from samla_feedback.questions import service as questions
from samla_feedback.report.figures import chart_for
from samla_feedback.themes import service as themes

QUESTION_FOLLOW_UP_SV = {"received": "Mottagen", "answered": "Besvarad", "decided": "Beslutad", "done": "Klar"}
# What feedback cannot know: invitations, registrations and check-ins live in the events service, and this
# service does not consume events.registration.v1. The report says so instead of guessing.
NOT_KNOWN_HERE = ("invited", "registered", "checked_in")


def event_report(*, session: Session, event_id: str) -> dict[str, Any]:
    """Everything the report page and the PDF show, as JSON."""
    k = policy.get(session=session, event_id=event_id).k
    shown = prompts.list_for_event(session=session, event_id=event_id, statuses=("open", "closed"))
    items = [_prompt_item(session, p, k) for p in shown]
    return {"event_id": event_id, "k": k, "generated_at": iso(datetime.now(UTC)),
            "participation": _participation(session, event_id, items),
            "prompts": items,
            "themes": _themes(session, event_id, k),
            "questions": _questions(session, event_id)}


def _prompt_item(session: Session, prompt: Prompt, k: int) -> dict[str, Any]:
    result = results.compute(session=session, prompt=prompt, k=k)
    chart = chart_for(prompt, result)
    return {"prompt": {"id": prompt.id, "title": prompt.title, "description": prompt.description,
                       "kind": prompt.kind, "section": prompt.section, "audience": prompt.audience,
                       "anonymous": prompt.anonymous, "status": prompt.status},
            "results": result,
            "chart": None if chart is None else asdict(chart)}


def _participation(session: Session, event_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    seated = session.execute(select(func.count(func.distinct(TableSeat.person_id)))
                             .where(TableSeat.event_id == event_id)).scalar_one()
    return {"seated": int(seated) or None, **dict.fromkeys(NOT_KNOWN_HERE),
            "prompts": [{"prompt_id": i["prompt"]["id"], "title": i["prompt"]["title"],
                         "section": i["prompt"]["section"], "audience": i["prompt"]["audience"],
                         "respondents": i["results"]["respondents"], "suppressed": i["results"]["suppressed"]}
                        for i in items]}


def _themes(session: Session, event_id: str, k: int) -> list[dict[str, Any]]:
    return [{"id": t.id, "title": t.title, "description": t.description, "status": t.status,
             "process_id": t.process_id, **themes.insight(session=session, theme=t, k=k)}
            for t in themes.list_for_event(session=session, event_id=event_id)]


def _questions(session: Session, event_id: str) -> list[dict[str, Any]]:
    """The questions on the wall (hidden and merged ones stay out), most votes first. Never who asked."""
    out = []
    for q in questions.wall(session=session, event_id=event_id, limit=500):
        out.append({"id": q.id, "text": q.text, "text_deleted": q.text_deleted_at is not None, "votes": q.votes,
                    "answer_mode": q.answer_mode, "answer_text": q.answer_text,
                    "assignee_name": person_name(session=session, person_id=q.assignee_id) if q.assignee_id
                    else None,
                    "follow_up": q.follow_up, "follow_up_label": QUESTION_FOLLOW_UP_SV[q.follow_up],
                    "follow_up_note": q.follow_up_note})
    return out
