"""Builds the API views of networks: members with only what each chose to share."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_network.db import people
from samla_network.groups import meetings
from samla_network.groups import service as groups
from samla_network.groups.models import NetworkGroup
from samla_network.groups.schemas import CheckInOut, GroupMemberOut, GroupOut, MeetingOut, MyNetworkOut
from samla_network.profiles import service as profiles
from samla_network.profiles.tags import DEFAULT_SHARE


def _shared(*, directory_row: Any, profile: Any) -> dict[str, Any]:
    fields = profile.share if profile is not None else list(DEFAULT_SHARE)
    values: dict[str, Any] = {"title": directory_row.title if directory_row is not None else None}
    if profile is not None:
        values.update(challenges=profile.challenges, challenges_text=profile.challenges_text,
                      languages=profile.languages, availability=profile.availability, location=profile.location,
                      years_as_manager=profile.years_as_manager)
    return {f: values[f] for f in fields if values.get(f) not in (None, "", [])}


def group_out(*, session: Session, group: NetworkGroup) -> GroupOut:
    current = groups.memberships(session=session, group_id=group.id)
    ids = {m.person_id for m in current}
    rows = {r.id: r for r in session.execute(select(people).where(people.c.id.in_(ids)))}
    saved = profiles.of_people(session=session, person_ids=ids)
    members = [GroupMemberOut(person_id=m.person_id, name=rows[m.person_id].name if m.person_id in rows else "",
                              role=m.role, shared=_shared(directory_row=rows.get(m.person_id),
                                                          profile=saved.get(m.person_id))) for m in current]
    return GroupOut(id=group.id, run_id=group.run_id, kind=group.kind, name=group.name, status=group.status,
                    explanation=group.explanation, first_meeting_at=group.first_meeting_at,
                    merged_into=group.merged_into, created_at=group.created_at, members=members)


def meeting_out(m: Any) -> MeetingOut:
    return MeetingOut(id=m.id, held_on=m.held_on, attendees=m.attendees, note=m.note, recorded_by=m.recorded_by,
                      recorded_at=m.recorded_at)


def my_network(*, session: Session, group: NetworkGroup, person_id: str) -> MyNetworkOut:
    base = group_out(session=session, group=group)
    return MyNetworkOut(**base.model_dump(),
                        meetings=[meeting_out(m) for m in meetings.log(session=session, group_id=group.id)],
                        my_check_ins=[CheckInOut(period=c.period, met=c.met, answered_at=c.answered_at)
                                      for c in meetings.check_ins(session=session, group_id=group.id,
                                                                  person_id=person_id)])
