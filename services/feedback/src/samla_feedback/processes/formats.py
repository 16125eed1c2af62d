"""Numbers and dates as Swedish readers and Swedish Excel expect them: 12,5 and 2026-11-26."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def sv_decimal(value: float | int | None, digits: int = 2) -> str:
    """A decimal comma and no thousands separator (so Excel in Swedish reads it as a number)."""
    if value is None:
        return ""
    return f"{value:.{digits}f}".replace(".", ",")


def sv_date(value: str | date | datetime | None) -> str:
    """ISO 8601 date; a moment becomes the date in Stockholm."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00")) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).date().isoformat()
    return value.isoformat()


def sv_datetime(value: datetime | None) -> str:
    """Stockholm time, 24-hour: 2026-11-26 09:30."""
    return "" if value is None else value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
