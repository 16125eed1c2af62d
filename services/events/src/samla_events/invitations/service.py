"""Inviting an audience, adding single people (deputies, walk-ins), and reminders; mail goes via the queue."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import DomainError
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.chefsdag.states import Action, State
from samla_events.directory.identity import DirectoryPerson
from samla_events.invitations import texts
from samla_events.invitations.calendar import event_ics
from samla_events.invitations.models import Invitation
from samla_events.localtime import moment
from samla_events.mail import service as mail
from samla_events.policy import Policy
from samla_events.registrations.models import Registration, Status

ReminderKind = Literal["registered", "unanswered"]


@dataclass(frozen=True)
class Preview:
    reached: int
    already_invited: int
    without_email: int
    sample: list[str]


@dataclass(frozen=True)
class Invited:
    invited: int
    already_invited: int
    without_email: int
    mails_queued: int
    state: str


def search_key(name: str, email: str | None) -> str:
    """What a name search matches against: case-folded, so Å finds å on every database."""
    return f"{name} {email or ''}".casefold()[:700]


def invited_ids(*, session: Session, event_id: str) -> set[str]:
    return set(session.scalars(select(Invitation.person_id).where(Invitation.event_id == event_id)))


def get(*, session: Session, event_id: str, person_id: str) -> Invitation | None:
    """A person's invitation to an event, if any."""
    return session.scalar(select(Invitation).where(Invitation.event_id == event_id,
                                                   Invitation.person_id == person_id))


def preview(*, session: Session, event_id: str, people: Sequence[DirectoryPerson]) -> Preview:
    """How many an audience reaches, before anyone is invited."""
    chefsdag.get(session=session, event_id=event_id)
    active = [p for p in people if p.active]
    already = invited_ids(session=session, event_id=event_id)
    return Preview(reached=len(active), already_invited=sum(p.id in already for p in active),
                   without_email=sum(not p.email for p in active), sample=sorted(p.name for p in active)[:20])


def invite(*, session: Session, event_id: str, people: Sequence[DirectoryPerson], by: str, now: datetime,
           policy: Policy) -> Invited:
    """Invites everyone not yet invited, queues their mail, and (from draft) marks the invitations as sent."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.INVITE, now=now)
    active = [p for p in people if p.active]
    if not active:
        raise DomainError("The audience reaches nobody: check the org units, levels and roles.",
                          errors=[{"field": "audience", "message": "no active person matches"}])
    already = invited_ids(session=session, event_id=event.id)
    new = [p for p in active if p.id not in already]
    for person in new:
        add(session=session, event=event, person=person, source="audience", by=by, now=now)
    agenda = chefsdag.agenda_of(session=session, event_id=event.id)
    link = policy.link(event.id)
    ics = event_ics(event=event, agenda=agenda, url=link)
    mails = []
    for person in new:
        if person.email:
            subject, body = texts.invitation(event=event, agenda=agenda, name=person.name, link=link)
            mails.append(mail.Mail(dedup_key=f"{event.id}:{person.id}:invitation", kind="invitation",
                                   to_address=person.email, to_name=person.name, subject=subject, body=body, ics=ics,
                                   event_id=event.id, person_id=person.id))
    queued = mail.enqueue(session=session, mails=mails, now=now)
    if event.state == State.DRAFT.value:
        event = chefsdag.transition(session=session, event_id=event.id, target=State.INVITATIONS_SENT, now=now)
    return Invited(invited=len(new), already_invited=len(active) - len(new),
                   without_email=sum(not p.email for p in new), mails_queued=queued, state=event.state)


def add(*, session: Session, event: Event, person: DirectoryPerson, source: str, by: str, now: datetime,
        deputy_for: str | None = None) -> Invitation:
    """Records one invitation with the directory's data of the moment (no mail)."""
    invitation = Invitation(event_id=event.id, person_id=person.id, name=person.name, email=person.email,
                            title=person.title, level=person.level, org_unit_id=person.org_unit_id,
                            org_unit_name=person.org_unit_name, search_key=search_key(person.name, person.email),
                            source=source, deputy_for=deputy_for, invited_by=by, invited_at=now)
    session.add(invitation)
    session.flush()
    return invitation


