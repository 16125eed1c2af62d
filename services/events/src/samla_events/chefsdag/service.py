"""Creating, changing and moving a chefsdag through its states; each change publishes events.event.v1."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, DomainError, NotFound
from samla_events import topics
from samla_events.agenda import rules as agenda_rules
from samla_events.agenda.models import AgendaSession
from samla_events.chefsdag import states
from samla_events.chefsdag.models import Event
from samla_events.chefsdag.schemas import EventIn, EventPatch
from samla_events.chefsdag.states import Action, State
from samla_events.localtime import TIMEZONE_NAME, hhmm, local_date
from samla_events.registrations import seats


def get(*, session: Session, event_id: str) -> Event:
    """Gets one event by id."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"No chefsdag with id {event_id!r}.")
    return event


def lock(*, session: Session, event_id: str) -> Event:
    """Gets an event and holds its row lock until commit: seat counts and the outbox sequence rely on it."""
    event = session.get(Event, event_id, with_for_update=True, populate_existing=True)
    if event is None:
        raise NotFound(f"No chefsdag with id {event_id!r}.")
    return event


def list_events(*, session: Session, state: State | None = None) -> list[Event]:
    """Events, the latest day first."""
    stmt = select(Event).order_by(Event.day.desc(), Event.starts_at, Event.id)
    if state is not None:
        stmt = stmt.where(Event.state == state.value)
    return list(session.scalars(stmt))


def on_the_day(event: Event, now: datetime) -> bool:
    """Whether `now` falls on the event's day in Stockholm."""
    return local_date(now) == event.day


def require(event: Event, action: Action, *, now: datetime) -> None:
    """Raises a 409 problem when the event's state does not allow `action` now."""
    states.require(State(event.state), action, on_the_day=on_the_day(event, now))


def create(*, session: Session, data: EventIn, by: str, now: datetime) -> Event:
    """Creates a draft event and publishes it."""
    event = Event(id=str(uuid.uuid4()), state=State.DRAFT.value, version=1, created_by=by, created_at=now,
                  updated_at=now)
    _apply(event, data.model_dump())
    _validate(event, held=0)
    session.add(event)
    session.flush()
    topics.writer.add(session, topic=topics.EVENT_TOPIC, type=topics.EVENT_CREATED, key=event.id,
                      data=payload(session=session, event=event))
    return event


def update(*, session: Session, event_id: str, changes: EventPatch, now: datetime) -> Event:
    """Changes the fields sent and publishes the new state; refuses capacity below the seats already taken."""
    event = lock(session=session, event_id=event_id)
    require(event, Action.EDIT, now=now)
    values = changes.model_dump(exclude_unset=True)
    emptied = sorted(k for k, v in values.items() if v is None and k not in ("description", "process"))
    if emptied:
        raise DomainError(f"These cannot be emptied: {', '.join(emptied)}.",
                          errors=[{"field": k, "message": "must not be null"} for k in emptied])
    if not values:
        return event
    states.require_unlocked(State(event.state), {k for k, v in values.items() if v != _current(event, k)})
    _apply(event, values)
    _validate(event, held=seats.held(session=session, event_id=event.id))
    misfits = agenda_rules.problems(agenda_of(session=session, event_id=event.id), day_starts=event.starts_at,
                                    day_ends=event.ends_at)
    if misfits:
        raise DomainError("The new hours do not fit the agenda; change the agenda first: "
                          + "; ".join(e["message"] for e in misfits), errors=misfits)
    publish_updated(session=session, event=event, now=now)
    return event


def transition(*, session: Session, event_id: str, target: State, now: datetime) -> Event:
    """Moves the event to `target` when the state machine allows it, and publishes the change."""
    event = lock(session=session, event_id=event_id)
    current = State(event.state)
    states.check_transition(current, target)
    event.state = target.value
    event.version += 1
    event.updated_at = now
    session.flush()
    topics.writer.add(session, topic=topics.EVENT_TOPIC, type=topics.EVENT_STATE_CHANGED, key=event.id,
                      data={"id": event.id, "from": current.value, "to": target.value, "version": event.version,
                            "changed_at": topics.iso(now)})
    return event


