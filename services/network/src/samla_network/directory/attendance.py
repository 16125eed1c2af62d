"""Who came to a day, from events.registration.v1: the population "an event's attendees" of a matching run.

Events keys this topic by event id, so one day's registrations arrive in order; the envelope's sequence still
guards each row against a replayed older event.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.messaging.consumer import HandlerRegistry
from samla_common.messaging.envelope import Envelope
from samla_network.directory.models import Attendee

REGISTRATION_TOPIC = "events.registration.v1"
PREFIX = "se.samla.events.registration."
# type → (status, checked_in or None when the event leaves the check-in as it was)
TRANSITIONS: dict[str, tuple[str, bool | None]] = {
    f"{PREFIX}registered.v1": ("registered", None),
    f"{PREFIX}promoted.v1": ("registered", None),
    f"{PREFIX}waitlisted.v1": ("waitlisted", False),
    f"{PREFIX}declined.v1": ("declined", False),
    f"{PREFIX}cancelled.v1": ("cancelled", False),
    f"{PREFIX}checked_in.v1": ("registered", True),
    f"{PREFIX}check_in_undone.v1": ("registered", False),
}


def register_registration_handlers(registry: HandlerRegistry) -> None:
    for event_type, (status, checked_in) in TRANSITIONS.items():
        registry.on(event_type)(_handler(status, checked_in))


def _handler(status: str, checked_in: bool | None):
    def handle(session: Session, env: Envelope) -> None:
        apply(session=session, event_id=env.data["event_id"], person_id=env.data["person_id"], status=status,
              checked_in=checked_in, sequence=env.sequence)
    return handle


def apply(*, session: Session, event_id: str, person_id: str, status: str, checked_in: bool | None,
          sequence: int) -> None:
    """Records a registration change unless a newer one for the day is already applied."""
    row = session.get(Attendee, (event_id, person_id))
    if row is None:
        session.add(Attendee(event_id=event_id, person_id=person_id, status=status,
                             checked_in=bool(checked_in), source_seq=sequence))
        return
    if sequence and row.source_seq >= sequence:
        return
    row.status, row.source_seq = status, sequence
    if checked_in is not None:
        row.checked_in = checked_in


def attendees(*, session: Session, event_id: str, checked_in_only: bool) -> list[str]:
    """Registered people of a day (or only those who checked in), sorted."""
    query = select(Attendee.person_id).where(Attendee.event_id == event_id, Attendee.status == "registered")
    if checked_in_only:
        query = query.where(Attendee.checked_in.is_(True))
    return sorted(session.scalars(query))
