"""The decision log: where each theme (a published insight) or area of a process stands, what leadership answered,
and the notifications, outbox event and webhook deliveries a status change brings, all in one transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, NotFound
from samla_feedback import events
from samla_feedback.processes import inputs
from samla_feedback.processes import service as processes
from samla_feedback.processes.models import TRANSITIONS, Decision, DecisionEntry, Notification, Process
from samla_feedback.responses.models import Response
from samla_feedback.texts import DECISION_STATUS, STATUS_CHANGED
from samla_feedback.themes.models import Theme, ThemeResponse
from samla_feedback.webhooks import service as webhooks

STATUS_CHANGED_TYPE = "se.samla.feedback.theme.status_changed.v1"


@dataclass(frozen=True)
class Subject:
    id: str
    kind: str  # theme | area
    title: str


@dataclass
class Entry:
    """A subject with its decision (status "received" until someone changes it)."""

    subject: Subject
    decision: Decision | None

    @property
    def status(self) -> str:
        return self.decision.status if self.decision else "received"


def themes_of(*, session: Session, process: Process) -> list[Theme]:
    """The themes published as insights for the process."""
    return list(session.scalars(select(Theme).where(Theme.process_id == process.id, Theme.status == "published")
                                .order_by(Theme.published_at, Theme.id)))


def subjects(*, session: Session, process: Process) -> list[Subject]:
    """What decisions are about: the process's published themes, then its areas."""
    out = [Subject(t.id, "theme", t.title) for t in themes_of(session=session, process=process)]
    return out + [Subject(a["id"], "area", a["title"]) for a in process.areas]


def entries(*, session: Session, process: Process) -> list[Entry]:
    rows = {d.subject_id: d for d in session.scalars(select(Decision).where(Decision.process_id == process.id))}
    return [Entry(s, rows.get(s.id)) for s in subjects(session=session, process=process)]


def log(*, session: Session, process_id: str) -> list[DecisionEntry]:
    """Every change, oldest first."""
    return list(session.scalars(select(DecisionEntry).where(DecisionEntry.process_id == process_id)
                                .order_by(DecisionEntry.id)))


def decide(*, session: Session, process: Process, subject_id: str, status: str | None, owner_id: str | None,
           response: str | None, by: str) -> tuple[Decision, int]:
    """Sets status, owner and response of a subject; returns the decision and how many contributors were told."""
    subject = next((s for s in subjects(session=session, process=process) if s.id == subject_id), None)
    if subject is None:
        raise NotFound(f"No published theme or area {subject_id!r} in process {process.id!r}.")
    now = datetime.now(UTC)
    row = session.get(Decision, (process.id, subject_id), with_for_update=True)
    if row is None:
        row = Decision(process_id=process.id, subject_id=subject_id, subject_kind=subject.kind, title=subject.title,
                       status="received", updated_at=now, updated_by=by)
        session.add(row)
    previous = row.status
    new = status or previous
    if new != previous and new not in TRANSITIONS[previous]:
        allowed = ", ".join(TRANSITIONS[previous]) or "none"
        raise Conflict(f"A {previous} item cannot become {new} (possible next: {allowed}).")
    row.status, row.title, row.updated_at, row.updated_by = new, subject.title, now, by
    if owner_id is not None:
        row.owner_id = owner_id
    if response is not None:
        row.response = response.strip() or None
    session.add(DecisionEntry(process_id=process.id, subject_id=subject_id, title=subject.title,
                              status_from=previous, status_to=new, owner_id=row.owner_id, response=row.response,
                              changed_by=by, changed_at=now))
    session.flush()
    if new == previous:
        return row, 0
    notified = _notify(session, process, subject, new, now)
    data: dict[str, Any] = {"process_id": process.id, "subject_id": subject_id, "subject_kind": subject.kind,
                            "title": subject.title, "status": new, "previous_status": previous,
                            "response": row.response, "owner_id": row.owner_id, "changed_at": events.iso(now)}
    event_id = events.publish(session, topic=events.INSIGHT_TOPIC, type=STATUS_CHANGED_TYPE, key=process.id,
                              data=data, anonymous=False)
    webhooks.enqueue(session, event_type=STATUS_CHANGED_TYPE, data=data, process_id=process.id, event_id=event_id)
    return row, notified


def contributors(*, session: Session, process: Process, subject: Subject) -> set[str]:
    """People whose named answers are in the theme, or who gave the area points or a place in a ranking.
    Anonymous answers carry no person, so their authors cannot be found (and are not looked for)."""
    if subject.kind == "theme":
        named = session.scalars(select(Response.person_id).join(
            ThemeResponse, ThemeResponse.response_id == Response.id).where(
            ThemeResponse.theme_id == subject.id, Response.person_id.is_not(None)))
        return {p for p in named if p}
    found: set[str] = set()
    for prompt in processes.prompts_of(session=session, process=process):
        _, mapping = inputs.areas_of(process, prompt)
        options = {o for o, area in mapping.items() if area == subject.id}
        rows = session.execute(select(Response.person_id, Response.value).where(
            Response.prompt_id == prompt.id, Response.person_id.is_not(None)))
        for person_id, value in rows.tuples():
            answer: dict[str, Any] = value or {}
            given = set(answer.get("points", {})) | set(answer.get("ranking", []))
            if given & options:
                found.add(person_id)
    return found


def _notify(session: Session, process: Process, subject: Subject, status: str, now: datetime) -> int:
    people = sorted(contributors(session=session, process=process, subject=subject))
    label = DECISION_STATUS[status].sv
    message = STATUS_CHANGED.sv.format(title=subject.title, process=process.title, status=label)
    session.add_all(Notification(id=str(uuid.uuid4()), person_id=p, process_id=process.id, subject_id=subject.id,
                                 title=subject.title, status=status, message=message, created_at=now)
                    for p in people)
    session.flush()
    return len(people)


def notifications(*, session: Session, person_id: str, unread_only: bool = False,
                  limit: int = 100) -> list[Notification]:
    """A person's notifications, newest first."""
    stmt = select(Notification).where(Notification.person_id == person_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return list(session.scalars(stmt.order_by(Notification.created_at.desc(), Notification.id).limit(limit)))


def mark_read(*, session: Session, person_id: str, notification_id: str) -> Notification:
    """Marks one of the caller's notifications read."""
    row = session.get(Notification, notification_id)
    if row is None or row.person_id != person_id:
        raise NotFound(f"No notification with id {notification_id!r}.")
    row.read_at = row.read_at or datetime.now(UTC)
    session.flush()
    return row
