"""HTTP API for chefsdagar (`/events`): create, read, change, and move through the states."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from samla_common.deps import SessionDep
from samla_events.access import Admin, Reader, Staff
from samla_events.chefsdag import service
from samla_events.chefsdag.models import Event
from samla_events.chefsdag.schemas import EventIn, EventOut, EventPatch, ProcessLink, Tables
from samla_events.chefsdag.states import ALLOWED, NEXT, State
from samla_events.deps import PolicyDep
from samla_events.localtime import TIMEZONE_NAME, utcnow
from samla_events.registrations import waiting_list

router = APIRouter(prefix="/events", tags=["events"])
CONFLICT: dict[int | str, dict[str, Any]] = {409: {"description": "The day's state does not allow this (problem+json)"}}


def to_out(event: Event) -> EventOut:
    state = State(event.state)
    return EventOut(
        id=event.id, title=event.title, description=event.description, date=event.day, starts_at=event.starts_at,
        ends_at=event.ends_at, timezone=TIMEZONE_NAME, venue=event.venue, capacity=event.capacity,
        tables=Tables(count=event.table_count, seats_per_table=event.seats_per_table,
                      accessible=event.accessible_tables),
        facilitator_ids=list(event.facilitator_ids or []),
        process=ProcessLink(id=event.process_id, name=event.process_name or "") if event.process_id else None,
        state=state.value, version=event.version, allowed_actions=sorted(a.value for a in ALLOWED[state]),
        next_states=[s.value for s in NEXT[state]], created_at=event.created_at, updated_at=event.updated_at)


@router.post("", response_model=EventOut, status_code=201,
             summary="Create a chefsdag (as a draft). Roles: samla-admin.")
def create_event(body: EventIn, session: SessionDep, principal: Admin) -> EventOut:
    return to_out(service.create(session=session, data=body, by=principal.sub, now=utcnow()))


@router.get("", response_model=list[EventOut],
            summary="List chefsdagar. Roles: samla-admin, samla-facilitator, samla-leadership.")
def list_events(session: SessionDep, _: Reader, state: Annotated[State | None, Query()] = None) -> list[EventOut]:
    return [to_out(e) for e in service.list_events(session=session, state=state)]


@router.get("/{event_id}", response_model=EventOut,
            summary="One chefsdag. Roles: samla-admin, samla-facilitator, samla-leadership.")
def get_event(event_id: str, session: SessionDep, _: Reader) -> EventOut:
    return to_out(service.get(session=session, event_id=event_id))


@router.patch("/{event_id}", response_model=EventOut, responses=CONFLICT,
              summary="Change a chefsdag's details (only the fields sent). Roles: samla-admin.")
def patch_event(event_id: str, body: EventPatch, session: SessionDep, policy: PolicyDep, _: Admin) -> EventOut:
    now = utcnow()
    event = service.update(session=session, event_id=event_id, changes=body, now=now)
    # More seats may have been added: offer them to the waiting list at once.
    waiting_list.offer_free_seats(session=session, event=event, now=now, policy=policy)
    return to_out(event)


@router.post("/{event_id}/start", response_model=EventOut, responses=CONFLICT,
             summary="Start the day (invitations_sent → ongoing): check-in opens. "
                     "Roles: samla-admin, samla-facilitator.")
def start_event(event_id: str, session: SessionDep, _: Staff) -> EventOut:
    return to_out(service.transition(session=session, event_id=event_id, target=State.ONGOING, now=utcnow()))


@router.post("/{event_id}/close", response_model=EventOut, responses=CONFLICT,
             summary="Close the day (ongoing → closed): check-in ends. Roles: samla-admin, samla-facilitator.")
def close_event(event_id: str, session: SessionDep, _: Staff) -> EventOut:
    return to_out(service.transition(session=session, event_id=event_id, target=State.CLOSED, now=utcnow()))


@router.post("/{event_id}/archive", response_model=EventOut, responses=CONFLICT,
             summary="Archive a closed day (closed → archived): read-only from then on. Roles: samla-admin.")
def archive_event(event_id: str, session: SessionDep, _: Admin) -> EventOut:
    return to_out(service.transition(session=session, event_id=event_id, target=State.ARCHIVED, now=utcnow()))
