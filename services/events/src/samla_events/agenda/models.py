"""The agenda of a chefsdag: opening, dialogue rounds, questions to leadership, breaks."""

from __future__ import annotations

from datetime import time

from sqlalchemy import JSON, ForeignKey, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from samla_events.db import Base

KINDS = ("opening", "dialogue", "qa", "break", "other")


class AgendaSession(Base):
    __tablename__ = "agenda_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    round_no: Mapped[int | None] = mapped_column(Integer)  # dialogue rounds: 1, 2, ...
    method: Mapped[str | None] = mapped_column(String(200))
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    speaker: Mapped[str | None] = mapped_column(String(200))
