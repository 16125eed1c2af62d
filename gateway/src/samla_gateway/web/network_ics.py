"""The suggested first meeting of a network as an iCalendar file (RFC 5545) for the member's own calendar.

Times are written in UTC, so no time-zone block is needed; the UID is the one the welcome mail's file uses, so a
calendar that imported the mail's file updates that entry instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

LENGTH = timedelta(hours=1)


def _text(value: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (§3.1), never inside a character."""
    out: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def first_meeting(*, group_id: str, summary: str, description: str, starts: datetime, url: str,
                  attendees: Sequence[str], now: datetime) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Samla//Natverk//SV", "METHOD:PUBLISH", "BEGIN:VEVENT",
             f"UID:network-{group_id}-first@samla", f"DTSTAMP:{_utc(now)}", f"DTSTART:{_utc(starts)}",
             f"DTEND:{_utc(starts + LENGTH)}", f"SUMMARY:{_text(summary)}",
             f"DESCRIPTION:{_text(description + ' ' + ', '.join(attendees))}", f"URL:{url}",
             "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode()
