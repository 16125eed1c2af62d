"""What participants read in their mail (Swedish, as the participants read it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from samla_events.agenda.models import AgendaSession
from samla_events.chefsdag.models import Event
from samla_events.localtime import STOCKHOLM, hhmm, long_date_sv

SIGNATURE = "\n\nVälkommen!\nHR, ledarskapsprogrammet\n\nDetta mejl skickades av Samla."


def _when(event: Event) -> str:
    return f"{long_date_sv(event.day)} kl. {hhmm(event.starts_at)}–{hhmm(event.ends_at)}"


def _agenda(agenda: Sequence[AgendaSession]) -> str:
    if not agenda:
        return ""
    return "\n\nProgram:\n" + "\n".join(f"  {hhmm(a.starts_at)}–{hhmm(a.ends_at)}  {a.title}" for a in agenda)


def _moment(at: datetime) -> str:
    local = at.astimezone(STOCKHOLM)
    return f"{long_date_sv(local.date())} kl. {local:%H:%M}"


def invitation(*, event: Event, agenda: Sequence[AgendaSession], name: str, link: str) -> tuple[str, str]:
    subject = f"Inbjudan: {event.title}, {long_date_sv(event.day)}"
    body = (f"Hej {name}!\n\nDu är inbjuden till {event.title} {_when(event)} i {event.venue}.\n"
            f"{(event.description or '').strip()}{_agenda(agenda)}\n\n"
            f"Svara, ange kost- och tillgänglighetsbehov eller skicka en ersättare här:\n{link}\n\n"
            f"Kalenderfilen i bilagan lägger in dagen i din kalender.{SIGNATURE}")
    return subject, body


def deputy_invitation(*, event: Event, agenda: Sequence[AgendaSession], name: str, sent_by: str, link: str,
                      seat_held_until: datetime | None) -> tuple[str, str]:
    subject = f"Du är ersättare för {sent_by}: {event.title}"
    held = (f"\n\n{sent_by}s plats är reserverad för dig till {_moment(seat_held_until)}. "
            f"Bekräfta innan dess, annars går platsen till väntelistan." if seat_held_until else "")
    body = (f"Hej {name}!\n\n{sent_by} har skickat dig i sitt ställe till {event.title} {_when(event)} i "
            f"{event.venue}.{held}{_agenda(agenda)}\n\nSvara här:\n{link}{SIGNATURE}")
    return subject, body


def seat_offer(*, event: Event, name: str, link: str, expires_at: datetime) -> tuple[str, str]:
    subject = f"En plats har blivit ledig: {event.title}"
    body = (f"Hej {name}!\n\nEn plats har blivit ledig på {event.title} {_when(event)}, och du står först i kön.\n"
            f"Platsen är reserverad för dig till {_moment(expires_at)}. Bekräfta här:\n{link}\n\n"
            f"Svarar du inte i tid går platsen vidare till nästa person på väntelistan.{SIGNATURE}")
    return subject, body


def reminder(*, event: Event, agenda: Sequence[AgendaSession], name: str, link: str,
             registered: bool) -> tuple[str, str]:
    if registered:
        subject = f"Påminnelse: {event.title}, {long_date_sv(event.day)}"
        body = (f"Hej {name}!\n\nVälkommen till {event.title} {_when(event)} i {event.venue}.{_agenda(agenda)}\n\n"
                f"Din QR-kod för incheckning, ditt bord och programmet finns här:\n{link}{SIGNATURE}")
    else:
        subject = f"Har du svarat? {event.title}, {long_date_sv(event.day)}"
        body = (f"Hej {name}!\n\nVi har inte fått ditt svar på inbjudan till {event.title} {_when(event)}.\n"
                f"Svara här, eller skicka en ersättare:\n{link}{SIGNATURE}")
    return subject, body
