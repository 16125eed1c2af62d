"""The per-process lookup of who sits where: built once per publication, bounded, rebuilt when republished."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from samla_events import placements
from samla_events.seatingplans import service as seatingplans

PUBLISHED = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Published plans by event id (stand-ins for the seating plan rows), and the reads of their rounds."""
    state: dict[str, Any] = {"markers": {}, "rounds": {}, "reads": []}
    monkeypatch.setattr(placements, "_kept", {})
    monkeypatch.setattr(seatingplans, "published_marker",
                        lambda *, session, event_id: state["markers"].get(event_id))

    def rounds(*, session: Any, event_id: str) -> dict[int, dict[str, list[str]]]:
        state["reads"].append(event_id)
        return state["rounds"][event_id]

    monkeypatch.setattr(seatingplans, "published_rounds", rounds)
    return state


def publish(plans: dict[str, Any], event_id: str, version: int, rounds: dict[int, dict[str, list[str]]]) -> None:
    plans["markers"][event_id] = (version, PUBLISHED)
    plans["rounds"][event_id] = rounds


def test_a_day_is_read_once_per_publication(plans: dict[str, Any]) -> None:
    publish(plans, "day", 1, {1: {"7": ["p-1", "p-2"]}, 2: {"3": ["p-1"], "4": ["p-2"]}})

    first = [placements.tables_of(session=None, event_id="day", person_id=p) for p in ("p-1", "p-2", "p-9")]
    publish(plans, "day", 2, {1: {"8": ["p-1", "p-2"]}, 2: {"3": ["p-1"], "4": ["p-2"]}})
    moved = placements.tables_of(session=None, event_id="day", person_id="p-1")

    assert first == [{1: "7", 2: "3"}, {1: "7", 2: "4"}, {}]
    assert moved == {1: "8", 2: "3"}
    assert plans["reads"] == ["day", "day"]
    assert placements.tables_by_person(session=None, event_id="unpublished") == {}


def test_a_process_keeps_a_bounded_number_of_days_and_lets_the_oldest_go(plans: dict[str, Any]) -> None:
    days = [f"day-{i}" for i in range(placements.KEPT_DAYS + 2)]
    for day in days:
        publish(plans, day, 1, {1: {"1": [f"p-{day}"]}})
        placements.tables_by_person(session=None, event_id=day)

    assert list(placements._kept) == days[2:]
    placements.tables_by_person(session=None, event_id=days[0])  # let go: read again
    placements.tables_by_person(session=None, event_id=days[-1])  # kept: not read
    assert plans["reads"] == [*days, days[0]]
