"""API shapes for the participant's own view."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from samla_events.agenda.schemas import AgendaItem
from samla_events.registrations.schemas import RegistrationOut
from samla_events.schematypes import LocalTime

_EVENT: dict[str, Any] = {
    "id": "3f1c9a52-7d0e-4b8a-9c61-5a2e8f0b7d14", "title": "Chefsdag hösten 2026", "date": "2026-11-26",
    "starts_at": "08:30", "ends_at": "16:00", "venue": "Stadshuset, Stora salen", "state": "invitations_sent",
    "status": "registered", "can_respond": True, "deputy_for": None}


class MyEventOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_EVENT]})

    id: str
    title: str
    date: dt.date
    starts_at: LocalTime
    ends_at: LocalTime
    venue: str
    state: str
    status: str | None = Field(description="My registration status; null while I have not answered")
    can_respond: bool = Field(description="Registration is open (answer, waiting list, deputy)")
    deputy_for: str | None = Field(description="I was sent as a deputy for this person")


class CheckInCode(BaseModel):
    token: str = Field(description="Show as a QR code at the door (also at /me/events/{id}/qr.svg)")
    expires_at: dt.datetime


class MyTable(BaseModel):
    round_no: int
    table: str


class MyDayOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "event": _EVENT,
        "description": "Alla chefer i kommunkoncernen samlas.", "process_name": "Budget 2027",
        "agenda": [{"kind": "opening", "title": "Välkomna", "starts_at": "08:30", "ends_at": "09:00",
                    "round_no": None, "method": None, "questions": [], "speaker": "Kommundirektören"}],
        "registration": None, "check_in": {"token": "AXq3c0QAAAAHaXQx0Bq5tQyR3cE2pLk",
                                           "expires_at": "2026-11-27T03:00:00Z"},
        "tables": [{"round_no": 1, "table": "7"}]}]})

    event: MyEventOut
    description: str | None
    process_name: str | None = Field(description="The budget or vision process the day feeds")
    agenda: list[AgendaItem]
    registration: RegistrationOut | None
    check_in: CheckInCode | None = Field(description="Only once I am registered")
    tables: list[MyTable] = Field(description="My table per dialogue round, once the seating is done")


class DeputyOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "person_id": "p-2077", "name": "Anders Holm", "status": "offered"}]})

    person_id: str
    name: str
    status: str | None = Field(description="offered: my seat is held for the deputy; waitlisted: they took my "
                                           "queue place; null: they are invited and answer themselves")
