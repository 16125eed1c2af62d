"""The rules of registration and check-in that settings choose, passed to the service layer as one value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from samla_events.config import Settings
from samla_events.localtime import moment


@dataclass(frozen=True)
class Policy:
    offer_window: timedelta  # how long a freed seat is held for the person it is offered to
    base_url: str  # links in mails: <base_url>/dag/<event id>
    token_hours_after_end: int  # how long check-in codes stay valid after the day ends

    @classmethod
    def from_settings(cls, settings: Settings) -> Policy:
        return cls(offer_window=timedelta(hours=settings.offer_hours), base_url=settings.public_base_url.rstrip("/"),
                   token_hours_after_end=settings.checkin_token_hours_after_end)

    def link(self, event_id: str) -> str:
        """The participant's page for the day."""
        return f"{self.base_url}/dag/{event_id}"

    def token_expiry(self, day: date, ends_at: time) -> datetime:
        """When check-in codes of a day stop working."""
        return moment(day, ends_at) + timedelta(hours=self.token_hours_after_end)
