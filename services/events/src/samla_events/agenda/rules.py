"""What makes an agenda valid: inside the day's hours, no overlaps, dialogue rounds numbered 1..n in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any, Protocol

from samla_events.agenda.models import KINDS


class SessionLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def starts_at(self) -> time: ...
    @property
    def ends_at(self) -> time: ...
    @property
    def round_no(self) -> int | None: ...


def problems(items: Sequence[SessionLike], *, day_starts: time, day_ends: time) -> list[dict[str, Any]]:
    """Every reason the agenda is invalid, as per-field errors (`agenda.<index>.<field>`); empty when valid."""
    errors: list[dict[str, Any]] = []

    def add(i: int, field: str, message: str) -> None:
        errors.append({"field": f"agenda.{i}.{field}", "message": message})

    for i, s in enumerate(items):
        if s.kind not in KINDS:
            add(i, "kind", f"must be one of {', '.join(KINDS)}")
        if s.starts_at >= s.ends_at:
            add(i, "ends_at", "must be after starts_at")
        if s.starts_at < day_starts or s.ends_at > day_ends:
            add(i, "starts_at", f"{s.title!r} must lie within the day ({day_starts:%H:%M}-{day_ends:%H:%M})")
        if s.kind == "dialogue" and s.round_no is None:
            add(i, "round_no", "a dialogue round needs its round number")
        if s.kind != "dialogue" and s.round_no is not None:
            add(i, "round_no", "only dialogue rounds have a round number")
    for i in range(1, len(items)):
        if items[i].starts_at < items[i - 1].ends_at:
            add(i, "starts_at", f"overlaps {items[i - 1].title!r} or comes before it (list the agenda in time order)")
    rounds = [s.round_no for s in items if s.kind == "dialogue" and s.round_no is not None]
    if rounds != list(range(1, len(rounds) + 1)):
        errors.append({"field": "agenda", "message": f"dialogue rounds must be numbered 1..{len(rounds)} in order, "
                                                     f"got {rounds}"})
    return errors
