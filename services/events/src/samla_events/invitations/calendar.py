"""The `.ics` file every invitation carries, so the day lands in Outlook and phone calendars."""

from __future__ import annotations

from collections.abc import Sequence

import icalendar

from samla_events.agenda.models import AgendaSession
from samla_events.chefsdag.models import Event
from samla_events.localtime import hhmm, moment


def event_ics(*, event: Event, agenda: Sequence[AgendaSession], url: str) -> str:
    """One VEVENT in Stockholm time with its VTIMEZONE; UID and SEQUENCE let calendars update it in place."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Samla//Chefsdag//SV")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    vevent = icalendar.Event()
    vevent.add("uid", f"{event.id}@samla")
    vevent.add("dtstamp", event.updated_at)
    vevent.add("dtstart", moment(event.day, event.starts_at))
    vevent.add("dtend", moment(event.day, event.ends_at))
    vevent.add("summary", event.title)
    vevent.add("location", event.venue)
    vevent.add("url", url)
    vevent.add("sequence", event.version)
    lines = [event.description or "", "", *(f"{hhmm(a.starts_at)}–{hhmm(a.ends_at)} {a.title}" for a in agenda), "",
             f"Din sida för dagen: {url}"]
    vevent.add("description", "\n".join(lines).strip())
    cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical().decode()
