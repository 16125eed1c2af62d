"""A matching run: its frozen inputs, its progress while running, and the result an admin reviews and publishes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_network.db import Base

DRAFT, RUNNING, DONE, FAILED, PUBLISHED = "draft", "running", "done", "failed", "published"
# Left "running" by a process that is gone (crash, redeploy); starting it again is allowed.
INTERRUPTED = "interrupted"


class MatchingRun(Base):
    __tablename__ = "matching_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # "groups" or "mentors"
    status: Mapped[str] = mapped_column(String(20), index=True)
    population: Mapped[dict[str, Any]] = mapped_column(JSON)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The matcher's view of each person and the history, frozen when the run is created, so a review and a
    # swap score exactly what the run scored even when profiles change afterwards.
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    excluded: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    best_objective: Mapped[float | None] = mapped_column(Float)
    upper_bound: Mapped[float | None] = mapped_column(Float)
    stop_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
