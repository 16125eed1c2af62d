"""API shapes for a chefsdag."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from samla_events.schematypes import LocalTime, PersonId

_EXAMPLE: dict[str, Any] = {
    "title": "Chefsdag hösten 2026", "description": "Alla chefer i kommunkoncernen samlas i Stora salen.",
    "date": "2026-11-26", "starts_at": "08:30", "ends_at": "16:00", "venue": "Stadshuset, Stora salen",
    "capacity": 460, "tables": {"count": 58, "seats_per_table": 8, "accessible": 4},
    "facilitator_ids": ["p-0007"], "process": {"id": "budget-2027", "name": "Budget 2027"},
}


class Tables(BaseModel):
    count: int = Field(0, ge=0, le=1000, description="Round tables in the hall")
    seats_per_table: int = Field(0, ge=0, le=40)
    accessible: int = Field(0, ge=0, le=1000, description="How many tables suit wheelchairs (tables 1..n)")


class ProcessLink(BaseModel):
    id: str = Field(min_length=1, max_length=200, description="The budget or vision process's id")
    name: str = Field(min_length=1, max_length=300)


class EventIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    title: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=4000)
    date: dt.date = Field(description="The day (Europe/Stockholm)")
    starts_at: LocalTime
    ends_at: LocalTime
    venue: str = Field(min_length=1, max_length=300)
    capacity: int = Field(ge=1, le=10_000, description="Seats offered; more registrations go to the waiting list")
    tables: Tables = Field(default_factory=Tables)
    facilitator_ids: list[PersonId] = Field(default_factory=list, max_length=50)
    process: ProcessLink | None = None


class EventPatch(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"capacity": 480, "venue": "Konserthuset"}]})

    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=4000)
    date: dt.date | None = None
    starts_at: LocalTime | None = None
    ends_at: LocalTime | None = None
    venue: str | None = Field(None, min_length=1, max_length=300)
    capacity: int | None = Field(None, ge=1, le=10_000)
    tables: Tables | None = None
    facilitator_ids: list[PersonId] | None = Field(None, max_length=50)
    process: ProcessLink | None = None


class EventOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        **_EXAMPLE, "id": "3f1c9a52-7d0e-4b8a-9c61-5a2e8f0b7d14", "timezone": "Europe/Stockholm",
        "state": "draft", "version": 1, "allowed_actions": ["edit", "invite"], "next_states": ["invitations_sent"],
        "created_at": "2026-09-01T08:00:00Z", "updated_at": "2026-09-01T08:00:00Z"}]})

    id: str
    title: str
    description: str | None
    date: dt.date
    starts_at: LocalTime
    ends_at: LocalTime
    timezone: str
    venue: str
    capacity: int
    tables: Tables
    facilitator_ids: list[str]
    process: ProcessLink | None
    state: str
    version: int
    allowed_actions: list[str] = Field(description="What the current state allows (see the state machine)")
    next_states: list[str]
    created_at: dt.datetime
    updated_at: dt.datetime
