"""What the events service publishes (topics and CloudEvents types, see contracts/events/topics.yaml).

Every event on these topics is keyed by the event (chefsdag) id, so one day's changes stay in order. The outbox
numbers events per key, so writers of one day must not interleave: every service function that publishes takes
the event row lock first (`chefsdag.service.lock`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from samla_common.messaging.outbox import EventWriter

EVENT_TOPIC = "events.event.v1"
REGISTRATION_TOPIC = "events.registration.v1"
SEATING_TOPIC = "events.seating.v1"

EVENT_CREATED = "se.samla.events.event.created.v1"
EVENT_UPDATED = "se.samla.events.event.updated.v1"
EVENT_STATE_CHANGED = "se.samla.events.event.state_changed.v1"

REGISTERED = "se.samla.events.registration.registered.v1"
DECLINED = "se.samla.events.registration.declined.v1"
WAITLISTED = "se.samla.events.registration.waitlisted.v1"
PROMOTED = "se.samla.events.registration.promoted.v1"
CANCELLED = "se.samla.events.registration.cancelled.v1"
CHECKED_IN = "se.samla.events.registration.checked_in.v1"
CHECK_IN_UNDONE = "se.samla.events.registration.check_in_undone.v1"

SEATING_ROUND_PUBLISHED = "se.samla.events.seating.round_published.v1"

writer = EventWriter(source="/samla/events")


def iso(value: datetime) -> str:
    """RFC 3339 in UTC with a Z, as the schemas' date-time wants it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
