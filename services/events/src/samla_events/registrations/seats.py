"""How many of an event's seats are taken. Callers that act on the answer hold the event row lock."""

from __future__ import annotations

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
    return int(session.scalar(select(func.count()).where(Registration.event_id == event_id,
                                                         Registration.status.in_(HOLDS_SEAT))) or 0)
