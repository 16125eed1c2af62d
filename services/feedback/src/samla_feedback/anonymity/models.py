"""Anonymity rules per event, eligibility tokens for unlinkable answers, and the record of gallring runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_feedback.db import Base


class EventPolicy(Base):
    __tablename__ = "event_policies"

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    k: Mapped[int] = mapped_column(Integer)
    retention_days: Mapped[int | None] = mapped_column(Integer)
    premoderate_questions: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# The three eligibility tables deliberately have no timestamps and no row numbers: insertion times or sequence
# numbers would let someone line up an issued token with the answer written right after it.

class EligibilityToken(Base):
    """A token that lets one attendee answer anonymous prompts. Only its hash and the event are kept."""

    __tablename__ = "eligibility_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200), index=True)


class TokenIssue(Base):
    """That a person has fetched their token (so they get only one), never which token it was."""

    __tablename__ = "eligibility_issues"

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(200), primary_key=True)


class TokenUse(Base):
    """That a token has answered a prompt (so it answers once), never which answer it gave.

    The key is a hash of the prompt id with the token, not the token's own hash: without the token itself nobody
    can tell which uses belong to one token, or to the token a person fetched.
    """

    __tablename__ = "eligibility_uses"

    prompt_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    use_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class RetentionRun(Base):
    """One gallring run: when, by whom, up to which date, and what it deleted."""

    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(200), index=True)
    run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_by: Mapped[str] = mapped_column(String(200))
    cutoff: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    prompts: Mapped[list[str]] = mapped_column(JSON, default=list)
    responses_cleared: Mapped[int] = mapped_column(Integer, default=0)
    questions_cleared: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
