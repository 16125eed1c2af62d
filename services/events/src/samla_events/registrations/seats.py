"""How many of an event's seats are taken. Callers that act on the answer hold the event row lock."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samla_events.registrations.models import HOLDS_SEAT, Registration, Status


def counts(*, session: Session, event_id: str) -> dict[str, int]:
    """Registrations by status (every status present, zero when none)."""
    rows = session.execute(select(Registration.status, func.count()).where(Registration.event_id == event_id)
                           .group_by(Registration.status)).all()
    found = {status: int(n) for status, n in rows}
    return {s.value: found.get(s.value, 0) for s in Status}


def held(*, session: Session, event_id: str) -> int:
    """Seats registered or held by an open offer."""
    return tally(session=session, event_id=event_id).held


@dataclass(frozen=True)
class Tally:
    held: int  # seats registered or held by an open offer
    waiting: int  # people in the queue, numbered 1..waiting (steps.renumber keeps it so)
    last_number: int  # the highest registration number given so far (0 when none)


def tally(*, session: Session, event_id: str) -> Tally:
    """What a new answer needs to know, in one read: the seats held, the queue's length and the last number.
    Counting, not loading: with thousands invited to a hall for hundreds, each answer would otherwise read
    the whole queue."""
    held, waiting, last = session.execute(select(
        func.count().filter(Registration.status.in_(HOLDS_SEAT)),
        func.count().filter(Registration.status == Status.WAITLISTED.value),
        func.max(Registration.number)).where(Registration.event_id == event_id)).one()
    return Tally(held=int(held or 0), waiting=int(waiting or 0), last_number=int(last or 0))
