"""Erasure (GDPR): when identity erases a person, feedback unlinks everything that names them.

Answers, questions and votes stay (they count in results others have seen) but no longer point at the person;
seats, notifications and the record of a fetched answer token are deleted. Processes and decisions the person
owns keep the owner id: they are public records of the organisation's decisions, not data about the person.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from samla_common.privacy import rows_about
from samla_feedback.anonymity.models import TokenIssue
from samla_feedback.db import people
from samla_feedback.participants.models import TableSeat
from samla_feedback.processes.models import Decision, Notification, Process
from samla_feedback.questions.models import Question, QuestionVote
from samla_feedback.responses.models import Response


def erase_person(*, session: Session, person_id: str) -> None:
    """Removes the person's id from every feedback table."""
    for row in session.scalars(select(Response).where(Response.person_id == person_id)):
        row.person_id = None
        if row.respondent_key == f"p:{person_id}":
            row.respondent_key = f"x:{uuid.uuid4()}"
    session.execute(update(Question).where(Question.author_id == person_id).values(author_id=None))
    session.execute(update(Question).where(Question.assignee_id == person_id).values(assignee_id=None))
    for question_id in list(session.scalars(select(QuestionVote.question_id)
                                            .where(QuestionVote.voter_id == person_id))):
        session.execute(update(QuestionVote).where(QuestionVote.question_id == question_id,
                                                   QuestionVote.voter_id == person_id)
                        .values(voter_id=f"x:{uuid.uuid4()}"))
    session.execute(delete(TokenIssue).where(TokenIssue.person_id == person_id))
    session.execute(delete(TableSeat).where(TableSeat.person_id == person_id))
    session.execute(delete(Notification).where(Notification.person_id == person_id))
    session.flush()


def export_person(session: Session, person_id: str) -> dict[str, Any]:
    """Everything feedback holds that names the person (GDPR export). Anonymous answers cannot be found: by
    design nothing links them to anyone."""
    return {
        "directory_entry": next(iter(rows_about(session, people, "id", person_id)), None),
        "named_responses": rows_about(session, Response.__table__, "person_id", person_id),
        "questions_asked": rows_about(session, Question.__table__, "author_id", person_id),
        "questions_assigned": rows_about(session, Question.__table__, "assignee_id", person_id),
        "votes": rows_about(session, QuestionVote.__table__, "voter_id", person_id),
        "table_seats": rows_about(session, TableSeat.__table__, "person_id", person_id),
        "answer_token_fetched": rows_about(session, TokenIssue.__table__, "person_id", person_id),
        "notifications": rows_about(session, Notification.__table__, "person_id", person_id),
        "processes_owned": rows_about(session, Process.__table__, "owner_id", person_id),
        "decisions_owned": rows_about(session, Decision.__table__, "owner_id", person_id),
    }
