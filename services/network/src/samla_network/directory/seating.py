"""Who sat with whom, from events.seating.v1: people at one table in one round have met.

Each publication of a round replaces that round (a later plan after no-shows or swaps is the truth); an older
publication arriving late never overwrites a newer one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from samla_common.messaging.consumer import HandlerRegistry
from samla_common.messaging.envelope import Envelope
from samla_network.directory.models import Seat
from samla_network.matching import pair_key

SEATING_TOPIC = "events.seating.v1"
ROUND_PUBLISHED = "se.samla.events.seating.round_published.v1"


def register_seating_handlers(registry: HandlerRegistry) -> None:
    @registry.on(ROUND_PUBLISHED)
    def _round_published(session: Session, env: Envelope) -> None:
        d = env.data
        apply_round(session=session, event_id=d["event_id"], round_no=int(d["round"]), tables=d["tables"],
                    sequence=env.sequence)


def apply_round(*, session: Session, event_id: str, round_no: int, tables: list[dict[str, Any]],
                sequence: int) -> bool:
    """Replaces a round's seats with the published tables; False when a newer publication is already applied."""
    where = (Seat.event_id == event_id, Seat.round_no == round_no)
    newest = session.execute(select(func.max(Seat.source_seq)).where(*where)).scalar_one_or_none()
    if newest is not None and sequence and newest >= sequence:
        return False
    session.execute(delete(Seat).where(*where))
    placed: set[str] = set()
    for table in tables:
        for person_id in table["person_ids"]:
            if person_id not in placed:  # the schema promises one table per person; a duplicate keeps the first
                placed.add(person_id)
                session.add(Seat(event_id=event_id, round_no=round_no, person_id=person_id,
                                 table_id=table["table_id"], source_seq=sequence))
    session.flush()
    return True


def sat_together(*, session: Session, person_ids: Iterable[str],
                 event_id: str | None = None) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(every pair of these people who shared a table at any day, the pairs who shared one at `event_id`)."""
    wanted = set(person_ids)
    tables: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for seat in session.scalars(select(Seat).where(Seat.person_id.in_(wanted))):
        tables[(seat.event_id, seat.round_no, seat.table_id)].append(seat.person_id)
    met: set[tuple[str, str]] = set()
    same_table: set[tuple[str, str]] = set()
    for (day, _, _), members in tables.items():
        pairs = {pair_key(a, b) for x, a in enumerate(members) for b in members[x + 1:]}
        met |= pairs
        if day == event_id:
            same_table |= pairs
    return met, same_table
