"""HTTP API for the participant's own day (`/me/events`): any signed-in person, about themselves only."""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Request, Response

from samla_common.auth import CurrentPerson
from samla_common.deps import SessionDep, in_own_transaction
from samla_common.errors import NotFound
from samla_events.agenda.schemas import AgendaItem
from samla_events.chefsdag.states import Action, State, allows
from samla_events.deps import CheckinKeyDep, IdentityDep, PolicyDep
from samla_events.localtime import utcnow
from samla_events.me import service
from samla_events.me.schemas import CheckInCode, DeputyOut, MyDayOut, MyEventOut, MyTable
from samla_events.registrations import service as registrations
from samla_events.registrations.schemas import DeputyIn, RegistrationIn, RegistrationOut

router = APIRouter(prefix="/me/events", tags=["my day"])
PROBLEMS: dict[int | str, dict[str, Any]] = {403: {"description": "You are not invited to this day"},
            409: {"description": "Registration is not open, or the change is not possible (problem+json)"}}


def _event_out(mine: service.MyEvent) -> MyEventOut:
    e, r = mine.event, mine.registration
    return MyEventOut(id=e.id, title=e.title, date=e.day, starts_at=e.starts_at, ends_at=e.ends_at, venue=e.venue,
                      state=e.state, status=r.status if r else None,
                      can_respond=allows(State(e.state), Action.REGISTER),
                      deputy_for=mine.invitation.deputy_for)


@router.get("", response_model=list[MyEventOut], summary="The days I am invited to. Any signed-in person.")
def my_events(session: SessionDep, principal: CurrentPerson) -> list[MyEventOut]:
    return [_event_out(m) for m in service.my_events(session=session, person_id=principal.sub)]


@router.get("/{event_id}", response_model=MyDayOut, responses={404: {"description": "Not invited"}},
            summary="My day: agenda, my answer, my check-in QR code, my table per round. Any signed-in person "
                    "(invited to the day).")
def my_day(event_id: str, session: SessionDep, key: CheckinKeyDep, policy: PolicyDep,
           principal: CurrentPerson) -> MyDayOut:
    day = service.my_day(session=session, event_id=event_id, person_id=principal.sub, key=key, policy=policy)
    reg = day.mine.registration
    return MyDayOut(event=_event_out(day.mine), description=day.mine.event.description,
                    process_name=day.mine.event.process_name,
                    agenda=[AgendaItem.model_validate(a) for a in day.agenda],
                    registration=RegistrationOut.model_validate(reg) if reg else None,
                    check_in=CheckInCode(token=day.code[0], expires_at=day.code[1]) if day.code else None,
                    tables=[MyTable(round_no=r, table=t) for r, t in sorted(day.tables.items())])


@router.get("/{event_id}/qr.svg", response_class=Response,
            responses={200: {"content": {"image/svg+xml": {}}, "description": "My check-in QR code"},
                       404: {"description": "Not invited or not registered"}},
            summary="My check-in code as an SVG QR image. Any signed-in person (registered for the day).")
def my_qr(event_id: str, session: SessionDep, key: CheckinKeyDep, policy: PolicyDep,
          principal: CurrentPerson) -> Response:
    day = service.my_day(session=session, event_id=event_id, person_id=principal.sub, key=key, policy=policy)
    if day.code is None:
        raise NotFound("You have no check-in code: register for the day first.")
    image = qrcode.make(day.code[0], image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    return Response(image.to_string(), media_type="image/svg+xml", headers={"cache-control": "no-store"})


@router.put("/{event_id}/registration", response_model=RegistrationOut, responses=PROBLEMS,
            summary="Answer the invitation: attend (a seat, or the waiting list when full, or accept the seat "
                    "offered) with dietary and accessibility needs and list consent, or decline/cancel. "
                    "Any signed-in person (invited to the day).")
async def respond(event_id: str, body: RegistrationIn, request: Request, policy: PolicyDep,
                  principal: CurrentPerson) -> RegistrationOut:
    needs = registrations.Needs(dietary=list(body.dietary), dietary_other=body.dietary_other,
                                dietary_name_to_caterer=body.dietary_name_to_caterer,
                                accessibility=body.accessibility, needs_accessible_seat=body.needs_accessible_seat,
                                consent_listed=body.consent_listed)
    # The invitation goes out to everyone at once and hundreds answer within minutes: one transaction on one
    # thread (in_own_transaction).
    return await in_own_transaction(request, lambda session: RegistrationOut.model_validate(registrations.respond(
        session=session, event_id=event_id, person_id=principal.sub, attending=body.attending,
        needs=needs if body.attending else None, now=utcnow(), policy=policy)))


@router.delete("/{event_id}/waiting-list", response_model=RegistrationOut, responses=PROBLEMS,
               summary="Leave the waiting list (or turn down the seat offered to me). "
                       "Any signed-in person (on the day's waiting list).")
def leave_waiting_list(event_id: str, session: SessionDep, policy: PolicyDep,
                       principal: CurrentPerson) -> RegistrationOut:
    return RegistrationOut.model_validate(registrations.leave_waiting_list(
        session=session, event_id=event_id, person_id=principal.sub, now=utcnow(), policy=policy))


@router.post("/{event_id}/deputy", response_model=DeputyOut, responses=PROBLEMS,
             summary="Send a deputy in my place: they are invited and take over my seat (held for them for a "
                     "while) or my queue place. Any signed-in person (invited to the day).")
def send_deputy(event_id: str, body: DeputyIn, session: SessionDep, identity: IdentityDep, policy: PolicyDep,
                principal: CurrentPerson) -> DeputyOut:
    deputy = identity.get_person(body.person_id)  # asked before the transaction starts
    if deputy is None:
        raise NotFound(f"The directory does not know {body.person_id!r}.")
    invitation = registrations.send_deputy(session=session, event_id=event_id, person_id=principal.sub,
                                           deputy=deputy, now=utcnow(), policy=policy)
    reg = registrations.get(session=session, event_id=event_id, person_id=deputy.id)
    return DeputyOut(person_id=invitation.person_id, name=invitation.name, status=reg.status if reg else None)
