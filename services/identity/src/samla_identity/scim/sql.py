"""Case-insensitive equality in SQL that agrees with Python's str.lower on both databases.

PostgreSQL's lower() folds Unicode (UTF-8 locales). SQLite's built-in lower() folds ASCII only, which is right
for an ASCII value (no other character lowers to ASCII but the rare Kelvin sign) and fast; a value with other
letters is compared with `scim_lower`, Python's str.lower registered on the connection, which is slower.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import Session


def _lower(value: str | None) -> str | None:
    return None if value is None else value.lower()


def folded_equals(session: Session, column: Any, value: str) -> Any:
    """`lower(column) = lower(value)` with Python's folding rules."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or value.isascii():
        return func.lower(column) == value.lower()
    raw = connection.connection.driver_connection
    if raw is not None:
        raw.create_function("scim_lower", 1, _lower, deterministic=True)
    return func.scim_lower(column) == value.lower()
