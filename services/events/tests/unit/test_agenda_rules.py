"""Agenda rules: within the day, in order without overlaps, dialogue rounds numbered 1..n."""

from __future__ import annotations

from datetime import time

from samla_events.agenda.rules import problems
from samla_events.agenda.schemas import AgendaItem


def item(kind: str, start: str, end: str, round_no: int | None = None) -> AgendaItem:
    return AgendaItem.model_validate({"kind": kind, "title": f"{kind} {start}", "starts_at": start, "ends_at": end,
                                      "round_no": round_no})


DAY = {"day_starts": time(8, 30), "day_ends": time(16, 0)}


def test_a_good_agenda_has_no_problems() -> None:
    agenda = [item("opening", "08:30", "09:00"), item("dialogue", "09:00", "09:45", 1), item("break", "09:45", "10:15"),
              item("dialogue", "10:15", "11:00", 2), item("qa", "15:15", "16:00")]

    assert problems(agenda, **DAY) == []


def test_overlaps_times_outside_the_day_and_bad_round_numbers_are_all_reported() -> None:
    agenda = [item("opening", "08:00", "09:00"), item("dialogue", "08:50", "09:45", 2),
              item("break", "09:45", "10:15", 3), item("dialogue", "10:15", "10:00")]

    fields = {e["field"] for e in problems(agenda, **DAY)}

    assert {"agenda.0.starts_at", "agenda.1.starts_at", "agenda.2.round_no", "agenda.3.round_no",
            "agenda.3.ends_at", "agenda"} <= fields
