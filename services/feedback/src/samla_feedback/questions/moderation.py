"""Moderating the question wall: approve, hide with a reason, merge duplicates, and the public log of it all.

The log says what happened to which question and why, so people can trust that nothing disappears quietly. It
never says who asked, and it leaves out the words of questions hidden for naming people or for being offensive.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict
from samla_feedback.errors import invalid
from samla_feedback.language.text import clean
from samla_feedback.questions import service as questions
from samla_feedback.questions.models import WITHHELD_REASONS, ModerationEntry, Question, QuestionVote
from samla_feedback.sql import upsert

EXCERPT = 200


def queue(*, session: Session, event_id: str) -> list[Question]:
    """Questions waiting for moderation, oldest first."""
    return list(session.scalars(select(Question).where(Question.event_id == event_id, Question.status == "pending")
                                .order_by(Question.created_at, Question.id)))


def approve(*, session: Session, question_id: str) -> Question:
    """Puts a question on the wall."""
    question = questions.get(session=session, question_id=question_id, lock=True)
    if question.status == "approved":
        return question
    if question.status == "merged":
        raise Conflict("A merged question stays merged; vote for the question it was merged into.")
    question.status = "approved"
    _log(session, question, "approved")
    questions.publish(session, question, "approved")
    return question


def hide(*, session: Session, question_id: str, reason_code: str, reason: str | None) -> Question:
    """Takes a question off the wall (or keeps it off), with a reason that goes in the public log."""
    question = questions.get(session=session, question_id=question_id, lock=True)
    if question.status == "merged":
        raise Conflict("The question is merged into another; hide that one instead.")
    question.status, question.reason_code, question.reason = "hidden", reason_code, clean(reason or "") or None
    _log(session, question, "hidden")
    questions.publish(session, question, "hidden")
    return question


def merge(*, session: Session, question_id: str, into_id: str) -> Question:
    """Merges a duplicate into another question: its votes move over (each voter counted once)."""
    if question_id == into_id:
        raise invalid("into_id", "a question cannot be merged into itself")
    duplicate = questions.get(session=session, question_id=question_id, lock=True)
    target = questions.get(session=session, question_id=into_id, lock=True)
    if target.event_id != duplicate.event_id:
        raise invalid("into_id", "must be a question of the same event")
    if target.status != "approved":
        raise Conflict("Merge into a question that is on the wall.")
    if duplicate.status in ("merged", "hidden"):
        raise Conflict(f"The question is already {duplicate.status}.")
    moved = select(QuestionVote.voter_id, literal(target.id)).where(QuestionVote.question_id == duplicate.id)
    stmt = upsert(session, QuestionVote).from_select(["voter_id", "question_id"], moved)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["question_id", "voter_id"]))
    questions.recount(session, target)
    duplicate.status, duplicate.merged_into_id, duplicate.reason_code = "merged", target.id, "duplicate"
    _log(session, duplicate, "merged")
    questions.publish(session, duplicate, "merged")
    questions.publish(session, target, "voted")
    return target


def log(*, session: Session, event_id: str, limit: int = 500) -> list[ModerationEntry]:
    """The public moderation log of an event, newest first."""
    return list(session.scalars(select(ModerationEntry).where(ModerationEntry.event_id == event_id)
                                .order_by(ModerationEntry.id.desc()).limit(limit)))


def _log(session: Session, question: Question, action: str) -> None:
    withheld = action == "hidden" and question.reason_code in WITHHELD_REASONS
    text = question.text or ""
    excerpt = None if withheld or not text else (text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…")
    session.add(ModerationEntry(event_id=question.event_id, question_id=question.id, action=action,
                                reason_code=question.reason_code if action != "approved" else None,
                                reason=question.reason if action == "hidden" else None, excerpt=excerpt,
                                merged_into_id=question.merged_into_id, at=datetime.now(UTC)))
    session.flush()

