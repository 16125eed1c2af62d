"""Dialogue prompts: questions, polls, scales, word clouds, rankings, priority votes and evaluation items."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from samla_feedback.db import Base

KINDS = ("open_text", "choice", "multi_choice", "scale", "word_cloud", "ranking", "priority")
FREE_TEXT_KINDS = ("open_text", "word_cloud")
AUDIENCES = ("individual", "table")
SECTIONS = ("dialogue", "evaluation")
STATUSES = ("draft", "open", "closed")
DIMENSIONS = ("table", "administration", "level")


class Prompt(Base):
    __tablename__ = "prompts"
    __table_args__ = (Index("ix_prompts_event", "event_id", "section", "position"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(String(20), default="dialogue")
    round_no: Mapped[int | None] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    audience: Mapped[str] = mapped_column(String(20), default="individual")
    # Anonymous answers carry no person id; answering needs an eligibility token instead of a name.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    scale_min: Mapped[int | None] = mapped_column(Integer)
    scale_max: Mapped[int | None] = mapped_column(Integer)
    scale_labels: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    max_phrases: Mapped[int | None] = mapped_column(Integer)
    points_total: Mapped[int | None] = mapped_column(Integer)
    # Which groups answers remember (and results may be broken down by): data minimisation per prompt.
    breakdowns: Mapped[list[str]] = mapped_column(JSON, default=list)
    template: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    texts_deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def option_ids(self) -> list[str]:
        return [str(o["id"]) for o in self.options or []]

    @property
    def has_free_text(self) -> bool:
        return self.kind in FREE_TEXT_KINDS
