"""A participant's answer and place: registered, declined, on the waiting list, offered a seat, cancelled.

Check-in state sits on the registration too: a person is checked in once, whatever the doors report.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samla_events.db import Base


class Status(StrEnum):
    REGISTERED = "registered"
    DECLINED = "declined"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # a freed seat is held for this person until offer_expires_at
    CANCELLED = "cancelled"


# Statuses that take one of the event's seats.
HOLDS_SEAT = (Status.REGISTERED, Status.OFFERED)


class Registration(Base):
    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "person_id", name="uq_registrations_event_person"),
        # The number is the person's index in the event's check-in codes; never reused.
        UniqueConstraint("event_id", "number", name="uq_registrations_event_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(String(200), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))  # why cancelled or declined
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    offer_expires_at: Mapped[datetime | None]
    offers_made: Mapped[int] = mapped_column(Integer, default=0)
    deputy_for: Mapped[str | None] = mapped_column(String(200))
    deputy_id: Mapped[str | None] = mapped_column(String(200))
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    dietary: Mapped[list[str]] = mapped_column(JSON, default=list)
    dietary_other: Mapped[str | None] = mapped_column(String(500))
    dietary_name_to_caterer: Mapped[bool] = mapped_column(Boolean, default=False)
    accessibility: Mapped[str | None] = mapped_column(String(500))
    needs_accessible_seat: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_listed: Mapped[bool] = mapped_column(Boolean, default=False)
    checked_in_at: Mapped[datetime | None]
    checked_in_entrance: Mapped[str | None] = mapped_column(String(100))
    checked_in_by: Mapped[str | None] = mapped_column(String(200))
    responded_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
