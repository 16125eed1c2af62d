"""Reading and replacing a day's agenda; a change publishes the event's new state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from samla_common.errors import DomainError
from samla_events.agenda import rules
from samla_events.agenda.models import AgendaSession
from samla_events.agenda.schemas import AgendaItem
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.states import Action


def get(*, session: Session, event_id: str) -> list[AgendaSession]:
    """The agenda of an event, in order."""
    chefsdag.get(session=session, event_id=event_id)
    return chefsdag.agenda_of(session=session, event_id=event_id)


def replace(*, session: Session, event_id: str, items: list[AgendaItem], now: datetime) -> list[AgendaSession]:
    """Replaces the whole agenda at once (all or nothing) and publishes the event's new state."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.EDIT, now=now)
    errors = rules.problems(items, day_starts=event.starts_at, day_ends=event.ends_at)
    if errors:
        raise DomainError("The agenda is not valid: " + "; ".join(f"{e['field']}: {e['message']}" for e in errors),
                          errors=errors)
    session.execute(delete(AgendaSession).where(AgendaSession.event_id == event.id))
    session.add_all(AgendaSession(event_id=event.id, position=i, **item.model_dump())
                    for i, item in enumerate(items))
    session.flush()
    chefsdag.publish_updated(session=session, event=event, now=now)
    return chefsdag.agenda_of(session=session, event_id=event.id)
