"""The "new matching run" form: its fields, their defaults, and the run the network service is asked to create,
with a message at each field a person got wrong (catalogue ids, translated where shown)."""

from __future__ import annotations

from typing import Any

from samla_gateway.errors import N_

WEIGHTS = {"mix_administrations": (N_("Mix administrations"), "1"), "mix_levels": (N_("Mix manager levels"), "0.5"),
           "shared_challenges": (N_("Shared challenges"), "1"),
           "history": (N_("People who have not met before"), "2"), "same_location": (N_("Same location"), "0.5")}
POPULATIONS = {"event": N_("The attendees of a chefsdag"), "org_unit": N_("An administration or unit"),
               "everyone": N_("Every manager")}
DEFAULTS = {"name": "", "kind": "groups", "population": "event", "event_id": "", "checked_in_only": "true",
            "org_unit_id": "", "min_size": "4", "max_size": "6", "max_per_administration": "2",
            "time_budget_seconds": "10", "history_mode": "avoid", "mentor_emails": ""} | {
    f"w_{key}": default for key, (_, default) in WEIGHTS.items()}
FIELDS = tuple(DEFAULTS)
MAX_BUDGET = 120


def _int(values: dict[str, str], name: str, low: int, high: int, errors: dict[str, str], message: str) -> int:
    try:
        number = int(values[name].strip())
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        errors[name] = message
    return number


def _weight(values: dict[str, str], name: str, errors: dict[str, str]) -> float:
    try:
        number = float(values[name].strip().replace(",", "."))
    except ValueError:
        number = -1.0
    if not 0 <= number <= 10:
        errors[name] = N_("Give a weight from 0 (does not matter) to 10.")
    return number


def _population(values: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    kind = values["population"]
    if kind == "event":
        if not values["event_id"]:
            errors["event_id"] = N_("Choose the chefsdag whose attendees are matched.")
        return {"kind": "event", "event_id": values["event_id"], "checked_in_only": values["checked_in_only"] == "true"}
    if kind == "org_unit":
        if not values["org_unit_id"]:
            errors["org_unit_id"] = N_("Choose the administration or unit whose managers are matched.")
        return {"kind": "org_unit", "org_unit_id": values["org_unit_id"]}
    if kind != "everyone":
        errors["population"] = N_("Choose who is matched.")
    return {"kind": "everyone"}


def run_body(values: dict[str, str], mentor_ids: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """(the run to create, errors by field); `mentor_ids` are the mentors' ids found from their addresses."""
    errors: dict[str, str] = {}
    name = values["name"].strip()
    if not name:
        errors["name"] = N_("Give the run a name, e.g. \"Chefsdagen 2026: nätverk\".")
    kind = values["kind"] if values["kind"] in ("groups", "mentors") else "groups"
    population = _population(values, errors)
    low = _int(values, "min_size", 2, 20, errors, N_("The smallest group size is a whole number from 2 to 20."))
    high = _int(values, "max_size", 2, 20, errors, N_("The largest group size is a whole number from 2 to 20."))
    if "min_size" not in errors and "max_size" not in errors and low > high:
        errors["max_size"] = N_("The largest group size must be at least the smallest.")
    cap = _int(values, "max_per_administration", 1, 20, errors,
               N_("Give the most people from one administration per group as a whole number from 1 to 20."))
    budget = _int(values, "time_budget_seconds", 1, MAX_BUDGET, errors,
                  N_("Give the time in whole seconds, from 1 to 120."))
    weights: dict[str, Any] = {key: _weight(values, f"w_{key}", errors) for key in WEIGHTS}
    weights["history_mode"] = "keep_table" if values["history_mode"] == "keep_table" else "avoid"
    if kind == "mentors" and not mentor_ids and "mentor_emails" not in errors:
        errors["mentor_emails"] = N_("Give the e-mail address of at least one mentor, one per line.")
    parameters = {"min_size": 2 if kind == "mentors" else low, "max_size": 2 if kind == "mentors" else high,
                  "max_per_administration": cap, "time_budget_seconds": budget, "weights": weights,
                  "mentor_ids": mentor_ids}
    return {"name": name[:200], "kind": kind, "population": population, "parameters": parameters}, errors


def mentor_addresses(values: dict[str, str]) -> list[str]:
    """The addresses typed in the mentor field, one per line (commas and spaces also separate)."""
    raw = values["mentor_emails"].replace(",", "\n").split()
    return [a.strip().lower() for a in raw if a.strip()]
