"""A pulse: a short anonymous survey of one cohort's networks for one period, run by the feedback service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samla_network.db import Base

OPEN, CLOSED = "open", "closed"


class Pulse(Base):
    """Feedback owns the prompts, answers and anonymity; network keeps what it asked, of whom, and the
    k-protected results feedback returned when the pulse closed (no answer and no person is stored here)."""

    __tablename__ = "network_pulses"
    __table_args__ = (UniqueConstraint("run_id", "period"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    run_id: Mapped[str] = mapped_column(String(36))
    period: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    feedback_event_id: Mapped[str] = mapped_column(String(200))
    # [{question, prompt_id, kind, title}] in the order asked
    prompts: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    group_ids: Mapped[list[str]] = mapped_column(JSON)
    people: Mapped[int] = mapped_column(Integer)
    results: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
