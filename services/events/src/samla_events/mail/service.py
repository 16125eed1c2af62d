"""Queueing mail inside the business transaction, and reading what was queued or caught."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samla_common.errors import NotFound
from samla_events.mail.models import CaughtMail, QueuedMail


@dataclass(frozen=True)
class Mail:
    dedup_key: str  # one mail per key, ever: "<event>:<person>:<purpose>"
    kind: str
    to_address: str
    to_name: str
    subject: str
    body: str
    ics: str | None = None
    event_id: str | None = None
    person_id: str | None = None


def enqueue(*, session: Session, mails: Sequence[Mail], now: datetime) -> int:
    """Queues the mails whose key was never queued before; returns how many were new.

    Callers hold the event's row lock, so two requests cannot queue the same key at once; the unique key is the
    backstop.
    """
    wanted = {m.dedup_key: m for m in mails}
    seen: set[str] = set()
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        seen.update(session.scalars(select(QueuedMail.dedup_key).where(QueuedMail.dedup_key.in_(chunk))))
    new = [m for key, m in wanted.items() if key not in seen]
    session.add_all(QueuedMail(dedup_key=m.dedup_key, kind=m.kind, event_id=m.event_id, person_id=m.person_id,
                               to_address=m.to_address, to_name=m.to_name, subject=m.subject, body=m.body, ics=m.ics,
                               status="pending", attempts=0, next_attempt_at=now, created_at=now)
                    for m in new)
    session.flush()
    return len(new)


def status_counts(*, session: Session, event_id: str) -> dict[str, int]:
    """Mail of one event by status (pending, sent, failed)."""
    rows = session.execute(select(QueuedMail.status, func.count()).where(QueuedMail.event_id == event_id)
                           .group_by(QueuedMail.status)).all()
    found = {status: int(n) for status, n in rows}
    return {s: found.get(s, 0) for s in ("pending", "sent", "failed")}


def failures(*, session: Session, event_id: str, limit: int = 100) -> list[QueuedMail]:
    """Mail of one event that could not be delivered, with the last error."""
    return list(session.scalars(select(QueuedMail).where(QueuedMail.event_id == event_id,
                                                         QueuedMail.status == "failed")
                                .order_by(QueuedMail.id).limit(limit)))


def caught(*, session: Session, limit: int = 100, offset: int = 0) -> list[CaughtMail]:
    """What the local mail catcher received, newest first."""
    return list(session.scalars(select(CaughtMail).order_by(CaughtMail.id.desc()).limit(limit).offset(offset)))


def caught_one(*, session: Session, mail_id: int) -> CaughtMail:
    """One caught mail."""
    mail = session.get(CaughtMail, mail_id)
    if mail is None:
        raise NotFound(f"No caught mail with id {mail_id}.")
    return mail
