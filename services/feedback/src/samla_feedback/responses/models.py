"""Answers to prompts, and the running tallies the live results are read from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samla_feedback.db import Base

RESPONDENTS = "_n"  # the tally bucket that counts answers (count) and the people behind them (total)


class Response(Base):
    """One answer. Named answers keep their author and can be edited while the prompt is open; table answers are
    keyed by the table; anonymous answers keep neither a person, a token nor a time, so nothing joins them back."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("prompt_id", "respondent_key", name="uq_responses_prompt_respondent"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    prompt_id: Mapped[str] = mapped_column(ForeignKey("prompts.id", ondelete="CASCADE"), index=True)
    # "p:<person id>" or "t:<round>:<table>" (one answer each); None for anonymous answers.
    respondent_key: Mapped[str | None] = mapped_column(String(220))
    person_id: Mapped[str | None] = mapped_column(String(200), index=True)
    table_id: Mapped[str] = mapped_column(String(100), default="")
    administration_id: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[str] = mapped_column(String(60), default="")
    group_size: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Tally(Base):
    """Counts per prompt, per group of respondents (table, administration, level) and per answer bucket.

    Updated in the answer's own transaction, so results are a read of a few hundred rows whatever the number of
    answers. Groups are kept as combinations (atoms) so any breakdown and any overlap between breakdowns can be
    computed from them.
    """

    __tablename__ = "tallies"

    prompt_id: Mapped[str] = mapped_column(ForeignKey("prompts.id", ondelete="CASCADE"), primary_key=True)
    table_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    administration_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    level: Mapped[str] = mapped_column(String(60), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(200), primary_key=True)
    label: Mapped[str | None] = mapped_column(String(200))
    count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
