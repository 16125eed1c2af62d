"""Validates event data against the JSON Schemas in contracts/events (copied here by `make gen`)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator


class UnknownEventType(LookupError):
    """An event type with no schema in contracts/events."""


@cache
def _validator(event_type: str) -> Draft202012Validator:
    path = resources.files("samla_contracts") / "data" / "events" / f"{event_type}.schema.json"
    if not path.is_file():
        raise UnknownEventType(f"no schema for event type {event_type}; add contracts/events/{event_type}.schema.json")
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def validate_event(event_type: str, data: dict[str, Any]) -> None:
    """Raises jsonschema.ValidationError when `data` does not match the type's schema."""
    _validator(event_type).validate(data)


def known_event_types() -> list[str]:
    folder = resources.files("samla_contracts") / "data" / "events"
    return sorted(p.name.removesuffix(".schema.json") for p in folder.iterdir() if p.name.endswith(".schema.json"))
