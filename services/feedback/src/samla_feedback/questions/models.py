"""Questions to leadership: the wall, votes, moderation and follow-up."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from samla_feedback.db import Base

STATUSES = ("pending", "approved", "hidden", "merged")
FOLLOW_UP = ("received", "answered", "decided", "done")
HIDE_REASONS = ("duplicate", "off_topic", "personal_data", "offensive", "other")
# Hidden for these reasons, a question's words stay out of the public log: repeating them would do the harm again.
WITHHELD_REASONS = ("personal_data", "offensive")


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_wall", "event_id", "status", "votes"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200))
    text: Mapped[str | None] = mapped_column(Text)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[str | None] = mapped_column(String(200), index=True)  # None when asked anonymously
    status: Mapped[str] = mapped_column(String(20), default="pending")
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[str | None] = mapped_column(String(36))
    votes: Mapped[int] = mapped_column(Integer, default=0)
    answer_mode: Mapped[str | None] = mapped_column(String(20))  # stage | written
    answer_text: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assignee_id: Mapped[str | None] = mapped_column(String(200), index=True)
    follow_up: Mapped[str] = mapped_column(String(20), default="received")
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    # Anonymous questions keep the minute only, so the time cannot be matched against a request log.
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text_deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class QuestionVote(Base):
    """One vote per person and question: the primary key makes a retried vote count once."""

    __tablename__ = "question_votes"

    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    voter_id: Mapped[str] = mapped_column(String(200), primary_key=True)


class ModerationEntry(Base):
    """The public moderation log: what was done to which question and why. It never names who asked."""

    __tablename__ = "moderation_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(200), index=True)
    question_id: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(20))  # approved | hidden | merged
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    excerpt: Mapped[str | None] = mapped_column(Text)
    merged_into_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
