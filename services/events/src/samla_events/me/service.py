"""A participant's own view: the days they are invited to, their answer, their check-in code and tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import NotFound
from samla_events import placements
from samla_events.agenda.models import AgendaSession
from samla_events.checkin import tokens
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.invitations.models import Invitation
from samla_events.policy import Policy
from samla_events.registrations import service as registrations
from samla_events.registrations.models import Registration, Status


@dataclass(frozen=True)
class MyEvent:
    event: Event
    invitation: Invitation
    registration: Registration | None


@dataclass(frozen=True)
class MyDay:
    mine: MyEvent
    agenda: list[AgendaSession]
    code: tuple[str, datetime] | None  # (check-in code, valid until) once registered
    tables: dict[int, str]


def my_events(*, session: Session, person_id: str) -> list[MyEvent]:
    """Every day the person is invited to, the next first."""
    rows = session.execute(
        select(Event, Invitation, Registration)
        .join(Invitation, Invitation.event_id == Event.id)
        .outerjoin(Registration, (Registration.event_id == Event.id) & (Registration.person_id == person_id))
        .where(Invitation.person_id == person_id).order_by(Event.day.desc(), Event.starts_at)).all()
    return [MyEvent(e, i, r) for e, i, r in rows]


def my_day(*, session: Session, event_id: str, person_id: str, key: bytes, policy: Policy) -> MyDay:
    """The person's day: agenda, answer, check-in code (when registered) and tables (when seated)."""
    event = chefsdag.get(session=session, event_id=event_id)
    invitation = session.scalar(select(Invitation).where(Invitation.event_id == event_id,
                                                         Invitation.person_id == person_id))
    if invitation is None:
        raise NotFound("You are not invited to this chefsdag.")
    reg = registrations.get(session=session, event_id=event_id, person_id=person_id)
    code = None
    if reg is not None and reg.status == Status.REGISTERED:
        expires = policy.token_expiry(event.day, event.ends_at)
        code = (tokens.sign(key=key, event_id=event.id, number=reg.number, expires_at=expires), expires)
    tables = placements.tables_of(session=session, event_id=event_id, person_id=person_id)
    return MyDay(MyEvent(event, invitation, reg), chefsdag.agenda_of(session=session, event_id=event_id), code, tables)
