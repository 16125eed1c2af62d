"""A participant's side of registration: answering, leaving the queue, sending a deputy, walking in at the door.
Each change publishes events.registration.v1.

Seats are counted and changed only under the event's row lock (`chefsdag.lock`): on PostgreSQL, concurrent
registrations for the last seat queue on that lock, and each one counts the seats after the previous one
committed, so the day is never overbooked. On SQLite the write transaction (BEGIN IMMEDIATE) does the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from samla_common.errors import Conflict, DomainError, Forbidden
from samla_events import topics
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.chefsdag.states import Action
from samla_events.directory.identity import DirectoryPerson
from samla_events.invitations import service as invitations
from samla_events.invitations.models import Invitation
from samla_events.mail import service as mail
from samla_events.policy import Policy
from samla_events.registrations import seats, steps
from samla_events.registrations.models import HOLDS_SEAT, Registration, Status
from samla_events.registrations.steps import get

__all__ = ["Needs", "get", "leave_waiting_list", "register_walk_in", "respond", "send_deputy"]


@dataclass(frozen=True)
class Needs:
    dietary: list[str] = field(default_factory=list)
    dietary_other: str | None = None
    dietary_name_to_caterer: bool = False
    accessibility: str | None = None
    needs_accessible_seat: bool = False
    consent_listed: bool = False


def respond(*, session: Session, event_id: str, person_id: str, attending: bool, needs: Needs | None,
            now: datetime, policy: Policy) -> Registration:
    """A participant's answer: yes (a seat, the waiting list, or accepting an offer) or no (frees what they held)."""
    event = chefsdag.lock(session=session, event_id=event_id)
    _invitation_of(session, event.id, person_id)  # strangers learn nothing about the day's state
    chefsdag.require(event, Action.REGISTER, now=now)
    reg = steps.get(session=session, event_id=event.id, person_id=person_id)
    if attending:
        return _attend(session, event, person_id, reg, needs, now, policy)
    return _decline(session, event, person_id, reg, now, policy)


def leave_waiting_list(*, session: Session, event_id: str, person_id: str, now: datetime,
                       policy: Policy) -> Registration:
    """The participant leaves the waiting list (or turns down the seat they were offered)."""
    event = chefsdag.lock(session=session, event_id=event_id)
    _invitation_of(session, event.id, person_id)
    chefsdag.require(event, Action.REGISTER, now=now)
    reg = steps.get(session=session, event_id=event.id, person_id=person_id)
    if reg is None or reg.status not in (Status.WAITLISTED, Status.OFFERED):
        raise Conflict("You are not on the waiting list for this day.")
    return _decline(session, event, person_id, reg, now, policy)


def send_deputy(*, session: Session, event_id: str, person_id: str, deputy: DirectoryPerson, now: datetime,
                policy: Policy) -> Invitation:
    """The invited person sends a deputy: the deputy is invited and takes over their seat or queue place."""
    event = chefsdag.lock(session=session, event_id=event_id)
    sender = _invitation_of(session, event.id, person_id)
    chefsdag.require(event, Action.REGISTER, now=now)
    if deputy.id == person_id:
        raise DomainError("You cannot be your own deputy.", errors=[{"field": "person_id", "message": "yourself"}])
    if not deputy.active:
        raise DomainError(f"{deputy.name} has left the organisation and cannot be sent.",
                          errors=[{"field": "person_id", "message": "inactive"}])
    if invitations.get(session=session, event_id=event.id, person_id=deputy.id) is not None:
        raise Conflict(f"{deputy.name} is already invited to this day.",
                       errors=[{"field": "person_id", "message": "already invited"}])
    reg = steps.get(session=session, event_id=event.id, person_id=person_id)
    if reg is not None and reg.deputy_id:
        raise Conflict(f"You have already sent {reg.deputy_id!r} in your place.")
    held = reg.status if reg is not None else None
    queue_place = reg.waitlist_position if reg is not None else None
    reg = reg or steps.new_registration(session, event.id, person_id, now, Status.DECLINED)
    steps.set_status(reg, Status.DECLINED, now, reason="deputy_sent")
    reg.deputy_id = deputy.id
    steps.publish(session, topics.DECLINED, reg, now, deputy_id=deputy.id)
    invitation = invitations.add(session=session, event=event, person=deputy, source="deputy", by=person_id, now=now,
                                 deputy_for=person_id)
    seat_held_until = None
    if held in HOLDS_SEAT:
        d = steps.new_registration(session, event.id, deputy.id, now, Status.OFFERED)
        d.deputy_for = person_id
        seat_held_until = steps.offer(session, d, now, policy)
    elif held == Status.WAITLISTED:
        d = steps.new_registration(session, event.id, deputy.id, now, Status.WAITLISTED)
        d.deputy_for = person_id
        d.waitlist_position = queue_place
        steps.publish(session, topics.WAITLISTED, d, now, position=queue_place or 1)
    deputy_mail = invitations.deputy_mail(session=session, event=event, deputy=invitation, sent_by=sender.name,
                                          policy=policy, seat_held_until=seat_held_until)
    mail.enqueue(session=session, mails=[deputy_mail] if deputy_mail else [], now=now)
    return invitation


