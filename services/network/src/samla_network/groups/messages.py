"""The events network publishes about groups and meetings, written to the outbox in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.orm import Session

from samla_network import topics
from samla_network.groups.models import Meeting, Membership, NetworkGroup


def _members(memberships: Sequence[Membership]) -> list[dict[str, str]]:
    return [{"person_id": m.person_id, "role": m.role} for m in memberships if m.left_at is None]


def published(session: Session, *, group: NetworkGroup, memberships: Sequence[Membership], at: datetime) -> None:
    topics.writer.add(session, topic=topics.GROUP_TOPIC, type=topics.GROUP_PUBLISHED, key=group.id, data={
        "group_id": group.id, "run_id": group.run_id, "kind": group.kind, "name": group.name,
        "members": _members(memberships),
        "first_meeting_at": topics.iso(group.first_meeting_at) if group.first_meeting_at else None,
        "published_at": topics.iso(at)})


def membership_changed(session: Session, *, group: NetworkGroup, memberships: Sequence[Membership],
                       joined: Sequence[str], left: Sequence[str], reason: str, at: datetime) -> None:
    topics.writer.add(session, topic=topics.GROUP_TOPIC, type=topics.MEMBERSHIP_CHANGED, key=group.id, data={
        "group_id": group.id, "members": _members(memberships), "joined": list(joined), "left": list(left),
        "reason": reason, "changed_at": topics.iso(at)})


def dissolved(session: Session, *, group: NetworkGroup, reason: str, at: datetime) -> None:
    topics.writer.add(session, topic=topics.GROUP_TOPIC, type=topics.GROUP_DISSOLVED, key=group.id, data={
        "group_id": group.id, "reason": reason, "merged_into": group.merged_into, "dissolved_at": topics.iso(at)})


def meeting_recorded(session: Session, *, meeting: Meeting, at: datetime) -> None:
    held: date = meeting.held_on
    topics.writer.add(session, topic=topics.MEETING_TOPIC, type=topics.MEETING_RECORDED, key=meeting.group_id,
                      data={"meeting_id": meeting.id, "group_id": meeting.group_id, "held_on": held.isoformat(),
                            "attendees": list(meeting.attendees), "recorded_at": topics.iso(at)})
