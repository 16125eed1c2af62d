"""HTTP API for a day's agenda (`/events/{id}/agenda`)."""

from __future__ import annotations

from fastapi import APIRouter

from samla_common.deps import SessionDep
from samla_events.access import Reader, Staff
from samla_events.agenda import service
from samla_events.agenda.schemas import Agenda, AgendaItem
from samla_events.localtime import utcnow

router = APIRouter(prefix="/events/{event_id}/agenda", tags=["agenda"])


@router.get("", response_model=Agenda,
            summary="The day's agenda. Roles: samla-admin, samla-facilitator, samla-leadership.")
def get_agenda(event_id: str, session: SessionDep, _: Reader) -> Agenda:
    return Agenda(items=[AgendaItem.model_validate(s) for s in service.get(session=session, event_id=event_id)])


@router.put("", response_model=Agenda, responses={409: {"description": "The day has ended (problem+json)"}},
            summary="Replace the whole agenda: opening, dialogue rounds (method, questions), Q&A, breaks. "
                    "Roles: samla-admin, samla-facilitator.")
def put_agenda(event_id: str, body: Agenda, session: SessionDep, _: Staff) -> Agenda:
    items = service.replace(session=session, event_id=event_id, items=body.items, now=utcnow())
    return Agenda(items=[AgendaItem.model_validate(s) for s in items])
