"""INSERT ... ON CONFLICT for the two databases the service runs on (both speak the same clause)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def upsert(session: Session, model: Any) -> Any:
    """An INSERT for `model` that accepts `.on_conflict_do_update` / `.on_conflict_do_nothing`."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)
