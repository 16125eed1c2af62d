"""HTTP API for table rosters (`/events/{event_id}/tables`) and a participant's own context."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from samla_common.auth import CurrentPerson
from samla_common.deps import SessionDep
from samla_feedback.api import ID_PATTERN, EventId, Facilitator, FacilitatorOrService, problems
from samla_feedback.participants import service
from samla_feedback.participants.schemas import ContextOut, TableMembersIn, TableOut

router = APIRouter(prefix="/events/{event_id}", tags=["tables"])
TableId = Annotated[str, Path(min_length=1, max_length=100, pattern=ID_PATTERN, examples=["T12"])]


@router.put("/tables/{table_id}/members", response_model=TableOut, responses=problems(422),
            summary="Set who sits at a table in a round (a later seating publication replaces the round). "
                    "Roles: samla-facilitator, samla-admin, or a service.")
def put_table_members(event_id: EventId, table_id: TableId, body: TableMembersIn, session: SessionDep,
                      _: FacilitatorOrService) -> TableOut:
    service.set_table_members(session=session, event_id=event_id, table_id=table_id, round_no=body.round_no,
                              members=body.members, scribe_id=body.scribe_id)
    return TableOut(round_no=body.round_no, table_id=table_id, members=sorted(body.members),
                    scribe_id=body.scribe_id)


@router.get("/tables", response_model=list[TableOut], responses=problems(),
            summary="Every table roster of an event. Roles: samla-facilitator, samla-admin.")
def get_tables(event_id: EventId, session: SessionDep, _: Facilitator) -> list[TableOut]:
    tables: dict[tuple[int, str], TableOut] = {}
    for seat in service.rosters(session=session, event_id=event_id):
        out = tables.setdefault((seat.round_no, seat.table_id), TableOut(
            round_no=seat.round_no, table_id=seat.table_id, members=[], scribe_id=None))
        out.members.append(seat.person_id)
        if seat.scribe:
            out.scribe_id = seat.person_id
    return list(tables.values())


@router.get("/me", response_model=ContextOut, responses=problems(),
            summary="Where the signed-in person answers from: table, administration, level. Any signed-in person.")
def get_my_context(event_id: EventId, session: SessionDep, principal: CurrentPerson,
                   round_no: Annotated[int | None, Query(ge=0, le=50)] = None) -> ContextOut:
    ctx = service.context_for(session=session, event_id=event_id, person_id=principal.sub, round_no=round_no)
    return ContextOut(event_id=event_id, round_no=round_no, table_id=ctx.table_id or None, scribe=ctx.scribe,
                      administration_id=ctx.administration_id or None, level=ctx.level or None)