def publish_updated(*, session: Session, event: Event, now: datetime) -> None:
    """Bumps the version and publishes the event's full state (after details or agenda changed)."""
    event.version += 1
    event.updated_at = now
    session.flush()
    topics.writer.add(session, topic=topics.EVENT_TOPIC, type=topics.EVENT_UPDATED, key=event.id,
                      data=payload(session=session, event=event))


def agenda_of(*, session: Session, event_id: str) -> list[AgendaSession]:
    """The event's agenda in order."""
    return list(session.scalars(select(AgendaSession).where(AgendaSession.event_id == event_id)
                                .order_by(AgendaSession.position)))


def payload(*, session: Session, event: Event) -> dict[str, Any]:
    """The event's full state (contracts/events/se.samla.events.event.created.v1)."""
    return {
        "id": event.id, "title": event.title, "description": event.description, "date": event.day.isoformat(),
        "starts_at": hhmm(event.starts_at), "ends_at": hhmm(event.ends_at), "timezone": TIMEZONE_NAME,
        "venue": event.venue, "capacity": event.capacity,
        "tables": {"count": event.table_count, "seats_per_table": event.seats_per_table,
                   "accessible": event.accessible_tables},
        "agenda": [{"kind": a.kind, "title": a.title, "starts_at": hhmm(a.starts_at), "ends_at": hhmm(a.ends_at),
                    "round_no": a.round_no, "method": a.method, "questions": list(a.questions or []),
                    "speaker": a.speaker} for a in agenda_of(session=session, event_id=event.id)],
        "facilitator_ids": list(event.facilitator_ids or []),
        "process": {"id": event.process_id, "name": event.process_name or ""} if event.process_id else None,
        "state": event.state, "version": event.version, "updated_at": topics.iso(event.updated_at),
    }


def _current(event: Event, field: str) -> Any:
    """The event's value of an API field, shaped as EventPatch dumps it (to tell a real change from a resend)."""
    if field == "tables":
        return {"count": event.table_count, "seats_per_table": event.seats_per_table,
                "accessible": event.accessible_tables}
    if field == "process":
        return {"id": event.process_id, "name": event.process_name or ""} if event.process_id else None
    return getattr(event, "day" if field == "date" else field)


def _apply(event: Event, values: dict[str, Any]) -> None:
    simple = {"title": "title", "description": "description", "date": "day", "starts_at": "starts_at",
              "ends_at": "ends_at", "venue": "venue", "capacity": "capacity", "facilitator_ids": "facilitator_ids"}
    for field, attr in simple.items():
        if field in values:
            setattr(event, attr, list(values[field]) if field == "facilitator_ids" else values[field])
    if "tables" in values:
        tables = values["tables"] or {}
        event.table_count = tables.get("count", 0)
        event.seats_per_table = tables.get("seats_per_table", 0)
        event.accessible_tables = tables.get("accessible", 0)
    if "process" in values:
        process = values["process"]
        event.process_id = process["id"] if process else None
        event.process_name = process["name"] if process else None


def _validate(event: Event, *, held: int) -> None:
    errors: list[dict[str, Any]] = []
    if event.starts_at >= event.ends_at:
        errors.append({"field": "ends_at", "code": "before_start", "message": "must be after starts_at"})
    if event.accessible_tables > event.table_count:
        errors.append({"field": "tables.accessible", "code": "above_tables",
                       "message": "cannot exceed the number of tables"})
    if event.table_count and event.capacity > event.table_seats:
        errors.append({"field": "capacity", "code": "above_table_seats", "limit": event.table_seats,
                       "message": f"the tables seat only {event.table_seats}"})
    if errors:
        raise DomainError("The day's details do not add up: " + "; ".join(
            f"{e['field']} {e['message']}" for e in errors), errors=errors)
    if event.capacity < held:
        raise Conflict(f"{held} people already have or are offered a seat; the capacity cannot go below {held}.",
                       errors=[{"field": "capacity", "code": "below_held", "limit": held,
                                "message": f"at least {held}"}])
