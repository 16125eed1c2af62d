"""The admin's side of registration: the participant list, the waiting list and its overrides, lapsed offers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, NotFound
from samla_events import topics
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.chefsdag.states import Action, State
from samla_events.invitations.models import Invitation
from samla_events.policy import Policy
from samla_events.registrations import seats, steps, waitlist
from samla_events.registrations.models import Registration, Status
from samla_events.registrations.steps import offer_free_seats

__all__ = [
    "events_with_lapsed_offers",
    "expire_offers",
    "list_registrations",
    "move",
    "offer_free_seats",
    "promote",
    "remove",
    "waiting",
]


def list_registrations(*, session: Session, event_id: str,
                       status: Status | None = None) -> list[tuple[Registration, Invitation]]:
    """Registrations with the person's directory data, by name."""
    chefsdag.get(session=session, event_id=event_id)
    stmt = (select(Registration, Invitation)
            .join(Invitation, (Invitation.event_id == Registration.event_id)
                  & (Invitation.person_id == Registration.person_id))
            .where(Registration.event_id == event_id).order_by(Invitation.name, Registration.person_id))
    if status is not None:
        stmt = stmt.where(Registration.status == status.value)
    return [(r, i) for r, i in session.execute(stmt).all()]


def waiting(*, session: Session, event_id: str) -> tuple[Event, list[tuple[Registration, Invitation]],
                                                        list[tuple[Registration, Invitation]]]:
    """The event, its open offers (soonest deadline first) and its queue (first in line first), with names."""
    event = chefsdag.get(session=session, event_id=event_id)
    rows = session.execute(
        select(Registration, Invitation)
        .join(Invitation, (Invitation.event_id == Registration.event_id)
              & (Invitation.person_id == Registration.person_id))
        .where(Registration.event_id == event_id,
               Registration.status.in_([Status.WAITLISTED.value, Status.OFFERED.value]))).all()
    invitation_of = {r.person_id: i for r, i in rows}
    offers = sorted((r for r, _ in rows if r.status == Status.OFFERED), key=lambda r: (r.offer_expires_at, r.id))
    queue = waitlist.queue(r for r, _ in rows)
    return (event, [(r, invitation_of[r.person_id]) for r in offers],
            [(r, invitation_of[r.person_id]) for r in queue])


def promote(*, session: Session, event_id: str, person_id: str, now: datetime) -> Registration:
    """The admin gives a waiting person a seat now, beyond the capacity if the tables still have a free seat."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.MANAGE_WAITING_LIST, now=now)
    reg = _in_line(session, event.id, person_id)
    limit = event.table_seats or event.capacity
    taken = seats.held(session=session, event_id=event.id) - (1 if reg.status == Status.OFFERED else 0)
    if taken >= limit:
        raise Conflict(f"No seat left: all {limit} seats are taken or offered. Raise the capacity (and the tables) "
                       f"or wait for a cancellation.")
    steps.set_status(reg, Status.REGISTERED, now)
    steps.publish(session, topics.REGISTERED, reg, now, walk_in=False, from_waiting_list=True,
                  deputy_for=reg.deputy_for)
    steps.renumber(session, event.id)
    return reg


def move(*, session: Session, event_id: str, person_id: str, position: int, now: datetime) -> list[Registration]:
    """The admin moves a waiting person to another place in the queue; returns the new queue."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.MANAGE_WAITING_LIST, now=now)
    reg = _in_line(session, event.id, person_id)
    if reg.status != Status.WAITLISTED:
        raise Conflict("This person has been offered a seat and is no longer in the queue.")
    line = steps.queue_of(session, event.id)
    order = waitlist.moved([r.person_id for r in line], person_id, position)
    by_id = {r.person_id: r for r in line}
    for i, pid in enumerate(order, start=1):
        by_id[pid].waitlist_position = i
        by_id[pid].updated_at = now
    session.flush()
    return [by_id[pid] for pid in order]


def remove(*, session: Session, event_id: str, person_id: str, now: datetime, policy: Policy) -> Registration:
    """The admin takes a person off the waiting list (an open offer is withdrawn and passed on)."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.MANAGE_WAITING_LIST, now=now)
    reg = _in_line(session, event.id, person_id)
    steps.set_status(reg, Status.CANCELLED, now, reason="removed_by_admin")
    steps.publish(session, topics.CANCELLED, reg, now, reason="removed_by_admin")
    steps.offer_free_seats(session=session, event=event, now=now, policy=policy)
    steps.renumber(session, event.id)
    return reg


def expire_offers(*, session: Session, event_id: str, now: datetime, policy: Policy) -> int:
    """Cancels lapsed offers and offers those seats to the next in line; returns how many lapsed."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.MANAGE_WAITING_LIST, now=now)
    offered = session.scalars(select(Registration).where(Registration.event_id == event.id,
                                                         Registration.status == Status.OFFERED.value)).all()
    gone = waitlist.lapsed(offered, now=now)
    for reg in gone:
        steps.set_status(reg, Status.CANCELLED, now, reason="offer_expired")
        steps.publish(session, topics.CANCELLED, reg, now, reason="offer_expired")
    steps.offer_free_seats(session=session, event=event, now=now, policy=policy)
    return len(gone)


def events_with_lapsed_offers(*, session: Session, now: datetime) -> list[str]:
    """Open days with offers past their deadline (for the background job)."""
    return list(session.scalars(select(Registration.event_id).distinct()
                                .join(Event, Event.id == Registration.event_id)
                                .where(Event.state == State.INVITATIONS_SENT.value,
                                       Registration.status == Status.OFFERED.value,
                                       Registration.offer_expires_at <= now)))


def _in_line(session: Session, event_id: str, person_id: str) -> Registration:
    reg = steps.get(session=session, event_id=event_id, person_id=person_id)
    if reg is None or reg.status not in (Status.WAITLISTED, Status.OFFERED):
        raise NotFound(f"{person_id!r} is not on the waiting list of this day.")
    return reg
