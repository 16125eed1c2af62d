"""A day's seating plan: who sits where in each dialogue round, what the plan was made from, and what was published.

The plan keeps the people and tables it was made from, so its quality report, late changes and swaps judge it
against the same request even after registrations or the directory have moved on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_events.db import Base


class StoredPlan(Base):
    __tablename__ = "seating_plans"

    event_id: Mapped[str] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    strategy: Mapped[str] = mapped_column(String(40))
    seed: Mapped[int] = mapped_column(Integer, default=0)
    # {"1": {"7": ["p-1", ...]}}: round number → table label → person ids (JSON keys are strings)
    rounds: Mapped[dict[str, dict[str, list[str]]]] = mapped_column(JSON)
    people: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # the seating.Person values planned for
    tables: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # the seating.Table values planned with
    report: Mapped[dict[str, Any]] = mapped_column(JSON)  # the quality report of `rounds`
    version: Mapped[int] = mapped_column(Integer, default=1)  # every change counts
    published: Mapped[bool] = mapped_column(Boolean, default=False)  # `rounds` is what participants see
    # What participants see (badges, lists, "my day"): the rounds as last published; a new plan replaces it only
    # when it is published in turn.
    published_rounds: Mapped[dict[str, dict[str, list[str]]] | None] = mapped_column(JSON)
    published_at: Mapped[datetime | None]
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
