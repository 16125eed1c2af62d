"""Table rosters from events.seating.v1: each published round replaces that round's rosters.

The seating the events service publishes is the seating of record, so it replaces a round's rosters whoever set
them; a facilitator's later correction stands until the next publication. Scribes who keep their table stay
scribes. An older round event (a replay or a late redelivery) never overwrites a newer one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from samla_common.messaging.consumer import HandlerRegistry
from samla_common.messaging.envelope import Envelope
from samla_feedback.participants.models import TableSeat
from samla_feedback.participants.service import set_table_members

SEATING_TOPIC = "events.seating.v1"
ROUND_PUBLISHED = "se.samla.events.seating.round_published.v1"
SOURCE = "seating"


def register_seating_handlers(registry: HandlerRegistry) -> None:
    """Fills table rosters from events.seating.v1."""

    @registry.on(ROUND_PUBLISHED)
    def _round_published(session: Session, env: Envelope) -> None:
        d = env.data
        apply_round(session=session, event_id=d["event_id"], round_no=int(d["round"]), tables=d["tables"],
                    sequence=env.sequence)


def apply_round(*, session: Session, event_id: str, round_no: int, tables: list[dict[str, Any]],
                sequence: int) -> bool:
    """Replaces a round's rosters with the published tables; False when a newer publication is already applied."""
    where = (TableSeat.event_id == event_id, TableSeat.round_no == round_no)
    newest = session.execute(select(func.max(TableSeat.source_seq)).where(*where, TableSeat.source == SOURCE)
                             ).scalar_one_or_none()
    if newest is not None and newest >= sequence:
        return False
    scribes = {(s.table_id, s.person_id) for s in session.scalars(select(TableSeat).where(*where, TableSeat.scribe))}
    session.execute(delete(TableSeat).where(*where))
    for table in tables:
        members = list(dict.fromkeys(table["person_ids"]))
        scribe = next((p for p in members if (table["table_id"], p) in scribes), None)
        set_table_members(session=session, event_id=event_id, table_id=table["table_id"], round_no=round_no,
                          members=members, scribe_id=scribe, source=SOURCE, source_seq=sequence)
    return True