def register_walk_in(*, session: Session, event: Event, person_id: str, existing: Registration | None,
                     now: datetime) -> Registration:
    """Registers someone at the door (the caller holds the event lock and has checked the hall has room)."""
    was_waiting = existing is not None and existing.status in (Status.WAITLISTED, Status.OFFERED)
    reg = existing or steps.new_registration(session, event.id, person_id, now, Status.REGISTERED)
    steps.set_status(reg, Status.REGISTERED, now)
    reg.walk_in = True
    steps.publish(session, topics.REGISTERED, reg, now, walk_in=True, from_waiting_list=was_waiting,
             deputy_for=reg.deputy_for)
    if was_waiting:
        steps.renumber(session, event.id)
    return reg




def _attend(session: Session, event: Event, person_id: str, reg: Registration | None, needs: Needs | None,
            now: datetime, policy: Policy) -> Registration:
    if reg is not None and reg.status == Status.OFFERED:
        if reg.offer_expires_at is not None and reg.offer_expires_at <= now:
            # Too late: the seat goes to the next in line, and this person queues again below.
            steps.set_status(reg, Status.CANCELLED, now, reason="offer_expired")
            steps.publish(session, topics.CANCELLED, reg, now, reason="offer_expired")
            steps.offer_free_seats(session=session, event=event, now=now, policy=policy)
        else:
            steps.set_status(reg, Status.REGISTERED, now)
            _apply_needs(reg, needs)
            steps.publish(session, topics.REGISTERED, reg, now, walk_in=False, from_waiting_list=reg.deputy_for is None,
                     deputy_for=reg.deputy_for)
            return reg
    if reg is not None and reg.status in (Status.REGISTERED, Status.WAITLISTED):
        _apply_needs(reg, needs)
        reg.updated_at = now
        return reg
    # Counted before the new row exists (it neither holds a seat nor queues yet), and that row is written once its
    # status is known: one INSERT, not an INSERT and then an UPDATE.
    tally = seats.tally(session=session, event_id=event.id)
    reg = reg or steps.new_registration(session, event.id, person_id, now, Status.DECLINED,  # status set below
                                        number=tally.last_number + 1)
    _apply_needs(reg, needs)
    if tally.held < event.capacity and not tally.waiting:
        steps.set_status(reg, Status.REGISTERED, now)
        steps.publish(session, topics.REGISTERED, reg, now, walk_in=False, from_waiting_list=False,
                 deputy_for=reg.deputy_for)
    else:
        position = tally.waiting + 1
        steps.set_status(reg, Status.WAITLISTED, now)
        reg.waitlist_position = position
        steps.publish(session, topics.WAITLISTED, reg, now, position=position)
    return reg


def _decline(session: Session, event: Event, person_id: str, reg: Registration | None, now: datetime,
             policy: Policy) -> Registration:
    if reg is None:
        reg = steps.new_registration(session, event.id, person_id, now, Status.DECLINED)
        steps.publish(session, topics.DECLINED, reg, now, deputy_id=None)
        return reg
    if reg.status in (Status.DECLINED, Status.CANCELLED):
        return reg  # already out: nothing changes
    reason = {Status.REGISTERED: "participant", Status.WAITLISTED: "left_waiting_list",
              Status.OFFERED: "offer_declined"}[Status(reg.status)]
    had_seat, was_queued = reg.status in HOLDS_SEAT, reg.status == Status.WAITLISTED
    steps.set_status(reg, Status.CANCELLED, now, reason=reason)
    steps.publish(session, topics.CANCELLED, reg, now, reason=reason)
    if had_seat:
        steps.offer_free_seats(session=session, event=event, now=now, policy=policy)  # renumbers what it offers
    if was_queued:
        steps.renumber(session, event.id)  # close the gap the person left
    return reg


def _apply_needs(reg: Registration, needs: Needs | None) -> None:
    if needs is None:
        return
    reg.dietary = sorted(set(needs.dietary))
    reg.dietary_other = needs.dietary_other
    reg.dietary_name_to_caterer = needs.dietary_name_to_caterer
    reg.accessibility = needs.accessibility
    reg.needs_accessible_seat = needs.needs_accessible_seat
    reg.consent_listed = needs.consent_listed


def _invitation_of(session: Session, event_id: str, person_id: str) -> Invitation:
    invitation = invitations.get(session=session, event_id=event_id, person_id=person_id)
    if invitation is None:
        raise Forbidden("You are not invited to this chefsdag.")
    return invitation
