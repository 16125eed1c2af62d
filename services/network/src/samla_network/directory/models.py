"""What network keeps from the events service: who came to a day, and who sat at which table."""

from __future__ import annotations

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_network.db import Base


class Attendee(Base):
    """A person's registration at an event (events.registration.v1), latest state only."""

    __tablename__ = "attendees"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    checked_in: Mapped[bool] = mapped_column(Boolean, default=False)
    source_seq: Mapped[int] = mapped_column(Integer, default=0)


class Seat(Base):
    """One person at one table in one round of a day (events.seating.v1): the people at a table have met."""

    __tablename__ = "seats"
    __table_args__ = (Index("ix_seats_table", "event_id", "round_no", "table_id"),)

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    round_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    table_id: Mapped[str] = mapped_column(String(100))
    source_seq: Mapped[int] = mapped_column(Integer, default=0)
