"""What the network service publishes (topics and CloudEvents types, see contracts/events/topics.yaml).

Both topics are keyed by the group id, so one group's story (published, membership changed, dissolved,
meetings) stays in order.
"""

from __future__ import annotations

from datetime import UTC, datetime

from samla_common.messaging.outbox import EventWriter

GROUP_TOPIC = "network.group.v1"
MEETING_TOPIC = "network.meeting.v1"

GROUP_PUBLISHED = "se.samla.network.group.published.v1"
MEMBERSHIP_CHANGED = "se.samla.network.group.membership_changed.v1"
GROUP_DISSOLVED = "se.samla.network.group.dissolved.v1"
MEETING_RECORDED = "se.samla.network.meeting.recorded.v1"

writer = EventWriter(source="/samla/network")


def iso(value: datetime) -> str:
    """RFC 3339 in UTC with a Z, as the schemas' date-time wants it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def utcnow() -> datetime:
    return datetime.now(UTC)
