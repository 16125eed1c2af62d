"""Waiting-list rules: who is first in line, whose offer lapsed, where a moved person lands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samla_events.registrations import waitlist

NOW = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


@dataclass
class E:
    person_id: str
    status: str = "waitlisted"
    waitlist_position: int | None = None
    offer_expires_at: datetime | None = None


def test_the_queue_is_in_position_order_and_holds_only_waiting_people() -> None:
    entries = [E("c", waitlist_position=3), E("a", waitlist_position=1), E("x", status="registered"),
               E("b", waitlist_position=2), E("o", status="offered", offer_expires_at=NOW)]

    assert [e.person_id for e in waitlist.queue(entries)] == ["a", "b", "c"]


def test_free_seats_go_to_the_first_in_line() -> None:
    entries = [E(p, waitlist_position=i) for i, p in enumerate("abcde", start=1)]

    assert [e.person_id for e in waitlist.to_offer(entries, free_seats=2)] == ["a", "b"]
    assert waitlist.to_offer(entries, free_seats=0) == []
    assert waitlist.to_offer(entries, free_seats=-3) == []


def test_an_offer_lapses_at_its_deadline_not_before() -> None:
    early = E("a", status="offered", offer_expires_at=NOW + timedelta(seconds=1))
    due = E("b", status="offered", offer_expires_at=NOW)
    past = E("c", status="offered", offer_expires_at=NOW - timedelta(hours=1))
    waiting = E("d", waitlist_position=1)

    assert [e.person_id for e in waitlist.lapsed([early, due, past, waiting], now=NOW)] == ["b", "c"]


def test_moving_someone_places_them_and_keeps_everyone_else_in_order() -> None:
    assert waitlist.moved(["a", "b", "c", "d"], "d", 1) == ["d", "a", "b", "c"]
    assert waitlist.moved(["a", "b", "c", "d"], "a", 3) == ["b", "c", "a", "d"]
    assert waitlist.moved(["a", "b", "c"], "a", 99) == ["b", "c", "a"]


def test_moving_someone_not_in_the_queue_is_an_error() -> None:
    with pytest.raises(ValueError, match="not in the queue"):
        waitlist.moved(["a", "b"], "z", 1)


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=30, unique=True), st.data())
def test_a_move_only_relocates_the_moved_person(ids: list[int], data: st.DataObject) -> None:
    order = [str(i) for i in ids]
    who = data.draw(st.sampled_from(order))
    position = data.draw(st.integers(-5, len(order) + 5))

    after = waitlist.moved(order, who, position)

    assert sorted(after) == sorted(order)
    assert after.index(who) == min(max(position, 1), len(order)) - 1
    assert [p for p in after if p != who] == [p for p in order if p != who]
