"""Table rosters and a participant's context (table, administration, level) when they answer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from samla_feedback.errors import invalid
from samla_feedback.participants.directory import person_placement
from samla_feedback.participants.models import WHOLE_DAY, TableSeat


@dataclass(frozen=True)
class Context:
    table_id: str
    table_round: int | None
    scribe: bool
    administration_id: str
    level: str


def set_table_members(*, session: Session, event_id: str, table_id: str, round_no: int, members: list[str],
                      scribe_id: str | None = None, source: str = "manual", source_seq: int = 0) -> list[TableSeat]:
    """Replaces who sits at a table in a round; people listed leave any other table of that round."""
    if len(set(members)) != len(members):
        raise invalid("members", "lists someone twice")
    if scribe_id is not None and scribe_id not in members:
        raise invalid("scribe_id", "must be one of the members")
    session.execute(delete(TableSeat).where(
        TableSeat.event_id == event_id, TableSeat.round_no == round_no,
        or_(TableSeat.table_id == table_id, TableSeat.person_id.in_(members))))
    seats = [TableSeat(event_id=event_id, round_no=round_no, person_id=p, table_id=table_id,
                       scribe=(p == scribe_id), source=source, source_seq=source_seq) for p in members]
    session.add_all(seats)
    session.flush()
    return seats


def rosters(*, session: Session, event_id: str) -> list[TableSeat]:
    """Every seat of an event, by round and table."""
    return list(session.scalars(select(TableSeat).where(TableSeat.event_id == event_id)
                                .order_by(TableSeat.round_no, TableSeat.table_id, TableSeat.person_id)))


def seat_of(*, session: Session, event_id: str, person_id: str, round_no: int | None) -> TableSeat | None:
    """The person's seat in the round, or their whole-day seat when the round has none for them."""
    rounds = [WHOLE_DAY] if not round_no else [round_no, WHOLE_DAY]
    seats = {s.round_no: s for s in session.scalars(select(TableSeat).where(
        TableSeat.event_id == event_id, TableSeat.person_id == person_id, TableSeat.round_no.in_(rounds)))}
    return next((seats[r] for r in rounds if r in seats), None)


def table_size(*, session: Session, event_id: str, round_no: int, table_id: str) -> int:
    return int(session.execute(select(func.count()).select_from(TableSeat).where(
        TableSeat.event_id == event_id, TableSeat.round_no == round_no, TableSeat.table_id == table_id))
        .scalar_one())


def has_scribe(*, session: Session, event_id: str, round_no: int, table_id: str) -> bool:
    return session.execute(select(TableSeat.person_id).where(
        TableSeat.event_id == event_id, TableSeat.round_no == round_no, TableSeat.table_id == table_id,
        TableSeat.scribe.is_(True)).limit(1)).first() is not None


def is_attendee(*, session: Session, event_id: str, person_id: str) -> bool:
    """Seated at some table of the event (the attendance list until events.registration.v1 is consumed)."""
    return session.execute(select(TableSeat.person_id).where(
        TableSeat.event_id == event_id, TableSeat.person_id == person_id).limit(1)).first() is not None


def context_for(*, session: Session, event_id: str, person_id: str, round_no: int | None) -> Context:
    """Where a person answers from: their table in the round and their place in the organisation."""
    seat = seat_of(session=session, event_id=event_id, person_id=person_id, round_no=round_no)
    administration, level = person_placement(session=session, person_id=person_id)
    return Context(table_id=seat.table_id if seat else "", table_round=seat.round_no if seat else None,
                   scribe=bool(seat and seat.scribe), administration_id=administration, level=level)
