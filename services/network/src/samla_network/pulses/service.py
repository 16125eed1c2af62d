"""Network pulses: ask a cohort's networks a few questions through the feedback service and keep the
k-protected results it returns. Feedback owns prompts, answers and anonymity (DESIGN §2, §7)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from samla_common.errors import Conflict
from samla_network.errors import not_found
from samla_network.groups.models import ACTIVE, Membership, NetworkGroup
from samla_network.pulses import questions
from samla_network.pulses.client import FeedbackClient
from samla_network.pulses.models import CLOSED, OPEN, Pulse
from samla_network.pulses.schemas import PulseIn
from samla_network.runs import service as runs
from samla_network.topics import utcnow


def _networks(session: Session, run_id: str) -> list[dict[str, Any]]:
    """The cohort's active networks with their current members; a person is asked about one network only."""
    groups = list(session.scalars(select(NetworkGroup).where(NetworkGroup.run_id == run_id,
                                                             NetworkGroup.status == ACTIVE)
                                  .order_by(NetworkGroup.created_at, NetworkGroup.id)))
    members: dict[str, list[str]] = {g.id: [] for g in groups}
    for m in session.scalars(select(Membership).where(Membership.group_id.in_(members), Membership.left_at.is_(None))
                             .order_by(Membership.person_id)):
        members[m.group_id].append(m.person_id)
    asked: set[str] = set()
    out = []
    for g in groups:
        mine = [p for p in members[g.id] if p not in asked]
        asked.update(mine)
        if mine:
            out.append({"id": g.id, "members": mine})
    return out


def start(*, session: Session, data: PulseIn, by: str, feedback: FeedbackClient) -> Pulse:
    """Opens a pulse for a cohort and period in feedback and records it."""
    run = runs.get(session=session, run_id=data.run_id)
    taken = session.scalars(select(Pulse).where(Pulse.run_id == run.id, Pulse.period == data.period)).first()
    if taken is not None:
        raise Conflict(f"This cohort already has a pulse for {data.period} ({taken.id}); choose another period.")
    networks = _networks(session, run.id)
    if not networks:
        raise Conflict("The run has no active networks to ask; publish it first.")
    asked = questions.prompts(period=data.period, free_text=data.free_text)
    pulse_id = str(uuid.uuid4())
    opened = feedback.open_pulse(pulse_id=pulse_id, groups=networks, prompts=[p for _, p in asked])
    pulse = Pulse(id=pulse_id, run_id=run.id, period=data.period, status=OPEN, feedback_event_id=opened["event_id"],
                  prompts=[{"question": key, "prompt_id": p["id"], "kind": p["kind"], "title": p["title"]}
                           for (key, _), p in zip(asked, opened["prompts"], strict=True)],
                  group_ids=[n["id"] for n in networks], people=int(opened["people"]), results=None, created_by=by,
                  created_at=utcnow())
    try:
        with session.begin_nested():
            session.add(pulse)
    except IntegrityError:
        raise Conflict(f"This cohort already has a pulse for {data.period}.") from None
    return pulse


def get(*, session: Session, pulse_id: str) -> Pulse:
    pulse = session.get(Pulse, pulse_id)
    if pulse is None:
        raise not_found("pulse", pulse_id)
    return pulse


def listing(*, session: Session, run_id: str | None, period: str | None) -> list[Pulse]:
    """Pulses, newest first, optionally of one cohort or period."""
    query = select(Pulse).order_by(Pulse.created_at.desc())
    if run_id:
        query = query.where(Pulse.run_id == run_id)
    if period:
        query = query.where(Pulse.period == period)
    return list(session.scalars(query))


def close(*, session: Session, pulse_id: str, feedback: FeedbackClient) -> Pulse:
    """Closes the pulse in feedback and keeps its final k-protected results; closing again changes nothing."""
    pulse = session.get(Pulse, pulse_id, with_for_update=True) or get(session=session, pulse_id=pulse_id)
    if pulse.status == CLOSED:
        return pulse
    feedback.close_pulse(pulse_id=pulse.id)
    pulse.results = feedback.results(pulse_id=pulse.id)
    pulse.status, pulse.closed_at = CLOSED, utcnow()
    session.flush()
    return pulse


def results(*, pulse: Pulse, feedback: FeedbackClient) -> list[dict[str, Any]]:
    """Live results while the pulse is open, the kept final ones once closed."""
    if pulse.status == CLOSED and pulse.results is not None:
        return pulse.results
    return feedback.results(pulse_id=pulse.id)


def mine(*, session: Session, person_id: str) -> list[tuple[Pulse, NetworkGroup]]:
    """Open pulses that ask the person about one of their active networks."""
    groups = {g.id: g for g in session.scalars(
        select(NetworkGroup).join(Membership).where(Membership.person_id == person_id, Membership.left_at.is_(None),
                                                    NetworkGroup.status == ACTIVE))}
    run_ids = {g.run_id for g in groups.values() if g.run_id}
    found = []
    for pulse in session.scalars(select(Pulse).where(Pulse.status == OPEN, Pulse.run_id.in_(run_ids))
                                 .order_by(Pulse.created_at)):
        group_id = next((g for g in pulse.group_ids if g in groups), None)
        if group_id is not None:
            found.append((pulse, groups[group_id]))
    return found


def latest_closed(*, session: Session, run_ids: list[str], period: str | None) -> dict[str, Pulse]:
    """Per cohort, its latest closed pulse (of the period, when one is given)."""
    query = select(Pulse).where(Pulse.status == CLOSED, Pulse.run_id.in_(run_ids)).order_by(Pulse.closed_at)
    if period:
        query = query.where(Pulse.period == period)
    return {p.run_id: p for p in session.scalars(query)}
