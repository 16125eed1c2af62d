"""Applying another service's events to a local read model, newest-wins by the event's per-aggregate sequence.

Consumers may see an aggregate's events twice or (after a replay) out of order; storing the last applied
sequence per row and ignoring older ones makes the read model converge either way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session


def upsert_if_newer(session: Session, table: Table, *, key: str, sequence: int, values: dict[str, Any]) -> bool:
    """Writes `values` for row `key` unless a newer or equal sequence was already applied; returns True if written."""
    current = session.execute(select(table.c.source_seq).where(table.c.id == key)).scalar_one_or_none()
    if current is None:
        session.execute(table.insert().values(id=key, source_seq=sequence, **values))
        return True
    if sequence and current >= sequence:
        return False
    session.execute(update(table).where(table.c.id == key).values(source_seq=sequence, **values))
    return True
