"""HTTP API for the admin's view of registrations and the waiting list (`/events/{id}/...`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from samla_common.deps import SessionDep
from samla_events.access import Admin, Staff
from samla_events.deps import PolicyDep
from samla_events.invitations.models import Invitation
from samla_events.localtime import utcnow
from samla_events.registrations import seats, waiting_list
from samla_events.registrations.models import Registration, Status
from samla_events.registrations.schemas import (
    ExpiredOffers,
    MoveIn,
    ParticipantOut,
    RegistrationOut,
    WaitingEntry,
    WaitingListOut,
)

router = APIRouter(prefix="/events/{event_id}", tags=["registrations"])
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "The day's state or the seats do not allow this (problem+json)"}}


def participant(reg: Registration, inv: Invitation) -> ParticipantOut:
    return ParticipantOut.model_validate({**RegistrationOut.model_validate(reg).model_dump(), "number": reg.number,
                                          "name": inv.name, "email": inv.email, "title": inv.title,
                                          "org_unit_name": inv.org_unit_name})


def _queue_out(session: SessionDep, event_id: str) -> WaitingListOut:
    event, offers, queue = waiting_list.waiting(session=session, event_id=event_id)

    def entry(r: Registration, inv: Invitation) -> WaitingEntry:
        return WaitingEntry(person_id=r.person_id, name=inv.name, org_unit_name=inv.org_unit_name, status=r.status,
                            position=r.waitlist_position, offer_expires_at=r.offer_expires_at, since=r.responded_at)

    held = seats.held(session=session, event_id=event_id)
    return WaitingListOut(capacity=event.capacity, seats_held=held, free=max(0, event.capacity - held),
                          offers=[entry(r, i) for r, i in offers], queue=[entry(r, i) for r, i in queue])


@router.get("/registrations", response_model=list[ParticipantOut],
            summary="Registrations with names and needs; filter by status. Roles: samla-admin, samla-facilitator.")
def list_registrations(event_id: str, session: SessionDep, _: Staff,
                       status: Annotated[Status | None, Query()] = None) -> list[ParticipantOut]:
    return [participant(r, i) for r, i in waiting_list.list_registrations(session=session, event_id=event_id,
                                                                      status=status)]


@router.get("/waiting-list", response_model=WaitingListOut,
            summary="The waiting list: open seat offers and the queue in order. Roles: samla-admin.")
def get_waiting_list(event_id: str, session: SessionDep, _: Admin) -> WaitingListOut:
    return _queue_out(session, event_id)


@router.post("/waiting-list/{person_id}/promote", response_model=RegistrationOut, responses=CONFLICT,
             summary="Give a waiting person a seat now (may exceed the capacity up to the seats at the tables). "
                     "Roles: samla-admin.")
def promote(event_id: str, person_id: str, session: SessionDep, _: Admin) -> RegistrationOut:
    return RegistrationOut.model_validate(waiting_list.promote(session=session, event_id=event_id, person_id=person_id,
                                                         now=utcnow()))


@router.post("/waiting-list/{person_id}/move", response_model=WaitingListOut, responses=CONFLICT,
             summary="Move a waiting person to another place in the queue. Roles: samla-admin.")
def move(event_id: str, person_id: str, body: MoveIn, session: SessionDep, _: Admin) -> WaitingListOut:
    waiting_list.move(session=session, event_id=event_id, person_id=person_id, position=body.position, now=utcnow())
    return _queue_out(session, event_id)


@router.delete("/waiting-list/{person_id}", response_model=RegistrationOut, responses=CONFLICT,
               summary="Take a person off the waiting list (an open offer passes to the next). Roles: samla-admin.")
def remove(event_id: str, person_id: str, session: SessionDep, policy: PolicyDep, _: Admin) -> RegistrationOut:
    return RegistrationOut.model_validate(waiting_list.remove(session=session, event_id=event_id, person_id=person_id,
                                                        now=utcnow(), policy=policy))


@router.post("/waiting-list/expire-offers", response_model=ExpiredOffers, responses=CONFLICT,
             summary="Pass on seat offers whose time ran out now (a background job also does this). "
                     "Roles: samla-admin.")
def expire_offers(event_id: str, session: SessionDep, policy: PolicyDep, _: Admin) -> ExpiredOffers:
    return ExpiredOffers(lapsed=waiting_list.expire_offers(session=session, event_id=event_id, now=utcnow(),
                                                      policy=policy))
