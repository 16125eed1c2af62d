"""HTTP API for the doors (`/events/{id}/check-in`, `/events/{id}/attendees`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from samla_common.deps import SessionDep, in_own_transaction
from samla_common.errors import NotFound
from samla_events.access import Reader, Staff
from samla_events.checkin import service
from samla_events.checkin.schemas import (
    ArrivalOut,
    AttendeeOut,
    BatchIn,
    BatchOut,
    CheckInIn,
    CountsOut,
    EntranceCount,
    OpResultOut,
    WalkInIn,
)
from samla_events.deps import CheckinKeyDep, IdentityDep
from samla_events.localtime import utcnow
from samla_events.registrations.models import Status

router = APIRouter(prefix="/events/{event_id}", tags=["check-in"])
PROBLEMS: dict[int | str, dict[str, Any]] = {
    409: {"description": "Check-in is closed, the person is not registered, or the hall is full"},
    422: {"description": "The code is forged, expired or for another day (problem+json; errors[0].message "
                                 "is forged, expired or other_event)"}}


def arrival_out(a: service.Arrival) -> ArrivalOut:
    r, i = a.registration, a.invitation
    return ArrivalOut(person_id=r.person_id, number=r.number, name=i.name, title=i.title,
                      org_unit_name=i.org_unit_name, checked_in_at=r.checked_in_at, entrance=r.checked_in_entrance,
                      already_checked_in=a.already, walk_in=r.walk_in, needs_accessible_seat=r.needs_accessible_seat,
                      accessibility=r.accessibility)


@router.get("/attendees", response_model=list[AttendeeOut],
            summary="Find people of the day by name or e-mail (manual check-in). "
                    "Roles: samla-admin, samla-facilitator.")
def find_attendees(event_id: str, session: SessionDep, _: Staff, q: Annotated[str, Query(max_length=200)] = "",
                   status: Annotated[Status | None, Query()] = Status.REGISTERED,
                   limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[AttendeeOut]:
    return [AttendeeOut(person_id=r.person_id, number=r.number, name=i.name, title=i.title,
                        org_unit_name=i.org_unit_name, status=r.status, checked_in_at=r.checked_in_at,
                        entrance=r.checked_in_entrance, walk_in=r.walk_in,
                        needs_accessible_seat=r.needs_accessible_seat)
            for r, i in service.attendees(session=session, event_id=event_id, query=q, status=status, limit=limit)]


@router.post("/check-in", response_model=ArrivalOut, responses=PROBLEMS,
             summary="Check a person in by scanned QR code or by id; checking in twice changes nothing. "
                     "Roles: samla-admin, samla-facilitator.")
async def check_in(event_id: str, body: CheckInIn, request: Request, key: CheckinKeyDep,
                   principal: Staff) -> ArrivalOut:
    # Hundreds of scans at the doors within minutes: one transaction on one thread (in_own_transaction).
    return await in_own_transaction(request, lambda session: arrival_out(service.check_in(
        session=session, event_id=event_id, key=key, by=principal.sub, now=utcnow(), token=body.token,
        person_id=body.person_id, entrance=body.entrance, client_id=body.client_id)))


@router.post("/check-in/walk-in", response_model=ArrivalOut, responses=PROBLEMS,
             summary="Register someone at the door and check them in (while the hall has a seat). "
                     "Roles: samla-admin, samla-facilitator.")
def walk_in(event_id: str, body: WalkInIn, session: SessionDep, identity: IdentityDep, principal: Staff) -> ArrivalOut:
    person = identity.get_person(body.person_id)  # asked before the transaction starts
    if person is None:
        raise NotFound(f"The directory does not know {body.person_id!r}.")
    return arrival_out(service.walk_in(session=session, event_id=event_id, person=person, by=principal.sub,
                                       now=utcnow(), entrance=body.entrance))


@router.post("/check-in/batch", response_model=BatchOut, responses=PROBLEMS,
             summary="Upload a door's offline queue: applied in the order things happened, each operation once "
                     "(by client_id), each person checked in once. Roles: samla-admin, samla-facilitator.")
def replay_batch(event_id: str, body: BatchIn, session: SessionDep, key: CheckinKeyDep, principal: Staff) -> BatchOut:
    ops = [service.OfflineOp(client_id=i.client_id, action=i.action, occurred_at=i.occurred_at, token=i.token,
                             person_id=i.person_id, entrance=i.entrance) for i in body.items]
    results = service.replay(session=session, event_id=event_id, key=key, ops=ops, by=principal.sub, now=utcnow())
    counts = service.counts(session=session, event_id=event_id)
    return BatchOut(results=[OpResultOut(client_id=r.client_id, outcome=r.outcome, person_id=r.person_id,
                                         detail=r.detail) for r in results], checked_in=counts.checked_in)


@router.post("/check-in/{person_id}/undo", response_model=ArrivalOut, responses=PROBLEMS,
             summary="Undo a check-in made by mistake. Roles: samla-admin, samla-facilitator.")
def undo_check_in(event_id: str, person_id: str, session: SessionDep, principal: Staff) -> ArrivalOut:
    return arrival_out(service.undo(session=session, event_id=event_id, person_id=person_id, by=principal.sub,
                                    now=utcnow()))


@router.get("/check-in/counts", response_model=CountsOut,
            summary="Live counts: registered, checked in, per entrance. "
                    "Roles: samla-admin, samla-facilitator, samla-leadership.")
def check_in_counts(event_id: str, session: SessionDep, _: Reader) -> CountsOut:
    c = service.counts(session=session, event_id=event_id)
    return CountsOut(registered=c.registered, checked_in=c.checked_in,
                     not_arrived=max(0, c.registered - c.checked_in), walk_ins=c.walk_ins,
                     by_entrance=[EntranceCount(entrance=e, checked_in=n) for e, n in
                                  sorted(c.by_entrance.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))])
