"""API shapes for processes, their structured input, decisions, follow-up and notifications."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from samla_feedback.api import ID_PATTERN

Kind = Literal["budget", "vision", "other"]
Phase = Literal["kick_off", "dialogue", "prioritisation", "decision", "follow_up"]
Status = Literal["received", "under_consideration", "decided", "implemented", "not_pursued"]
Id = Field(min_length=1, max_length=200, pattern=ID_PATTERN)


class PhaseIn(BaseModel):
    phase: Phase
    starts_on: date
    ends_on: date


class AreaIn(BaseModel):
    id: str = Field(min_length=1, max_length=200, pattern=ID_PATTERN,
                    description="Matches a priority or ranking option with the same id (or the same label)")
    title: str = Field(min_length=1, max_length=300)


class ProcessIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "budget-2027", "title": "Budget 2027", "kind": "budget", "owner_id": "ekonomichef-eva",
        "series": "budget", "year": 2027, "description": "Chefernas prioriteringar inför budget 2027.",
        "phases": [{"phase": "kick_off", "starts_on": "2026-11-26", "ends_on": "2026-11-26"},
                   {"phase": "dialogue", "starts_on": "2026-11-26", "ends_on": "2026-12-10"},
                   {"phase": "prioritisation", "starts_on": "2026-12-11", "ends_on": "2027-01-31"},
                   {"phase": "decision", "starts_on": "2027-02-01", "ends_on": "2027-03-15"},
                   {"phase": "follow_up", "starts_on": "2027-03-16", "ends_on": "2027-12-31"}],
        "event_ids": ["chefsdag-2026-11"], "prompt_ids": ["5f0c6f1e-8a53-4d5e-9a43-2f6f1d1c0a11"],
        "areas": [{"id": "skola", "title": "Skola och förskola"}, {"id": "omsorg", "title": "Äldreomsorg"}]}]})

    id: str | None = Field(None, min_length=1, max_length=200, pattern=ID_PATTERN,
                           description="A readable id such as budget-2027 (themes are published to it); "
                                       "a random one when left out")
    title: str = Field(min_length=1, max_length=300)
    kind: Kind
    owner_id: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=5000)
    series: str | None = Field(None, min_length=1, max_length=100,
                               description="Processes with the same series key form the trend across years")
    year: int | None = Field(None, ge=2000, le=2100)
    phases: list[PhaseIn] = Field(default_factory=list, max_length=5)
    event_ids: list[str] = Field(default_factory=list, max_length=50)
    prompt_ids: list[str] = Field(default_factory=list, max_length=200)
    areas: list[AreaIn] = Field(default_factory=list, max_length=100)


class ProcessOut(BaseModel):
    id: str
    title: str
    kind: str
    owner_id: str
    description: str | None
    series: str | None
    year: int | None
    phases: list[PhaseIn]
    current_phase: str | None
    event_ids: list[str]
    prompt_ids: list[str]
    areas: list[AreaIn]
    created_at: datetime
    updated_at: datetime


class DecisionIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "status": "decided", "owner_id": "kd-anna",
        "response": "Ledningsgruppen avsätter två timmar per månad för arbetsplatsdialog från mars 2027."}]})

    status: Status | None = None
    owner_id: str | None = Field(None, min_length=1, max_length=200,
                                 description="The person in leadership who owns the follow-up")
    response: str | None = Field(None, max_length=10000)


class DecisionOut(BaseModel):
    process_id: str
    subject_id: str
    subject_kind: str
    title: str
    status: str
    owner_id: str | None
    owner_name: str | None
    response: str | None
    updated_at: datetime | None
    notified: int | None = Field(None, description="Contributors notified by this change (only in the answer to "
                                                   "a change; anonymous contributors cannot be notified)")


class LogEntryOut(BaseModel):
    subject_id: str
    title: str
    status_from: str
    status_to: str
    owner_id: str | None
    response: str | None
    changed_at: datetime


class NotificationOut(BaseModel):
    id: str
    process_id: str
    subject_id: str
    title: str
    status: str
    message: str
    created_at: datetime
    read_at: datetime | None
