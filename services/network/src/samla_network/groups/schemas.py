"""API shapes of published networks, their meetings and check-ins."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from samla_network.runs.schemas import PersonId


class GroupMemberOut(BaseModel):
    person_id: str
    name: str
    role: str
    shared: dict[str, Any] = Field(description="What this member chose to share (their profile's `share`)")


class MeetingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "held_on": "2027-01-19", "attendees": ["p-1", "p-2", "p-3"], "note": "Pratade om rekrytering"}]})

    held_on: date
    attendees: list[PersonId] | None = Field(None, max_length=50, description="Default: every current member")
    note: str = Field("", max_length=2000, description="Can become a public record: avoid names of others")


class MeetingOut(BaseModel):
    id: str
    held_on: date
    attendees: list[str]
    note: str
    recorded_by: str | None
    recorded_at: datetime


class CheckInIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"period": "2027-03", "met": True}]})

    period: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$", description="A month (2027-03) or quarter (2027-Q1)")
    met: bool


class CheckInOut(BaseModel):
    period: str
    met: bool
    answered_at: datetime


class GroupOut(BaseModel):
    id: str
    run_id: str | None
    kind: str
    name: str
    status: str
    explanation: str
    first_meeting_at: datetime | None
    merged_into: str | None
    created_at: datetime
    members: list[GroupMemberOut]


class MyNetworkOut(GroupOut):
    meetings: list[MeetingOut]
    my_check_ins: list[CheckInOut]


class LeaveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: PersonId


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    other_group_id: str = Field(min_length=1, max_length=36, description="Its members join; it is dissolved")


class LeaveOut(BaseModel):
    moved: dict[str, str] = Field(description="person id → the network they were moved to")
    dissolved: list[str]
    unplaced: list[str] = Field(description="Fit nowhere within the rules; they stay in the smaller network")
