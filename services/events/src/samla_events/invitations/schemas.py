"""API shapes for invitations and reminders."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from samla_events.schematypes import PersonId


class AudienceIn(BaseModel):
    """Who is invited. Nothing given: the whole group of companies. Filters narrow the org-unit part;
    hand-picked people are added whatever their unit, level or role."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"org_unit_ids": ["ou-utb"], "levels": ["enhetschef", "avdelningschef"], "roles": [],
         "person_ids": ["p-0042"]},
        {}]})

    org_unit_ids: list[str] = Field(default_factory=list, max_length=200,
                                    description="Administrations or units whose whole subtree is invited")
    levels: list[str] = Field(default_factory=list, max_length=10,
                              description="e.g. forvaltningschef, avdelningschef, enhetschef")
    roles: list[str] = Field(default_factory=list, max_length=10)
    person_ids: list[PersonId] = Field(default_factory=list, max_length=2000, description="Hand-picked people")


class AudiencePreview(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reached": 460, "already_invited": 0, "without_email": 3, "sample": ["Ahmed Ali", "Anna Berg"]}]})

    reached: int
    already_invited: int
    without_email: int = Field(description="Invited, but get no mail (no address in the directory)")
    sample: list[str] = Field(description="The first names, alphabetically (at most 20)")


class InviteResult(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "invited": 457, "already_invited": 3, "without_email": 2, "mails_queued": 455, "state": "invitations_sent"}]})

    invited: int
    already_invited: int
    without_email: int
    mails_queued: int
    state: str


class InvitationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        "person_id": "p-1042", "name": "Karin Lindqvist", "email": "karin.lindqvist@kommun.example",
        "title": "Rektor", "level": "enhetschef", "org_unit_id": "ou-utb-grund-03",
        "org_unit_name": "Grundskola Centrum", "source": "audience", "deputy_for": None,
        "invited_at": "2026-09-15T10:12:00Z", "response": "registered"}]})

    person_id: str
    name: str
    email: str | None
    title: str | None
    level: str | None
    org_unit_id: str | None
    org_unit_name: str | None
    source: str
    deputy_for: str | None
    invited_at: datetime
    response: str | None = Field(None, description="The registration status; null while unanswered")


class ReminderIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"kind": "unanswered"}, {"kind": "registered"}]})

    kind: Literal["registered", "unanswered"] = Field(
        description="registered: practical reminder to everyone with a seat; unanswered: a nudge to everyone "
                    "invited who has not answered. Each person gets each kind at most once.")


class ReminderResult(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"queued": 120, "already_reminded": 8}]})

    queued: int
    already_reminded: int


class MailStatus(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "pending": 12, "sent": 448, "failed": 1,
        "failures": [{"to": "x@kommun.example", "kind": "invitation", "attempts": 8,
                      "last_error": "SMTPRecipientsRefused: ..."}]}]})

    pending: int
    sent: int
    failed: int
    failures: list[dict[str, object]]
