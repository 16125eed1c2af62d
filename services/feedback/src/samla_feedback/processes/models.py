"""Budget and vision processes fed by the chefsdag, their decision log and the notifications it sends."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from samla_feedback.db import Base

KINDS = ("budget", "vision", "other")
PHASES = ("kick_off", "dialogue", "prioritisation", "decision", "follow_up")  # in the order they happen
STATUSES = ("received", "under_consideration", "decided", "implemented", "not_pursued")
# Where a status may go next; the same status again only edits the owner or the response.
TRANSITIONS = {"received": ("under_consideration", "not_pursued"),
               "under_consideration": ("decided", "not_pursued"),
               "decided": ("implemented", "not_pursued"),
               "implemented": (), "not_pursued": ()}


class Process(Base):
    __tablename__ = "processes"
    __table_args__ = (Index("ix_processes_series", "series", "year"),)

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # Processes of one series ("budget") across years make the trend.
    series: Mapped[str | None] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    phases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    event_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    prompt_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The themes or budget areas the process asks about; a priority or ranking option with the same id (or the
    # same label) counts for the area.
    areas: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Decision(Base):
    """Where a theme (a published insight) or an area of a process stands, and leadership's written response."""

    __tablename__ = "process_decisions"

    process_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    subject_kind: Mapped[str] = mapped_column(String(10))  # theme | area
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(30), default="received")
    response: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(200))


class DecisionEntry(Base):
    """One change in the decision log (kept: the log is what the follow-up page shows)."""

    __tablename__ = "process_decision_log"
    __table_args__ = (Index("ix_process_decision_log_process", "process_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    process_id: Mapped[str] = mapped_column(String(200))
    subject_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    status_from: Mapped[str] = mapped_column(String(30))
    status_to: Mapped[str] = mapped_column(String(30))
    owner_id: Mapped[str | None] = mapped_column(String(200))
    response: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Notification(Base):
    """A message to one person: the status of a theme they contributed to has changed."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_person", "person_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(200))
    process_id: Mapped[str] = mapped_column(String(200))
    subject_id: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(30))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
