"""Who sits at which table, per dialogue round: the published seating (events.seating.v1) and facilitators' rosters."""

from __future__ import annotations

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_feedback.db import Base

WHOLE_DAY = 0  # round 0: the table a person sits at when a round has no roster of its own


class TableSeat(Base):
    """One person at one table in one round. Rosters set by hand have source "manual"; events.seating.v1 writes
    the same rows with source "seating" and its event sequence, so the later plan replaces the earlier one."""

    __tablename__ = "table_seats"
    __table_args__ = (Index("ix_table_seats_table", "event_id", "round_no", "table_id"),)

    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    round_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    table_id: Mapped[str] = mapped_column(String(100))
    scribe: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(20), default="manual")
    source_seq: Mapped[int] = mapped_column(Integer, default=0)
