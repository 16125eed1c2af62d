"""The mail a new network member gets: who is in the group, a first-meeting suggestion and an .ics file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

STOCKHOLM = ZoneInfo("Europe/Stockholm")
MEETING_START = time(8, 30)
MEETING_LENGTH = timedelta(hours=1)
TUESDAY = 1


def first_meeting(*, published: datetime, after_days: int) -> datetime:
    """A suggested first meeting: the first Tuesday at 08:30 (Stockholm) at least `after_days` after publishing.

    Tuesday morning because it is the slot managers' calendars most often have free, away from Monday planning.
    """
    day: date = published.astimezone(STOCKHOLM).date() + timedelta(days=after_days)
    day += timedelta(days=(TUESDAY - day.weekday()) % 7)
    return datetime.combine(day, MEETING_START, tzinfo=STOCKHOLM)


def meeting_ics(*, group_id: str, group_name: str, starts: datetime, attendees: Sequence[str], url: str,
                stamp: datetime) -> str:
    """One VEVENT for the suggested first meeting; the UID lets a calendar update it in place."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Samla//Natverk//SV")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"network-{group_id}-first@samla")
    event.add("dtstamp", stamp)
    event.add("dtstart", starts)
    event.add("dtend", starts + MEETING_LENGTH)
    event.add("summary", f"Första träffen: {group_name}")
    event.add("url", url)
    event.add("description", "Förslag på första träff för ditt ledarnätverk. Deltagare: " + ", ".join(attendees)
              + f"\n\nDin sida: {url}")
    cal.add_component(event)
    cal.add_missing_timezones()
    return str(cal.to_ical().decode())


def welcome(*, name: str, group_name: str, others: Sequence[str], starts: datetime, url: str,
            explanation: str) -> tuple[str, str]:
    """(subject, plain-text body) of the welcome mail, in Swedish."""
    when = starts.astimezone(STOCKHOLM).strftime("%Y-%m-%d kl. %H:%M")
    lines = [f"Hej {name}!", "", f"Du är med i ledarnätverket {group_name}.", "",
             "De andra i nätverket:", *(f"- {o}" for o in others), ""]
    if explanation:
        lines += [f"Varför just ni: {explanation}.", ""]
    lines += [f"Förslag på första träff: {when} (en timme). Kalenderfilen är bifogad; flytta tiden om den "
              "inte passar er.", "", f"Se nätverket och vad de andra delar om sig själva: {url}", "",
              "Vill du inte vara med? Du kan lämna nätverket på samma sida.", "", "Hälsningar, Samla"]
    return f"Ditt ledarnätverk: {group_name}", "\n".join(lines)
