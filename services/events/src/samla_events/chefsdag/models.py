"""A chefsdag: when and where, how many seats at how many tables, who facilitates, and its state."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, CheckConstraint, Date, Integer, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column

from samla_events.db import Base


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("accessible_tables <= table_count", name="accessible_within_tables"),
        CheckConstraint("starts_at < ends_at", name="starts_before_it_ends"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date)  # the day in Stockholm
    starts_at: Mapped[time] = mapped_column(Time)  # local times in Stockholm
    ends_at: Mapped[time] = mapped_column(Time)
    venue: Mapped[str] = mapped_column(String(300))
    capacity: Mapped[int] = mapped_column(Integer)
    table_count: Mapped[int] = mapped_column(Integer, default=0)
    seats_per_table: Mapped[int] = mapped_column(Integer, default=0)
    accessible_tables: Mapped[int] = mapped_column(Integer, default=0)  # tables 1..n suit wheelchairs
    facilitator_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    process_id: Mapped[str | None] = mapped_column(String(200))
    process_name: Mapped[str | None] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    @property
    def table_seats(self) -> int:
        """Seats at the tables (0 when no tables are set up yet)."""
        return self.table_count * self.seats_per_table
