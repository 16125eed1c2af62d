"""The day happens in Stockholm: local dates and times of a chefsdag, and their moments in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TIMEZONE_NAME = "Europe/Stockholm"

WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
             "november", "december")


def moment(day: date, at: time) -> datetime:
    """The aware moment of a local date and time in Stockholm (DST-correct)."""
    return datetime.combine(day, at, tzinfo=STOCKHOLM)


def local_date(now: datetime) -> date:
    """Which day it is in Stockholm at `now`."""
    return now.astimezone(STOCKHOLM).date()


def hhmm(at: time | datetime) -> str:
    """`08:30`; a moment is shown in Stockholm time."""
    if isinstance(at, datetime):
        at = at.astimezone(STOCKHOLM).time()
    return at.strftime("%H:%M")


def long_date_sv(day: date) -> str:
    """`torsdag 26 november 2026`."""
    return f"{WEEKDAYS_SV[day.weekday()]} {day.day} {MONTHS_SV[day.month - 1]} {day.year}"


def utcnow() -> datetime:
    return datetime.now(UTC)
