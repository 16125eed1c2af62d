"""API shapes for check-in at the doors."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from samla_events.schematypes import PersonId

Entrance = Field(None, max_length=100, description="Which door, e.g. 'Entré A'")


class CheckInIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"token": "AXq3c0QAAAAHaXQx0Bq5tQyR3cE2pLk", "entrance": "Entré A"},
        {"person_id": "p-1042", "entrance": "Entré B", "client_id": "door-b-000123"}]})

    token: str | None = Field(None, min_length=1, max_length=100, description="The scanned QR code")
    person_id: PersonId | None = Field(None, description="Or the person found by name search")
    entrance: str | None = Entrance
    client_id: str | None = Field(None, min_length=1, max_length=100,
                                  description="The door device's id for this operation; sending it again is a no-op")

    @model_validator(mode="after")
    def _one_way_to_identify(self) -> CheckInIn:
        if bool(self.token) == bool(self.person_id):
            raise ValueError("give either token (a scanned code) or person_id (found by name), not both")
        return self


class WalkInIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"person_id": "p-4711", "entrance": "Entré A"}]})

    person_id: PersonId = Field(description="Someone in the directory who was not registered")
    entrance: str | None = Entrance


class ArrivalOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "person_id": "p-1042", "number": 17, "name": "Karin Lindqvist", "title": "Rektor",
        "org_unit_name": "Grundskola Centrum", "checked_in_at": "2026-11-26T07:42:08Z", "entrance": "Entré A",
        "already_checked_in": False, "walk_in": False, "needs_accessible_seat": False, "accessibility": None}]})

    person_id: str
    number: int
    name: str
    title: str | None
    org_unit_name: str | None
    checked_in_at: datetime | None
    entrance: str | None
    already_checked_in: bool = Field(description="True when the person was already checked in (nothing changed)")
    walk_in: bool
    needs_accessible_seat: bool
    accessibility: str | None


class OfflineItem(BaseModel):
    client_id: str = Field(min_length=1, max_length=100, description="Unique per operation on the device")
    action: Literal["check_in", "undo"] = "check_in"
    occurred_at: AwareDatetime = Field(description="When it happened at the door (device clock, with offset)")
    token: str | None = Field(None, min_length=1, max_length=100)
    person_id: PersonId | None = None
    entrance: str | None = Entrance


class BatchIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"items": [
        {"client_id": "door-a-0001", "occurred_at": "2026-11-26T08:05:12+01:00",
         "token": "AXq3c0QAAAAHaXQx0Bq5tQyR3cE2pLk", "entrance": "Entré A"},
        {"client_id": "door-a-0002", "occurred_at": "2026-11-26T08:05:40+01:00", "person_id": "p-1042",
         "entrance": "Entré A"}]}]})

    items: list[OfflineItem] = Field(max_length=5000)


class OpResultOut(BaseModel):
    client_id: str
    outcome: Literal["checked_in", "already_checked_in", "undone", "not_checked_in", "duplicate", "rejected"]
    person_id: str | None
    detail: str | None


class BatchOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"results": [
        {"client_id": "door-a-0001", "outcome": "checked_in", "person_id": "p-1042", "detail": None},
        {"client_id": "door-a-0002", "outcome": "already_checked_in", "person_id": "p-1042", "detail": None}],
        "checked_in": 231}]})

    results: list[OpResultOut] = Field(description="One per item, in the order sent")
    checked_in: int = Field(description="People checked in to the day after this batch")


class AttendeeOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "person_id": "p-1042", "number": 17, "name": "Åsa Öberg", "title": "Rektor", "org_unit_name": "Grundskola",
        "status": "registered", "checked_in_at": None, "entrance": None, "walk_in": False,
        "needs_accessible_seat": True}]})

    person_id: str
    number: int
    name: str
    title: str | None
    org_unit_name: str | None
    status: str
    checked_in_at: datetime | None
    entrance: str | None
    walk_in: bool
    needs_accessible_seat: bool


class EntranceCount(BaseModel):
    entrance: str | None
    checked_in: int


class CountsOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "registered": 452, "checked_in": 231, "not_arrived": 221, "walk_ins": 3,
        "by_entrance": [{"entrance": "Entré A", "checked_in": 140}, {"entrance": "Entré B", "checked_in": 91}]}]})

    registered: int
    checked_in: int
    not_arrived: int
    walk_ins: int
    by_entrance: list[EntranceCount]
