"""Questions to leadership: asking (named or anonymous), the wall, votes, answers, assignment and follow-up.

Every change publishes `se.samla.feedback.question.changed.v1` and puts a change on the board feed. An anonymous
question is stored without its author, with its time cut to the minute, and published outside the request's trace.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, NotFound
from samla_feedback import events
from samla_feedback.anonymity import policy
from samla_feedback.errors import invalid
from samla_feedback.language.text import clean
from samla_feedback.live import changes
from samla_feedback.participants.directory import person_name
from samla_feedback.questions.models import FOLLOW_UP, Question, QuestionVote

log = logging.getLogger(__name__)
MAX_QUESTION = 1000
SORTS = ("votes", "newest")


def get(*, session: Session, question_id: str, lock: bool = False) -> Question:
    """Gets one question by id."""
    question = session.get(Question, question_id, with_for_update=lock or None)
    if question is None:
        raise NotFound(f"No question with id {question_id!r}.")
    return question


def ask(*, session: Session, event_id: str, person_id: str, text: str, anonymous: bool) -> Question:
    """Puts a question to leadership; it waits for moderation unless the event lets questions straight through."""
    cleaned = clean(text)
    if not cleaned:
        raise invalid("text", "must not be empty")
    if len(cleaned) > MAX_QUESTION:
        raise invalid("text", f"must be at most {MAX_QUESTION} characters (it has {len(cleaned)})")
    now = datetime.now(UTC)
    rules = policy.get(session=session, event_id=event_id)
    question = Question(id=str(uuid.uuid4()), event_id=event_id, text=cleaned, anonymous=anonymous,
                        author_id=None if anonymous else person_id,
                        status="pending" if rules.premoderate_questions else "approved", votes=0,
                        follow_up="received", created_at=now.replace(second=0, microsecond=0) if anonymous else now)
    session.add(question)
    session.flush()
    publish(session, question, "asked")
    # Named questions log their author for support; an anonymous one logs nothing that could point back.
    log.debug("question asked", extra={"question_id": question.id, "event_id": event_id, "anonymous": anonymous,
                                       **({} if anonymous else {"author_id": person_id})})
    return question


def wall(*, session: Session, event_id: str, sort: str = "votes", statuses: tuple[str, ...] = ("approved",),
         assignee_id: str | None = None, limit: int = 200) -> list[Question]:
    """An event's questions, most votes (or newest) first."""
    stmt = select(Question).where(Question.event_id == event_id, Question.status.in_(statuses))
    if assignee_id is not None:
        stmt = stmt.where(Question.assignee_id == assignee_id)
    order = (Question.created_at.desc(), Question.id) if sort == "newest" else \
        (Question.votes.desc(), Question.created_at, Question.id)
    return list(session.scalars(stmt.order_by(*order).limit(limit)))


def votes_by(*, session: Session, voter_id: str, question_ids: list[str]) -> set[str]:
    """Which of the questions the person has voted for."""
    if not question_ids:
        return set()
    return set(session.scalars(select(QuestionVote.question_id).where(
        QuestionVote.voter_id == voter_id, QuestionVote.question_id.in_(question_ids))))


def vote(*, session: Session, question_id: str, voter_id: str) -> tuple[Question, bool]:
    """Adds the person's vote; a repeated vote (a retry) changes nothing. Returns (question, counted now)."""
    question = get(session=session, question_id=question_id)
    if question.status != "approved":
        raise Conflict("Only questions on the wall can be voted for.")
    try:
        with session.begin_nested():
            session.add(QuestionVote(question_id=question_id, voter_id=voter_id))
    except IntegrityError:
        return question, False
    session.execute(update(Question).where(Question.id == question_id).values(votes=Question.votes + 1))
    session.refresh(question)
    publish(session, question, "voted")
    return question, True


def unvote(*, session: Session, question_id: str, voter_id: str) -> Question:
    """Takes the person's vote back, if they had one."""
    question = get(session=session, question_id=question_id)
    result = session.execute(delete(QuestionVote).where(QuestionVote.question_id == question_id,
                                                        QuestionVote.voter_id == voter_id))
    gone = cast(CursorResult[Any], result).rowcount
    if gone:
        session.execute(update(Question).where(Question.id == question_id).values(votes=Question.votes - 1))
        session.refresh(question)
        publish(session, question, "voted")
    return question


def recount(session: Session, question: Question) -> None:
    question.votes = int(session.execute(select(func.count()).select_from(QuestionVote).where(
        QuestionVote.question_id == question.id)).scalar_one())


def answer(*, session: Session, question_id: str, mode: str, text: str | None) -> Question:
    """Marks a question answered on stage, or answers it in writing."""
    question = get(session=session, question_id=question_id, lock=True)
    if question.status != "approved":
        raise Conflict("Only questions on the wall can be answered.")
    written = clean(text or "")
    if mode == "written" and not written:
        raise invalid("text", "a written answer needs its text")
    question.answer_mode, question.answer_text = mode, written or None
    question.answered_at = datetime.now(UTC)
    if question.follow_up == "received":
        question.follow_up = "answered"
    session.flush()
    publish(session, question, "answered")
    return question


def assign(*, session: Session, question_id: str, assignee_id: str) -> Question:
    """Gives a question to a leader to follow up."""
    question = get(session=session, question_id=question_id, lock=True)
    if person_name(session=session, person_id=assignee_id) is None:
        raise invalid("person_id", "not a person in the directory")
    question.assignee_id = assignee_id
    session.flush()
    publish(session, question, "assigned")
    return question


def follow_up(*, session: Session, question_id: str, status: str, note: str | None) -> Question:
    """Moves a question's follow-up forward: received, answered, decided, done."""
    question = get(session=session, question_id=question_id, lock=True)
    if question.status != "approved":
        raise Conflict("Only questions on the wall are followed up.")
    if FOLLOW_UP.index(status) < FOLLOW_UP.index(question.follow_up):
        raise Conflict(f"The follow-up is already {question.follow_up!r}; it only moves forward.")
    question.follow_up = status
    if note is not None:
        question.follow_up_note = clean(note) or None
    session.flush()
    publish(session, question, "follow_up")
    return question


def publish(session: Session, question: Question, change: str) -> None:
    """The question's public state as an event, and a change on the board feed."""
    events.publish(session, topic=events.QUESTION_TOPIC, type=events.QUESTION_CHANGED, key=question.id,
                   data=question_event(session, question, change), anonymous=question.anonymous)
    changes.record(session=session, event_id=question.event_id, kind="question", subject_id=question.id)


def question_event(session: Session, question: Question, change: str) -> dict[str, Any]:
    """The payload of se.samla.feedback.question.changed.v1; an anonymous question carries no author at all."""
    data: dict[str, Any] = {
        "id": question.id, "event_id": question.event_id, "change": change, "status": question.status,
        "anonymous": question.anonymous, "votes": question.votes, "answer_mode": question.answer_mode,
        "answer_text": question.answer_text, "follow_up": question.follow_up,
        "merged_into_id": question.merged_into_id, "assignee_id": question.assignee_id,
        "asked_at": events.iso(question.created_at)}
    if question.status != "hidden":
        data["text"] = question.text
    if not question.anonymous and question.author_id:
        data["author_id"] = question.author_id
        data["author_name"] = person_name(session=session, person_id=question.author_id)
    return data
