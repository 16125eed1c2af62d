"""A manager's own matching profile: what they bring to a network and what they let members see."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from samla_network.db import Base


class Profile(Base):
    __tablename__ = "profiles"

    person_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    challenges: Mapped[list[str]] = mapped_column(JSON, default=list)
    challenges_text: Mapped[str] = mapped_column(Text, default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    location: Mapped[str | None] = mapped_column(String(200))
    years_as_manager: Mapped[float | None] = mapped_column(Float)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    share: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
