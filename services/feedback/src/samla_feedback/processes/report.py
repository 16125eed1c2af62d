"""What a process shows: the public follow-up ("this is what happened with our input") for every manager, and
the leadership report (what was asked, participation, priorities, themes with quotes, the decision log)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from samla_feedback.anonymity import policy
from samla_feedback.events import iso
from samla_feedback.participants.directory import person_name
from samla_feedback.processes import decisions, inputs
from samla_feedback.processes import service as processes
from samla_feedback.processes.models import DecisionEntry, Process
from samla_feedback.texts import DECISION_STATUS, FOLLOW_UP_NOTICE
from samla_feedback.themes import service as themes


def process_summary(process: Process) -> dict[str, Any]:
    return {"id": process.id, "title": process.title, "kind": process.kind, "owner_id": process.owner_id,
            "description": process.description, "series": process.series, "year": process.year,
            "phases": process.phases, "current_phase": processes.current_phase(process),
            "event_ids": process.event_ids}


def follow_up(*, session: Session, process: Process) -> dict[str, Any]:
    """Each theme and area with its status and leadership's response, and the log. Counts only: no answers."""
    names: dict[str, str | None] = {}
    items = []
    for entry in decisions.entries(session=session, process=process):
        d = entry.decision
        owner = d.owner_id if d else None
        if owner and owner not in names:
            names[owner] = person_name(session=session, person_id=owner)
        items.append({"subject_id": entry.subject.id, "subject_kind": entry.subject.kind,
                      "title": entry.subject.title, "status": entry.status,
                      "status_label": DECISION_STATUS[entry.status].model_dump(), "owner_id": owner,
                      "owner_name": names.get(owner) if owner else None, "response": d.response if d else None,
                      "updated_at": iso(d.updated_at) if d else None})
    return {"process": process_summary(process), "notice": FOLLOW_UP_NOTICE.model_dump(), "items": items,
            "log": [_log_entry(e) for e in decisions.log(session=session, process_id=process.id)]}


def leadership_report(*, session: Session, process: Process) -> dict[str, Any]:
    """Everything the PDF shows, as JSON for the web page."""
    asked = [{"prompt_id": p.id, "event_id": p.event_id, "title": p.title, "kind": p.kind, "status": p.status}
             for p in processes.prompts_of(session=session, process=process,
                                           kinds=("priority", "ranking", "open_text", "word_cloud", "choice",
                                                  "multi_choice", "scale"))]
    priorities = inputs.process_input(session=session, process=process)
    participation = []
    for item in priorities:
        total = next(c for c in item["cells"] if c["dimension"] == "total")
        participation.append({
            "prompt_id": item["prompt_id"], "event_id": item["event_id"], "title": item["title"], "k": item["k"],
            "people": total["people"], "suppressed": total["suppressed"],
            "administrations": [{"id": c["value"], "name": c["name"], "people": c["people"],
                                 "suppressed": c["suppressed"]}
                                for c in item["cells"] if c["dimension"] == "administration"]})
    status_of = {e.subject.id: e.status for e in decisions.entries(session=session, process=process)}
    theme_items = []
    for theme in decisions.themes_of(session=session, process=process):
        k = policy.get(session=session, event_id=theme.event_id).k
        facts = themes.insight(session=session, theme=theme, k=k)
        theme_items.append({"id": theme.id, "event_id": theme.event_id, "title": theme.title,
                            "description": theme.description, "status": status_of.get(theme.id, "received"),
                            **facts})
    return {"process": process_summary(process), "asked": asked, "participation": participation,
            "priorities": priorities, "themes": theme_items,
            "decisions": follow_up(session=session, process=process)["items"],
            "log": [_log_entry(e) for e in decisions.log(session=session, process_id=process.id)]}


def _log_entry(e: DecisionEntry) -> dict[str, Any]:
    return {"subject_id": e.subject_id, "title": e.title, "status_from": e.status_from, "status_to": e.status_to,
            "owner_id": e.owner_id, "response": e.response, "changed_at": iso(e.changed_at)}
