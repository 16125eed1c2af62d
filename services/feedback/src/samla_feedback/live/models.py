"""The change feed of an event's board: a per-event sequence the gateway long-polls and turns into SSE."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_feedback.db import Base


class FeedHead(Base):
    """The last sequence number handed out for an event. Taking the next number locks this row until commit, so
    an event's changes commit in sequence order and a reader never skips one that commits late."""

    __tablename__ = "live_feed_heads"

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)


class FeedChange(Base):
    """"Something on the board changed": which kind of thing and its id, never who changed it."""

    __tablename__ = "live_changes"

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # prompt | results | question | theme
    subject_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
