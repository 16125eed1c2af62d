"""Checking people in at the doors: scanned codes, name search, walk-ins, undo, and offline queues replayed.

A person is checked in once: the registration row carries the check-in, and every operation runs under the
event row lock (like every writer of events.registration.v1), so two doors scanning the same person at the same
moment cannot both check them in. Each door operation is journalled with the device's own id, so a queue
uploaded twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, DomainError, NotFound
from samla_events import topics
from samla_events.checkin import tokens
from samla_events.checkin.models import CheckInOp
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.chefsdag.states import Action
from samla_events.directory.identity import DirectoryPerson
from samla_events.invitations import service as invitations
from samla_events.invitations.models import Invitation
from samla_events.registrations import service as registrations
from samla_events.registrations.models import Registration, Status

Method = Literal["qr", "manual", "walk_in", "offline"]
Outcome = Literal["checked_in", "already_checked_in", "undone", "not_checked_in", "duplicate", "rejected"]


@dataclass(frozen=True)
class Arrival:
    registration: Registration
    invitation: Invitation
    already: bool  # was checked in before this operation


@dataclass(frozen=True)
class OfflineOp:
    client_id: str
    action: Literal["check_in", "undo"]
    occurred_at: datetime
    token: str | None = None
    person_id: str | None = None
    entrance: str | None = None


@dataclass(frozen=True)
class OpResult:
    client_id: str
    outcome: Outcome
    person_id: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Counts:
    registered: int
    checked_in: int
    walk_ins: int
    by_entrance: dict[str | None, int]


def check_in(*, session: Session, event_id: str, key: bytes, by: str, now: datetime, token: str | None = None,
             person_id: str | None = None, entrance: str | None = None, client_id: str | None = None) -> Arrival:
    """Checks a registered person in by scanned code or by id (manual search); a second check-in changes nothing."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.CHECK_IN, now=now)
    method: Method = "qr" if token else "manual"
    if client_id and _seen(session, event.id, [client_id]):
        reg, inv = _resolve(session, event, key, token, person_id, now)
        return Arrival(reg, inv, already=True)
    reg, inv = _resolve(session, event, key, token, person_id, now)
    already = not _arrive(session, reg, entrance=entrance, at=now, by=by, method=method, now=now)
    _journal(session, event.id, client_id, reg.person_id, "check_in", method, entrance,
             "already_checked_in" if already else "checked_in", now, now, by)
    return Arrival(reg, inv, already=already)


def walk_in(*, session: Session, event_id: str, person: DirectoryPerson, by: str, now: datetime,
            entrance: str | None = None) -> Arrival:
    """Registers someone at the door and checks them in, while the hall has a free seat for them."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.CHECK_IN, now=now)
    inv = invitations.get(session=session, event_id=event.id, person_id=person.id)
    if inv is None:
        inv = invitations.add(session=session, event=event, person=person, source="walk_in", by=by, now=now)
    reg = registrations.get(session=session, event_id=event.id, person_id=person.id)
    if reg is None or reg.status != Status.REGISTERED:
        limit = event.table_seats or event.capacity
        present = _checked_in_count(session, event.id)
        if present >= limit:
            raise Conflict(f"The hall is full: {present} people have checked in for {limit} seats.")
        reg = registrations.register_walk_in(session=session, event=event, person_id=person.id, existing=reg, now=now)
    already = not _arrive(session, reg, entrance=entrance, at=now, by=by, method="walk_in", now=now)
    _journal(session, event.id, None, reg.person_id, "check_in", "walk_in", entrance,
             "already_checked_in" if already else "checked_in", now, now, by)
    return Arrival(reg, inv, already=already)


def undo(*, session: Session, event_id: str, person_id: str, by: str, now: datetime) -> Arrival:
    """Undoes a check-in made by mistake; `already` in the answer tells whether they had been checked in."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.CHECK_IN, now=now)
    reg = registrations.get(session=session, event_id=event.id, person_id=person_id)
    if reg is None or reg.checked_in_at is None:
        raise Conflict(f"{person_id!r} is not checked in.")
    inv = invitations.get(session=session, event_id=event.id, person_id=person_id)
    if inv is None:
        raise NotFound(f"{person_id!r} is not invited to this day.")
    _leave(session, reg, now)
    _journal(session, event.id, None, person_id, "undo", "manual", None, "undone", now, now, by)
    return Arrival(reg, inv, already=False)


