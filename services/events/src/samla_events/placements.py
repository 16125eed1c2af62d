"""Which table each participant sits at in each dialogue round, for badges, table cards and "my day".

The seating feature (`samla_events.seating`) plans the rounds but stores no plan yet. Until it does, nobody has
a table: badges and lists print an empty table column and "my day" shows no tables. This is the one place the
stored plan will be read from.
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def tables_by_person(*, session: Session, event_id: str) -> dict[str, dict[int, str]]:
    """person id → round number → table label ("7"); empty while no seating plan is stored."""
    del session, event_id
    return {}
