"""The steps every registration change is made of: status changes, queue numbering, seat offers, publishing.

Callers hold the event's row lock (`chefsdag.lock`): seat counts and the outbox sequence rely on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_events import topics
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.invitations import service as invitations
from samla_events.invitations import texts
from samla_events.mail import service as mail
from samla_events.policy import Policy
from samla_events.registrations import seats, waitlist
from samla_events.registrations.models import Registration, Status


def get(*, session: Session, event_id: str, person_id: str) -> Registration | None:
    """A person's registration for an event, if any."""
    return session.scalar(select(Registration).where(Registration.event_id == event_id,
                                                     Registration.person_id == person_id))


def offer_free_seats(*, session: Session, event: Event, now: datetime, policy: Policy) -> list[Registration]:
    """Offers every free seat to the first in line (the caller holds the event lock)."""
    free = event.capacity - seats.held(session=session, event_id=event.id)
    if free <= 0:
        return []
    offered = waitlist.to_offer(queue_of(session, event.id), free_seats=free)
    for reg in offered:
        offer(session, reg, now, policy)
    renumber(session, event.id)
    return offered


def offer(session: Session, reg: Registration, now: datetime, policy: Policy) -> datetime:
    """Holds a seat for `reg` until the offer window ends, publishes it and mails the person."""
    expires = now + policy.offer_window
    set_status(reg, Status.OFFERED, now)
    reg.offer_expires_at = expires
    reg.offers_made += 1
    publish(session, topics.PROMOTED, reg, now, offer_expires_at=topics.iso(expires), deputy_for=reg.deputy_for)
    inv = invitations.get(session=session, event_id=reg.event_id, person_id=reg.person_id)
    if inv is not None and inv.email and reg.deputy_for is None:
        event = chefsdag.get(session=session, event_id=reg.event_id)
        subject, body = texts.seat_offer(event=event, name=inv.name, link=policy.link(event.id), expires_at=expires)
        mail.enqueue(session=session, now=now, mails=[mail.Mail(
            dedup_key=f"{reg.event_id}:{reg.person_id}:offer:{reg.offers_made}", kind="seat_offer",
            to_address=inv.email, to_name=inv.name, subject=subject, body=body, event_id=reg.event_id,
            person_id=reg.person_id)])
    return expires


def set_status(reg: Registration, status: Status, now: datetime, *, reason: str | None = None) -> None:
    reg.status = status.value
    reg.reason = reason
    reg.responded_at = now
    reg.updated_at = now
    if status != Status.WAITLISTED:
        reg.waitlist_position = None
    if status != Status.OFFERED:
        reg.offer_expires_at = None


def new_registration(session: Session, event_id: str, person_id: str, now: datetime,
                      status: Status, *, number: int | None = None) -> Registration:
    """A new registration with the next number (`number` when the caller has counted already)."""
    if number is None:
        number = seats.tally(session=session, event_id=event_id).last_number + 1
    reg = Registration(event_id=event_id, person_id=person_id, number=number, status=status.value, offers_made=0,
                       walk_in=False, dietary=[], dietary_name_to_caterer=False, needs_accessible_seat=False,
                       consent_listed=False, responded_at=now, updated_at=now)
    session.add(reg)
    return reg


def queue_of(session: Session, event_id: str) -> list[Registration]:
    return waitlist.queue(session.scalars(select(Registration).where(
        Registration.event_id == event_id, Registration.status == Status.WAITLISTED.value)))


def renumber(session: Session, event_id: str) -> None:
    """Keeps queue positions 1..n with no gaps after people leave or get offers."""
    session.flush()
    for i, reg in enumerate(queue_of(session, event_id), start=1):
        reg.waitlist_position = i
    session.flush()


def publish(session: Session, type_: str, reg: Registration, now: datetime, **extra: Any) -> None:
    session.flush()
    topics.writer.add(session, topic=topics.REGISTRATION_TOPIC, type=type_, key=reg.event_id,
                      data={"event_id": reg.event_id, "person_id": reg.person_id, "occurred_at": topics.iso(now),
                            **extra})
