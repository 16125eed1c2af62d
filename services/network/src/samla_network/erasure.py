"""GDPR: what network holds about a person (export), and erasing it when identity erases the person.

Erasure deletes the profile, memberships, check-ins, seats, attendance and queued mail; takes the person out
of meeting attendee lists and of runs' frozen inputs and results; meetings they logged keep no author.
A group's history therefore forgets the person entirely, which is the point of erasure.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from samla_common.privacy import rows_about
from samla_network.db import people
from samla_network.directory.models import Attendee, Seat
from samla_network.draws.models import LeadershipDraw
from samla_network.groups.models import CheckIn, Meeting, Membership
from samla_network.mail.models import QueuedMail
from samla_network.profiles.models import Profile
from samla_network.runs.models import MatchingRun


def _without(value: Any, person_id: str) -> Any:
    """A JSON value with every mention of the person removed (lists drop it; pairs naming it go)."""
    if isinstance(value, dict):
        return {k: _without(v, person_id) for k, v in value.items() if k != person_id and v != person_id}
    if isinstance(value, list):
        if len(value) == 2 and person_id in value and all(isinstance(v, str) for v in value):
            return None  # a pair (together/apart/met) that names the person
        kept = [_without(v, person_id) for v in value if v != person_id]
        return [v for v in kept if v is not None and not (isinstance(v, dict) and v.get("id") is None
                                                            and "id" in v)]
    return value


def _scrub_people(value: dict[str, Any], person_id: str) -> dict[str, Any]:
    out = dict(value)
    if "people" in out:
        out["people"] = [p for p in out["people"] if p.get("id") != person_id]
    return _without(out, person_id)


def erase_person(*, session: Session, person_id: str) -> None:
    """Removes the person from every network table."""
    for table in (Profile, Attendee, Seat, QueuedMail, CheckIn, Membership):
        session.execute(delete(table).where(table.person_id == person_id))
    session.execute(update(Meeting).where(Meeting.recorded_by == person_id).values(recorded_by=None))
    for meeting in session.scalars(select(Meeting)):
        if person_id in meeting.attendees:
            meeting.attendees = [p for p in meeting.attendees if p != person_id]
    for run in session.scalars(select(MatchingRun)):
        if person_id not in str(run.inputs) and person_id not in str(run.result):
            continue
        run.inputs = _scrub_people(run.inputs, person_id)
        run.excluded = [e for e in run.excluded if e["person_id"] != person_id]
        run.parameters = _without(run.parameters, person_id)
        if run.result is not None:
            run.result = {**run.result, "groups": [{**g, "members": [m for m in g["members"] if m != person_id]}
                                                   for g in run.result["groups"]]}
        if run.population.get("kind") == "people":
            run.population = {**run.population,
                              "person_ids": [p for p in run.population["person_ids"] if p != person_id]}
    for draw in session.scalars(select(LeadershipDraw)):
        if any(person_id in g for g in draw.groups):
            draw.groups = [[p for p in g if p != person_id] for g in draw.groups]
    session.flush()


def export_person(session: Session, person_id: str) -> dict[str, Any]:
    """Everything network holds that names the person (GDPR export)."""
    meetings = [m for m in rows_about(session, Meeting.__table__, "recorded_by", person_id)]
    attended = [{"id": m.id, "group_id": m.group_id, "held_on": m.held_on.isoformat()}
                for m in session.scalars(select(Meeting)) if person_id in m.attendees]
    runs = [r.id for r in session.scalars(select(MatchingRun)) if person_id in str(r.inputs)]
    return {
        "directory_entry": next(iter(rows_about(session, people, "id", person_id)), None),
        "profile": next(iter(rows_about(session, Profile.__table__, "person_id", person_id)), None),
        "memberships": rows_about(session, Membership.__table__, "person_id", person_id),
        "check_ins": rows_about(session, CheckIn.__table__, "person_id", person_id),
        "meetings_logged": meetings,
        "meetings_attended": attended,
        "matching_runs_including_you": runs,
        "attendance": rows_about(session, Attendee.__table__, "person_id", person_id),
        "seats": rows_about(session, Seat.__table__, "person_id", person_id),
        "mail": rows_about(session, QueuedMail.__table__, "person_id", person_id),
    }
