"""Who is invited to a chefsdag, with the directory's data as it was when they were invited.

Every participant has an invitation row, walk-ins included (source `walk_in`), so names, org units and e-mail
addresses live in one place for lists, badges and searches.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samla_events.db import Base

SOURCES = ("audience", "deputy", "walk_in")


class Invitation(Base):
    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("event_id", "person_id", name="uq_invitations_event_person"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))
    title: Mapped[str | None] = mapped_column(String(300))
    level: Mapped[str | None] = mapped_column(String(60))
    org_unit_id: Mapped[str | None] = mapped_column(String(200))
    org_unit_name: Mapped[str | None] = mapped_column(String(300))
    # Case-folded name and e-mail: searching "åsa" finds "Åsa" on SQLite too (its lower() is ASCII only).
    search_key: Mapped[str] = mapped_column(String(700))
    source: Mapped[str] = mapped_column(String(20))
    deputy_for: Mapped[str | None] = mapped_column(String(200))
    invited_by: Mapped[str] = mapped_column(String(200))
    invited_at: Mapped[datetime]
