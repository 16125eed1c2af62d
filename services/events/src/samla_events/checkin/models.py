"""Every check-in operation as the doors reported it: the journal that makes offline replays idempotent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samla_events.db import Base


class CheckInOp(Base):
    __tablename__ = "check_in_log"
    # A door device numbers its operations; the same client id sent again is the same operation.
    __table_args__ = (UniqueConstraint("event_id", "client_id", name="uq_check_in_log_event_client"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    client_id: Mapped[str | None] = mapped_column(String(100))
    person_id: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # check_in, undo
    method: Mapped[str] = mapped_column(String(20))  # qr, manual, walk_in, offline
    entrance: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[datetime]
    recorded_at: Mapped[datetime]
    recorded_by: Mapped[str] = mapped_column(String(200))
