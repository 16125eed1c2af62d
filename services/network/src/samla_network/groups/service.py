"""Publishing a reviewed run as networks, and reading networks for admins and members."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, Forbidden
from samla_network.db import people
from samla_network.errors import not_found
from samla_network.groups import messages
from samla_network.groups.models import ACTIVE, Membership, NetworkGroup
from samla_network.mail import compose
from samla_network.mail.models import PENDING, QueuedMail
from samla_network.runs import service as runs
from samla_network.runs.models import DONE, PUBLISHED, MatchingRun
from samla_network.topics import utcnow


def publish_run(*, session: Session, run_id: str, base_url: str, after_days: int) -> list[NetworkGroup]:
    """Turns a finished run into active networks, announces them and queues each member's welcome mail."""
    run = runs.get(session=session, run_id=run_id, lock=True)
    if run.status != DONE or run.result is None:
        raise Conflict(f"Only a finished run can be published; this one is {run.status}.")
    if run.result["violations"]:
        raise Conflict(f"The grouping breaks {len(run.result['violations'])} rule(s). Swap people until none "
                       "is broken, or run again with other parameters.")
    now = utcnow()
    created = []
    for k, stored in enumerate(run.result["groups"], start=1):
        kind = "mentor_pair" if run.kind == "mentors" else "group"
        group = NetworkGroup(id=str(uuid.uuid4()), run_id=run.id, kind=kind, name=f"{run.name} – {k}",
                             status=ACTIVE, explanation=stored["explanation"], created_at=now,
                             first_meeting_at=compose.first_meeting(published=now, after_days=after_days))
        roles = ["mentor", "mentee"] if kind == "mentor_pair" else ["member"] * len(stored["members"])
        members = [Membership(group_id=group.id, person_id=pid, role=role, joined_at=now)
                   for pid, role in zip(stored["members"], roles, strict=True)]
        session.add(group)
        session.flush()
        session.add_all(members)
        messages.published(session, group=group, memberships=members, at=now)
        queue_welcome(session=session, group=group, member_ids=stored["members"], base_url=base_url, now=now)
        created.append(group)
    run.status, run.published_at = PUBLISHED, now
    session.flush()
    return created


def queue_welcome(*, session: Session, group: NetworkGroup, member_ids: Sequence[str], base_url: str,
                  now: datetime) -> int:
    """Queues the welcome mail (with the first-meeting .ics) to every member the directory has an address for."""
    rows = {r.id: r for r in session.execute(select(people.c.id, people.c.name, people.c.email)
                                             .where(people.c.id.in_(set(member_ids))))}
    names = [rows[m].name if m in rows else m for m in member_ids]
    url = f"{base_url.rstrip('/')}/natverk/{group.id}"
    starts = group.first_meeting_at or compose.first_meeting(published=now, after_days=14)
    ics = compose.meeting_ics(group_id=group.id, group_name=group.name, starts=starts, attendees=names, url=url,
                              stamp=now)
    queued = 0
    for pid in member_ids:
        row = rows.get(pid)
        if row is None or not row.email:
            continue
        subject, body = compose.welcome(name=row.name, group_name=group.name,
                                        others=[n for m, n in zip(member_ids, names, strict=True) if m != pid],
                                        starts=starts, url=url, explanation=group.explanation)
        session.add(QueuedMail(person_id=pid, to_address=row.email, to_name=row.name, subject=subject, body=body,
                               ics=ics, status=PENDING, attempts=0, next_attempt_at=now, created_at=now))
        queued += 1
    return queued


def get(*, session: Session, group_id: str, lock: bool = False) -> NetworkGroup:
    group = session.get(NetworkGroup, group_id, with_for_update=lock)
    if group is None:
        raise not_found("network", group_id)
    return group


def memberships(*, session: Session, group_id: str, current_only: bool = True) -> list[Membership]:
    query = select(Membership).where(Membership.group_id == group_id)
    if current_only:
        query = query.where(Membership.left_at.is_(None))
    return list(session.scalars(query.order_by(Membership.joined_at, Membership.person_id)))


def member_ids(*, session: Session, group_id: str) -> list[str]:
    return [m.person_id for m in memberships(session=session, group_id=group_id)]


def require_member_or_admin(*, session: Session, group_id: str, person_id: str, is_admin: bool) -> NetworkGroup:
    """The group, when the caller is one of its current members or an admin."""
    group = get(session=session, group_id=group_id)
    if not is_admin and person_id not in member_ids(session=session, group_id=group_id):
        raise Forbidden("Only the network's members (and admins) can see or change it.")
    return group


def listing(*, session: Session, run_id: str | None, status: str | None) -> list[NetworkGroup]:
    query = select(NetworkGroup).order_by(NetworkGroup.created_at, NetworkGroup.name)
    if run_id:
        query = query.where(NetworkGroup.run_id == run_id)
    if status:
        query = query.where(NetworkGroup.status == status)
    return list(session.scalars(query))


def groups_of(*, session: Session, person_id: str) -> list[NetworkGroup]:
    """The active networks a person is in now."""
    return list(session.scalars(select(NetworkGroup).join(Membership).where(
        Membership.person_id == person_id, Membership.left_at.is_(None), NetworkGroup.status == ACTIVE)
        .order_by(NetworkGroup.created_at)))


def run_of(*, session: Session, group: NetworkGroup) -> MatchingRun | None:
    return session.get(MatchingRun, group.run_id) if group.run_id else None

