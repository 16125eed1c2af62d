"""Reading the admin's chefsdag form: Swedish messages per field, the body events expects."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from samla_gateway.errors import N_

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
FIELDS = ("title", "description", "date", "starts_at", "ends_at", "venue", "capacity", "table_count",
          "seats_per_table", "accessible_tables")
EDIT_FIELDS = (*FIELDS, "process_id", "process_name")


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



def values_of(event: dict[str, Any]) -> dict[str, str]:
    """The edit form filled in with the day as events describes it."""
    tables, process = event.get("tables") or {}, event.get("process") or {}
    return {"title": event["title"], "description": event.get("description") or "", "date": event["date"],
            "starts_at": event["starts_at"], "ends_at": event["ends_at"], "venue": event["venue"],
            "capacity": str(event["capacity"]), "table_count": str(tables.get("count", 0)),
            "seats_per_table": str(tables.get("seats_per_table", 0)),
            "accessible_tables": str(tables.get("accessible", 0)), "process_id": process.get("id", ""),
            "process_name": process.get("name", "")}


def patch_body(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The body for PATCH /events/{id}: every detail of the form (events tells a real change from a resend)."""
    body, errors = event_body(values)
    process_id, process_name = values.get("process_id", "").strip(), values.get("process_name", "").strip()
    if process_id and not process_name:
        errors["process_name"] = N_("Give the process a name, or empty both process fields to remove the link.")
    elif process_name and not process_id:
        errors["process_id"] = N_("Give the process's id, or empty both process fields to remove the link.")
    body["process"] = {"id": process_id, "name": process_name} if process_id and process_name else None
    return body, errors


# What events refuses (its error's field and code) → the form field and what the admin reads there.
REFUSALS: dict[tuple[str, str], tuple[str, str]] = {
    ("date", "locked"): ("date", N_("The day has started, so its date can no longer change. To hold it another "
                                    "day, close this one and create a new chefsdag.")),
    ("capacity", "below_held"): ("capacity", N_("%(n)s people already have or are offered a seat: give at least "
                                                "%(n)s seats.")),
    ("capacity", "above_table_seats"): ("capacity", N_("The tables seat only %(n)s people: give at most %(n)s "
                                                       "seats, or add tables.")),
    ("tables.accessible", "above_tables"): ("accessible_tables",
                                            N_("There cannot be more accessible tables than tables.")),
    ("ends_at", "before_start"): ("ends_at", N_("The day must end after it starts.")),
    ("state", "edit_not_allowed"): ("", N_("The day has ended, so its details can no longer change.")),
}
AGENDA_MISFIT = N_("The new hours leave part of the agenda outside the day. Change the agenda first, or choose "
                   "hours that hold it.")


def refusals(problem: Any, gettext: Any) -> tuple[dict[str, str], str]:
    """Events' refusal as Swedish (or English) messages per form field, and one for the whole form."""
    errors: dict[str, str] = {}
    general = ""
    items = problem.get("errors") if isinstance(problem, dict) else None
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        field, code = str(item.get("field", "")), str(item.get("code", ""))
        if field.startswith("agenda"):
            errors["starts_at"] = gettext(AGENDA_MISFIT)
        elif (field, code) in REFUSALS:
            target, text = REFUSALS[(field, code)]
            message = gettext(text) % {"n": item.get("limit", "")} if "%(n)s" in text else gettext(text)
            if target:
                errors[target] = message
            else:
                general = message
    return errors, general
