"""A network's meeting log and its members' "did you meet?" check-ins."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict
from samla_network.errors import invalid
from samla_network.groups import messages
from samla_network.groups import service as groups
from samla_network.groups.models import ACTIVE, CheckIn, Meeting
from samla_network.topics import utcnow


def record(*, session: Session, group_id: str, held_on: date, attendees: Sequence[str] | None, note: str,
           by: str) -> Meeting:
    """Logs a meeting of the network; attendees default to every current member."""
    group = groups.get(session=session, group_id=group_id, lock=True)
    if group.status != ACTIVE:
        raise Conflict("The network is dissolved; its meeting log is closed.")
    now = utcnow()
    if held_on > now.date():
        raise invalid("held_on", "a meeting can be logged once it has taken place (the date is in the future)")
    members = groups.member_ids(session=session, group_id=group_id)
    present = list(dict.fromkeys(attendees)) if attendees is not None else members
    strangers = [p for p in present if p not in members]
    if strangers:
        raise invalid("attendees", f"not members of this network: {', '.join(strangers)}")
    meeting = Meeting(id=str(uuid.uuid4()), group_id=group_id, held_on=held_on, attendees=present,
                      note=note.strip(), recorded_by=by, recorded_at=now)
    session.add(meeting)
    session.flush()
    messages.meeting_recorded(session, meeting=meeting, at=now)
    return meeting


def log(*, session: Session, group_id: str) -> list[Meeting]:
    return list(session.scalars(select(Meeting).where(Meeting.group_id == group_id)
                                .order_by(Meeting.held_on.desc(), Meeting.recorded_at.desc())))


def check_in(*, session: Session, group_id: str, person_id: str, period: str, met: bool) -> CheckIn:
    """Records (or changes) a member's answer for a period."""
    group = groups.get(session=session, group_id=group_id)
    if group.status != ACTIVE:
        raise Conflict("The network is dissolved; it takes no more check-ins.")
    row = session.get(CheckIn, (group_id, person_id, period))
    if row is None:
        row = CheckIn(group_id=group_id, person_id=person_id, period=period, met=met, answered_at=utcnow())
        session.add(row)
    else:
        row.met, row.answered_at = met, utcnow()
    session.flush()
    return row


def check_ins(*, session: Session, group_id: str, person_id: str | None = None) -> list[CheckIn]:
    query = select(CheckIn).where(CheckIn.group_id == group_id)
    if person_id is not None:
        query = query.where(CheckIn.person_id == person_id)
    return list(session.scalars(query.order_by(CheckIn.period.desc())))
