"""Reading the admin's chefsdag form: Swedish messages per field, the body events expects."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from samla_gateway.errors import N_

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
FIELDS = ("title", "description", "date", "starts_at", "ends_at", "venue", "capacity", "table_count",
          "seats_per_table", "accessible_tables")


def number(values: dict[str, str], errors: dict[str, str], name: str, *, low: int, high: int, wrong: str) -> int:
    raw = values.get(name, "").strip() or "0"
    if not raw.isdigit() or not low <= int(raw) <= high:
        errors[name] = wrong
        return 0
    return int(raw)


def event_body(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The body for POST /events, and the fields that need correcting (field → catalogue id)."""
    errors: dict[str, str] = {}
    for name, missing in (("title", N_("Give the day a title.")), ("venue", N_("Say where the day is held."))):
        if not values.get(name, "").strip():
            errors[name] = missing
    try:
        date.fromisoformat(values.get("date", ""))
    except ValueError:
        errors["date"] = N_("Give the date as YYYY-MM-DD, for example 2026-11-26.")
    for name in ("starts_at", "ends_at"):
        if not TIME.match(values.get(name, "")):
            errors[name] = N_("Give the time as HH:MM, for example 08:30.")
    if "starts_at" not in errors and "ends_at" not in errors and values["ends_at"] <= values["starts_at"]:
        errors["ends_at"] = N_("The day must end after it starts.")
    capacity = number(values, errors, "capacity", low=1, high=10_000,
                      wrong=N_("Give the number of seats as a whole number from 1 to 10000."))
    tables = number(values, errors, "table_count", low=0, high=1000,
                    wrong=N_("Give the number of tables as a whole number from 0 to 1000."))
    seats = number(values, errors, "seats_per_table", low=0, high=40,
                   wrong=N_("Give the seats per table as a whole number from 0 to 40."))
    accessible = number(values, errors, "accessible_tables", low=0, high=1000,
                        wrong=N_("Give the accessible tables as a whole number from 0 to 1000."))
    if "accessible_tables" not in errors and accessible > tables:
        errors["accessible_tables"] = N_("There cannot be more accessible tables than tables.")
    body = {"title": values.get("title", "").strip(), "description": values.get("description", "").strip() or None,
            "date": values.get("date", ""), "starts_at": values.get("starts_at", ""),
            "ends_at": values.get("ends_at", ""), "venue": values.get("venue", "").strip(), "capacity": capacity,
            "tables": {"count": tables, "seats_per_table": seats, "accessible": accessible}}
    return body, errors

