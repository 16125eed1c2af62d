"""What the exports contain: who may be listed, what the caterer needs to know, what goes on each badge."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_events import placements
from samla_events.checkin import tokens
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.invitations.models import Invitation
from samla_events.policy import Policy
from samla_events.registrations.models import Registration, Status


@dataclass(frozen=True)
class Person:
    registration: Registration
    invitation: Invitation
    tables: dict[int, str]  # round number → table label; empty until a seating plan is published


@dataclass(frozen=True)
class Badge:
    name: str
    title: str | None
    org_unit_name: str | None
    token: str
    tables: dict[int, str]


@dataclass(frozen=True)
class NeedCount:
    need: str  # a tag (vegetarian, ...) or the person's own words
    count: int
    names: list[str] = field(default_factory=list)  # only of people who allowed the caterer to see their name


@dataclass(frozen=True)
class DietarySummary:
    registered: int
    without_needs: int
    tags: list[NeedCount]
    other: list[NeedCount]


def rounds(*, session: Session, event_id: str) -> list[int]:
    """The dialogue round numbers of the day's agenda."""
    return [a.round_no for a in chefsdag.agenda_of(session=session, event_id=event_id)
            if a.kind == "dialogue" and a.round_no is not None]


def registered(*, session: Session, event_id: str, listed_only: bool = False) -> tuple[Event, list[Person]]:
    """Everyone with a seat, by name; `listed_only` keeps only those who consented to the participant list."""
    event = chefsdag.get(session=session, event_id=event_id)
    stmt = (select(Registration, Invitation)
            .join(Invitation, (Invitation.event_id == Registration.event_id)
                  & (Invitation.person_id == Registration.person_id))
            .where(Registration.event_id == event_id, Registration.status == Status.REGISTERED.value)
            .order_by(Invitation.name, Registration.person_id))
    if listed_only:
        stmt = stmt.where(Registration.consent_listed.is_(True))
    seating = placements.tables_by_person(session=session, event_id=event_id)
    return event, [Person(r, i, dict(seating.get(r.person_id, {}))) for r, i in session.execute(stmt).all()]


def dietary(*, session: Session, event_id: str) -> DietarySummary:
    """Counts per need for the caterer; names only where the person allowed it."""
    _, people = registered(session=session, event_id=event_id)
    tags: Counter[str] = Counter()
    other: Counter[str] = Counter()
    names: dict[str, list[str]] = {}
    without = 0
    for p in people:
        r = p.registration
        wanted = list(r.dietary or [])
        text = (r.dietary_other or "").strip()
        if not wanted and not text:
            without += 1
        for tag in wanted:
            tags[tag] += 1
            if r.dietary_name_to_caterer:
                names.setdefault(tag, []).append(p.invitation.name)
        if text:
            other[text] += 1
            if r.dietary_name_to_caterer:
                names.setdefault(f"other:{text}", []).append(p.invitation.name)
    return DietarySummary(
        registered=len(people), without_needs=without,
        tags=[NeedCount(t, n, sorted(names.get(t, [])))
              for t, n in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0]))],
        other=[NeedCount(t, n, sorted(names.get(f"other:{t}", [])))
               for t, n in sorted(other.items(), key=lambda kv: (-kv[1], kv[0]))])


def badges(*, session: Session, event_id: str, key: bytes, policy: Policy) -> tuple[Event, list[Badge]]:
    """One badge per registered person, with their check-in code."""
    event, people = registered(session=session, event_id=event_id)
    expires = policy.token_expiry(event.day, event.ends_at)
    return event, [Badge(name=p.invitation.name, title=p.invitation.title, org_unit_name=p.invitation.org_unit_name,
                         token=tokens.sign(key=key, event_id=event.id, number=p.registration.number,
                                           expires_at=expires), tables=p.tables)
                   for p in people]


def table_labels(event: Event) -> list[tuple[str, bool]]:
    """(label, accessible) for every table; tables 1..n are the accessible ones."""
    return [(str(n), n <= event.accessible_tables) for n in range(1, event.table_count + 1)]

