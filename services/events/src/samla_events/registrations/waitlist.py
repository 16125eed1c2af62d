"""The waiting list's rules, without I/O: who is next, whose offer has lapsed, where a moved person ends up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar


class Entry(Protocol):
    @property
    def person_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def waitlist_position(self) -> int | None: ...
    @property
    def offer_expires_at(self) -> datetime | None: ...


E = TypeVar("E", bound=Entry)


def queue(entries: Iterable[E]) -> list[E]:
    """The people waiting, first in line first (ties, which renumbering prevents, by person id)."""
    waiting = [e for e in entries if e.status == "waitlisted"]
    return sorted(waiting, key=lambda e: (e.waitlist_position if e.waitlist_position is not None else 1 << 30,
                                          e.person_id))


def to_offer(entries: Iterable[E], *, free_seats: int) -> list[E]:
    """Who gets the free seats: the first `free_seats` in line."""
    return queue(entries)[:max(0, free_seats)]


def lapsed(entries: Iterable[E], *, now: datetime) -> list[E]:
    """Open offers whose time ran out at or before `now`."""
    return [e for e in entries
            if e.status == "offered" and e.offer_expires_at is not None and e.offer_expires_at <= now]


def moved(order: Sequence[str], person_id: str, position: int) -> list[str]:
    """The queue after moving `person_id` to `position` (1-based, clamped to the queue)."""
    rest = [p for p in order if p != person_id]
    if len(rest) == len(order):
        raise ValueError(f"{person_id} is not in the queue")
    at = min(max(position, 1), len(order)) - 1
    return [*rest[:at], person_id, *rest[at:]]