def replay(*, session: Session, event_id: str, key: bytes, ops: Sequence[OfflineOp], by: str,
           now: datetime) -> list[OpResult]:
    """Applies a door's offline queue in the order things happened; replays and double scans count once."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.CHECK_IN, now=now)
    seen = _seen(session, event.id, [op.client_id for op in ops])
    results: dict[str, OpResult] = {}
    for op in sorted(ops, key=lambda o: (o.occurred_at, o.client_id)):
        if op.client_id in seen:
            results[op.client_id] = OpResult(op.client_id, "duplicate")
            continue
        seen.add(op.client_id)
        at = min(op.occurred_at, now)  # a device clock running ahead does not check people in the future
        try:
            reg, _ = _resolve(session, event, key, op.token, op.person_id, now)
        except DomainError as refused:
            _journal(session, event.id, op.client_id, op.person_id, op.action, "offline", op.entrance, "rejected",
                     at, now, by)
            results[op.client_id] = OpResult(op.client_id, "rejected", op.person_id, refused.detail)
            continue
        outcome: Outcome
        if op.action == "undo":
            outcome = "undone" if reg.checked_in_at is not None else "not_checked_in"
            if outcome == "undone":
                _leave(session, reg, now)
        else:
            arrived = _arrive(session, reg, entrance=op.entrance, at=at, by=by, method="offline", now=now)
            outcome = "checked_in" if arrived else "already_checked_in"
        _journal(session, event.id, op.client_id, reg.person_id, op.action, "offline", op.entrance, outcome, at, now,
                 by)
        results[op.client_id] = OpResult(op.client_id, outcome, reg.person_id)
    return [results[op.client_id] for op in ops]


def attendees(*, session: Session, event_id: str, query: str = "", status: Status | None = Status.REGISTERED,
              limit: int = 50) -> list[tuple[Registration, Invitation]]:
    """People of the day matching a name or e-mail search (for the door's manual check-in)."""
    chefsdag.get(session=session, event_id=event_id)
    stmt = (select(Registration, Invitation)
            .join(Invitation, (Invitation.event_id == Registration.event_id)
                  & (Invitation.person_id == Registration.person_id))
            .where(Registration.event_id == event_id).order_by(Invitation.name, Registration.person_id).limit(limit))
    if status is not None:
        stmt = stmt.where(Registration.status == status.value)
    if query:
        stmt = stmt.where(Invitation.search_key.contains(query.casefold(), autoescape=True))
    return [(r, i) for r, i in session.execute(stmt).all()]


def counts(*, session: Session, event_id: str) -> Counts:
    """Live counts for the doors and the stage."""
    chefsdag.get(session=session, event_id=event_id)
    registered = session.scalar(select(func.count()).where(Registration.event_id == event_id,
                                                           Registration.status == Status.REGISTERED.value)) or 0
    by_entrance = {entrance: int(n) for entrance, n in session.execute(
        select(Registration.checked_in_entrance, func.count())
        .where(Registration.event_id == event_id, Registration.checked_in_at.is_not(None))
        .group_by(Registration.checked_in_entrance)).all()}
    walk_ins = session.scalar(select(func.count()).where(Registration.event_id == event_id, Registration.walk_in,
                                                         Registration.checked_in_at.is_not(None))) or 0
    return Counts(registered=int(registered), checked_in=sum(by_entrance.values()), walk_ins=int(walk_ins),
                  by_entrance=by_entrance)


def attendance(*, session: Session, event_id: str) -> list[str]:
    """Who has checked in, in check-in order."""
    chefsdag.get(session=session, event_id=event_id)
    return list(session.scalars(select(Registration.person_id)
                                .where(Registration.event_id == event_id, Registration.checked_in_at.is_not(None))
                                .order_by(Registration.checked_in_at, Registration.number)))


def _resolve(session: Session, event: Event, key: bytes, token: str | None, person_id: str | None,
             now: datetime) -> tuple[Registration, Invitation]:
    if token:
        number = tokens.verify(key=key, token=token, event_id=event.id, now=now)
        reg = session.scalar(select(Registration).where(Registration.event_id == event.id,
                                                        Registration.number == number))
        if reg is None:
            raise NotFound("Nobody of this day has this check-in code.")
    elif person_id:
        reg = registrations.get(session=session, event_id=event.id, person_id=person_id)
        if reg is None:
            raise NotFound(f"{person_id!r} has not registered for this day; register them as a walk-in.")
    else:
        raise DomainError("Give the scanned code or the person's id.",
                          errors=[{"field": "token", "message": "token or person_id is required"}])
    inv = invitations.get(session=session, event_id=event.id, person_id=reg.person_id)
    if inv is None:
        raise NotFound(f"{reg.person_id!r} is not invited to this day.")
    if reg.status != Status.REGISTERED:
        raise Conflict(f"{inv.name} is not registered (status: {reg.status}); register them as a walk-in if "
                       f"there is room.", errors=[{"field": "status", "message": reg.status}])
    return reg, inv


def _arrive(session: Session, reg: Registration, *, entrance: str | None, at: datetime, by: str, method: Method,
            now: datetime) -> bool:
    """Marks the person arrived unless they already are; returns True when this call checked them in."""
    if reg.checked_in_at is not None:
        return False
    reg.checked_in_at, reg.checked_in_entrance, reg.checked_in_by, reg.updated_at = at, entrance, by, now
    session.flush()
    topics.writer.add(session, topic=topics.REGISTRATION_TOPIC, type=topics.CHECKED_IN, key=reg.event_id,
                      data={"event_id": reg.event_id, "person_id": reg.person_id, "occurred_at": topics.iso(now),
                            "entrance": entrance, "method": method, "checked_in_at": topics.iso(at)})
    return True


def _leave(session: Session, reg: Registration, now: datetime) -> None:
    reg.checked_in_at = reg.checked_in_entrance = reg.checked_in_by = None
    reg.updated_at = now
    session.flush()
    topics.writer.add(session, topic=topics.REGISTRATION_TOPIC, type=topics.CHECK_IN_UNDONE, key=reg.event_id,
                      data={"event_id": reg.event_id, "person_id": reg.person_id, "occurred_at": topics.iso(now)})


def _seen(session: Session, event_id: str, client_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    ids = list(dict.fromkeys(client_ids))
    for start in range(0, len(ids), 500):
        found.update(session.scalars(select(CheckInOp.client_id).where(
            CheckInOp.event_id == event_id, CheckInOp.client_id.in_(ids[start:start + 500]))))
    return found


def _checked_in_count(session: Session, event_id: str) -> int:
    return int(session.scalar(select(func.count()).where(Registration.event_id == event_id,
                                                         Registration.checked_in_at.is_not(None))) or 0)


def _journal(session: Session, event_id: str, client_id: str | None, person_id: str | None, action: str, method: str,
             entrance: str | None, outcome: str, occurred_at: datetime, now: datetime, by: str) -> None:
    session.add(CheckInOp(event_id=event_id, client_id=client_id, person_id=person_id, action=action, method=method,
                          entrance=entrance, outcome=outcome, occurred_at=occurred_at, recorded_at=now,
                          recorded_by=by))
    session.flush()
