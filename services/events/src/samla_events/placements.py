"""Which table each participant sits at in each dialogue round, for badges, table cards and "my day".

Read from the published seating plan only: a plan still being worked on is not what people are told.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from samla_events.seatingplans import service as seatingplans


def tables_by_person(*, session: Session, event_id: str) -> dict[str, dict[int, str]]:
    """person id → round number → table label ("7"); empty while no seating plan is published."""
    out: dict[str, dict[int, str]] = {}
    for round_no, tables in seatingplans.published_rounds(session=session, event_id=event_id).items():
        for table_id, members in tables.items():
            for person_id in members:
                out.setdefault(person_id, {})[round_no] = table_id
    return out
