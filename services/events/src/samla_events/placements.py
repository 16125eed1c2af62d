"""Which table each participant sits at in each dialogue round, for badges, table cards and "my day".

Read from the published seating plan only: a plan still being worked on is not what people are told.

Every phone opens "my day" when a round's tables are published: hundreds of reads of the same plan within
seconds. Each process keeps the lookup it built per day and checks one small row (`published_marker`) per read,
so a read costs one query instead of parsing the whole plan; a new publication is seen on the next read, by every
process.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from samla_events.seatingplans import service as seatingplans

ByPerson = Mapping[str, Mapping[int, str]]  # person id → round number → table label ("7")
KEPT_DAYS = 16  # days whose lookups a process keeps (a day in progress, a few being planned)

_kept: dict[str, tuple[tuple[int, datetime], ByPerson]] = {}  # event id → (marker, lookup), oldest build first
_writing = threading.Lock()  # sync endpoints build from worker threads


def tables_by_person(*, session: Session, event_id: str) -> ByPerson:
    """Every participant's tables; empty while no seating plan is published. Shared: read it, do not change it."""
    marker = seatingplans.published_marker(session=session, event_id=event_id)
    if marker is None:
        return {}
    kept = _kept.get(event_id)
    if kept is not None and kept[0] == marker:
        return kept[1]
    built = _build(seatingplans.published_rounds(session=session, event_id=event_id))
    with _writing:
        _kept.pop(event_id, None)  # a rebuilt day goes to the end: the oldest build is let go first
        _kept[event_id] = (marker, built)
        while len(_kept) > KEPT_DAYS:
            del _kept[next(iter(_kept))]
    return built


def tables_of(*, session: Session, event_id: str, person_id: str) -> dict[int, str]:
    """One participant's tables: round number → table label (empty when not seated or nothing is published)."""
    return dict(tables_by_person(session=session, event_id=event_id).get(person_id, {}))


def _build(rounds: Mapping[int, Mapping[str, list[str]]]) -> dict[str, dict[int, str]]:
    out: dict[str, dict[int, str]] = {}
    for round_no, tables in rounds.items():
        for table_id, members in tables.items():
            for person_id in members:
                out.setdefault(person_id, {})[round_no] = table_id
    return out
