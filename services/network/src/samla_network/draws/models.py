"""'Meet the leadership' draws, kept so the next draw gives those not yet drawn their turn first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_network.db import Base


class LeadershipDraw(Base):
    __tablename__ = "leadership_draws"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    period: Mapped[str] = mapped_column(String(20), index=True)
    groups: Mapped[list[Any]] = mapped_column(JSON)
    drawn_by: Mapped[str] = mapped_column(String(200))
    drawn_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
