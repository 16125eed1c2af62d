"""API shapes for registrations and the waiting list."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from samla_events.registrations.needs import DietTag
from samla_events.schematypes import PersonId


class RegistrationIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"attending": True, "dietary": ["vegetarian"], "dietary_other": "Svår nötallergi",
         "dietary_name_to_caterer": True, "accessibility": None, "needs_accessible_seat": False,
         "consent_listed": True},
        {"attending": False}]})

    attending: bool = Field(description="true: take a seat (or join the waiting list, or accept the seat offered); "
                                        "false: decline, cancel, or leave the waiting list")
    dietary: list[DietTag] = Field(default_factory=list, max_length=10)
    dietary_other: str | None = Field(None, max_length=500, description="Other needs, in the person's own words")
    dietary_name_to_caterer: bool = Field(False, description="The caterer may see my name with my needs "
                                                             "(for serious allergies)")
    accessibility: str | None = Field(None, max_length=500)
    needs_accessible_seat: bool = False
    consent_listed: bool = Field(False, description="I may appear in the participant list others receive")


class DeputyIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"person_id": "p-2077"}]})

    person_id: PersonId = Field(description="The deputy; they get the invitation and take over the seat or queue "
                                            "place")


class RegistrationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        "person_id": "p-1042", "status": "waitlisted", "reason": None, "waitlist_position": 3,
        "offer_expires_at": None, "deputy_for": None, "deputy_id": None, "walk_in": False,
        "dietary": ["vegetarian"], "dietary_other": None, "dietary_name_to_caterer": False, "accessibility": None,
        "needs_accessible_seat": False, "consent_listed": True, "checked_in_at": None,
        "responded_at": "2026-10-01T12:00:00Z"}]})

    person_id: str
    status: str = Field(description="registered, declined, waitlisted, offered or cancelled")
    reason: str | None
    waitlist_position: int | None
    offer_expires_at: datetime | None = Field(description="Offered: the seat is held until then")
    deputy_for: str | None
    deputy_id: str | None
    walk_in: bool
    dietary: list[str]
    dietary_other: str | None
    dietary_name_to_caterer: bool
    accessibility: str | None
    needs_accessible_seat: bool
    consent_listed: bool
    checked_in_at: datetime | None
    responded_at: datetime | None


class ParticipantOut(RegistrationOut):
    """A registration with the person's directory data, for the admin."""

    number: int
    name: str
    email: str | None
    title: str | None
    org_unit_name: str | None


class WaitingEntry(BaseModel):
    person_id: str
    name: str
    org_unit_name: str | None
    status: str
    position: int | None
    offer_expires_at: datetime | None
    since: datetime | None


class WaitingListOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "capacity": 460, "seats_held": 460, "free": 0,
        "offers": [{"person_id": "p-3001", "name": "Sara Nilsson", "org_unit_name": "Socialförvaltningen",
                    "status": "offered", "position": None, "offer_expires_at": "2026-10-07T10:00:00Z",
                    "since": "2026-10-05T10:00:00Z"}],
        "queue": [{"person_id": "p-3002", "name": "Omar Haddad", "org_unit_name": "Kulturförvaltningen",
                   "status": "waitlisted", "position": 1, "offer_expires_at": None,
                   "since": "2026-10-03T09:00:00Z"}]}]})

    capacity: int
    seats_held: int = Field(description="Registered plus open offers")
    free: int
    offers: list[WaitingEntry]
    queue: list[WaitingEntry]


class MoveIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"position": 1}]})

    position: int = Field(ge=1, description="The new place in the queue (1 = first); beyond the end means last")


class ExpiredOffers(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"lapsed": 2}]})

    lapsed: int
