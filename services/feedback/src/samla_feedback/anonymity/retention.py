"""Gallring: deleting free text once an event's retention period has passed, and recording that it was done.

Free text is what people typed: open-text answers, word-cloud phrases (and their tallied words) and the questions
asked. A prompt's text goes `retention_days` after the prompt closed; a question's text goes that long after it was
asked, once it is off the wall (hidden or merged) or its follow-up is done, so open follow-ups keep their question.
Counts and choices stay: they are statistics, not anyone's words. Leadership's written answers stay as well.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, or_, select, update
from sqlalchemy.orm import Session

from samla_feedback.anonymity import policy
from samla_feedback.anonymity.models import RetentionRun
from samla_feedback.errors import invalid
from samla_feedback.prompts.models import FREE_TEXT_KINDS, Prompt
from samla_feedback.questions.models import ModerationEntry, Question
from samla_feedback.responses.models import Response, Tally

log = logging.getLogger(__name__)


def run(*, session: Session, event_id: str, now: datetime, run_by: str) -> RetentionRun:
    """Deletes the event's free text that is past retention and logs the run (in the table and the service log)."""
    rules = policy.get(session=session, event_id=event_id)
    if rules.retention_days is None:
        raise invalid("retention_days", "the event has no retention period; set one before running gallring")
    cutoff = now - timedelta(days=rules.retention_days)
    due = list(session.scalars(select(Prompt).where(
        Prompt.event_id == event_id, Prompt.kind.in_(FREE_TEXT_KINDS), Prompt.status == "closed",
        Prompt.closed_at <= cutoff, Prompt.texts_deleted_at.is_(None)).order_by(Prompt.id)))
    prompt_ids = [p.id for p in due]
    cleared = 0
    if prompt_ids:
        result = session.execute(update(Response).where(
            Response.prompt_id.in_(prompt_ids), or_(Response.text.is_not(None), Response.value.is_not(None)))
            .values(text=None, value=None).execution_options(synchronize_session=False))
        cleared = cast(CursorResult[Any], result).rowcount
        session.execute(delete(Tally).where(Tally.prompt_id.in_(prompt_ids), Tally.bucket.like("w:%")))
        for prompt in due:
            prompt.texts_deleted_at = now
    questions = list(session.scalars(select(Question.id).where(
        Question.event_id == event_id, Question.text.is_not(None), Question.created_at <= cutoff,
        or_(Question.status.in_(("hidden", "merged")), Question.follow_up == "done"))))
    if questions:
        session.execute(update(Question).where(Question.id.in_(questions))
                        .values(text=None, text_deleted_at=now).execution_options(synchronize_session=False))
        session.execute(update(ModerationEntry).where(ModerationEntry.question_id.in_(questions))
                        .values(excerpt=None).execution_options(synchronize_session=False))
    entry = RetentionRun(event_id=event_id, run_at=now, run_by=run_by, cutoff=cutoff, prompts=prompt_ids,
                         responses_cleared=cleared, questions_cleared=len(questions),
                         details={"retention_days": rules.retention_days})
    session.add(entry)
    session.flush()
    log.info("gallring: free text deleted", extra={
        "event_id": event_id, "cutoff": cutoff.isoformat(), "prompts": len(prompt_ids),
        "responses_cleared": cleared, "questions_cleared": len(questions)})
    return entry


def runs(*, session: Session, event_id: str) -> list[RetentionRun]:
    """The event's gallring runs, newest first."""
    return list(session.scalars(select(RetentionRun).where(RetentionRun.event_id == event_id)
                                .order_by(RetentionRun.id.desc())))