def list_invitations(*, session: Session, event_id: str, query: str = "", limit: int = 100,
                     offset: int = 0) -> list[tuple[Invitation, str | None]]:
    """Invitations with each person's registration status (None while unanswered), by name."""
    chefsdag.get(session=session, event_id=event_id)
    stmt = (select(Invitation, Registration.status)
            .outerjoin(Registration, (Registration.event_id == Invitation.event_id)
                       & (Registration.person_id == Invitation.person_id))
            .where(Invitation.event_id == event_id).order_by(Invitation.name, Invitation.person_id)
            .limit(limit).offset(offset))
    if query:
        stmt = stmt.where(Invitation.search_key.contains(query.casefold(), autoescape=True))
    return [(inv, status) for inv, status in session.execute(stmt).all()]


def remind(*, session: Session, event_id: str, kind: ReminderKind, now: datetime, policy: Policy) -> tuple[int, int]:
    """Queues a reminder of `kind` to everyone it concerns who has not had one; returns (queued, skipped)."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.REMIND, now=now)
    targets = _reminder_targets(session, event.id, kind)
    agenda = chefsdag.agenda_of(session=session, event_id=event.id)
    mails = []
    for inv in targets:
        if not inv.email:
            continue
        subject, body = texts.reminder(event=event, agenda=agenda, name=inv.name, link=policy.link(event.id),
                                       registered=kind == "registered")
        mails.append(mail.Mail(dedup_key=f"{event.id}:{inv.person_id}:reminder:{kind}", kind=f"reminder_{kind}",
                               to_address=inv.email, to_name=inv.name, subject=subject, body=body,
                               event_id=event.id, person_id=inv.person_id))
    queued = mail.enqueue(session=session, mails=mails, now=now)
    return queued, len(mails) - queued


def due_for_reminder(*, session: Session, now: datetime, days_before: int) -> list[str]:
    """Open days starting within `days_before` days: their registered people get the scheduled reminder."""
    due = []
    for event in chefsdag.list_events(session=session, state=State.INVITATIONS_SENT):
        starts = moment(event.day, event.starts_at)
        if starts - timedelta(days=days_before) <= now < starts:
            due.append(event.id)
    return due


def deputy_mail(*, session: Session, event: Event, deputy: Invitation, sent_by: str, policy: Policy,
                seat_held_until: datetime | None) -> mail.Mail | None:
    """The invitation a deputy gets (with the seat's deadline when the sender had a seat)."""
    if not deputy.email:
        return None
    agenda = chefsdag.agenda_of(session=session, event_id=event.id)
    link = policy.link(event.id)
    subject, body = texts.deputy_invitation(event=event, agenda=agenda, name=deputy.name, sent_by=sent_by,
                                            link=link, seat_held_until=seat_held_until)
    return mail.Mail(dedup_key=f"{event.id}:{deputy.person_id}:invitation", kind="deputy_invitation",
                     to_address=deputy.email, to_name=deputy.name, subject=subject, body=body,
                     ics=event_ics(event=event, agenda=agenda, url=link), event_id=event.id,
                     person_id=deputy.person_id)


def _reminder_targets(session: Session, event_id: str, kind: ReminderKind) -> Iterable[Invitation]:
    reg = (Registration.event_id == Invitation.event_id) & (Registration.person_id == Invitation.person_id)
    stmt = select(Invitation).where(Invitation.event_id == event_id).order_by(Invitation.id)
    if kind == "registered":
        stmt = stmt.join(Registration, reg).where(Registration.status == Status.REGISTERED.value)
    else:
        stmt = stmt.outerjoin(Registration, reg).where(Registration.id.is_(None), Invitation.source != "walk_in")
    return session.scalars(stmt)
