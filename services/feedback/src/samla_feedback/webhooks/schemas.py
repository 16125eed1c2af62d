"""API shapes for webhook subscribers and their delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from samla_feedback.api import ID_PATTERN


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "url": "https://budget.kommun.se/hooks/samla", "secret": "a-long-random-secret-from-the-receiver",
        "event_types": ["se.samla.feedback.theme.status_changed.v1", "se.samla.feedback.insight.published.v1"],
        "process_id": "budget-2027", "description": "Budgetsystemet"}]})

    url: AnyHttpUrl
    secret: str = Field(min_length=16, max_length=200, description="Signs every delivery (HMAC-SHA256); not shown "
                                                                   "again")
    event_types: list[str] = Field(default_factory=list, max_length=20, description="Empty: every type")
    process_id: str | None = Field(None, min_length=1, max_length=200, pattern=ID_PATTERN,
                                   description="Only this process's events; empty: every process")
    description: str | None = Field(None, max_length=300)


class SubscriptionOut(BaseModel):
    id: str
    url: str
    event_types: list[str]
    process_id: str | None
    description: str | None
    active: bool
    created_at: datetime


class AttemptOut(BaseModel):
    attempted_at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    replay: bool


class DeliveryOut(BaseModel):
    id: str = Field(description="Sent as Samla-Delivery-Id; the same on every retry and replay")
    event_id: str
    event_type: str
    status: str = Field(description="pending | sending | delivered | failed")
    attempts: int
    replays: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    body: dict[str, Any]
    log: list[AttemptOut]
