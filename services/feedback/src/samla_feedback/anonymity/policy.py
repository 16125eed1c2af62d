"""The anonymity rules of one event: k, retention (gallring) and whether questions wait for moderation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from samla_feedback.anonymity.models import EventPolicy
from samla_feedback.config import MIN_K, get_settings
from samla_feedback.errors import invalid


@dataclass(frozen=True)
class Policy:
    event_id: str
    k: int
    retention_days: int | None
    premoderate_questions: bool


def get(*, session: Session, event_id: str) -> Policy:
    """The event's rules, or the service defaults when none were set."""
    row = session.get(EventPolicy, event_id)
    if row is None:
        return Policy(event_id=event_id, k=get_settings().default_k, retention_days=None, premoderate_questions=True)
    return Policy(event_id=event_id, k=max(row.k, MIN_K), retention_days=row.retention_days,
                  premoderate_questions=row.premoderate_questions)


def put(*, session: Session, event_id: str, k: int, retention_days: int | None,
        premoderate_questions: bool) -> Policy:
    """Sets the event's rules; k below the floor is refused."""
    if k < MIN_K:
        raise invalid("k", f"must be at least {MIN_K}")
    if retention_days is not None and retention_days < 0:
        raise invalid("retention_days", "must not be negative")
    row = session.get(EventPolicy, event_id, with_for_update=True)
    if row is None:
        row = EventPolicy(event_id=event_id)
        session.add(row)
    row.k, row.retention_days, row.premoderate_questions = k, retention_days, premoderate_questions
    row.updated_at = datetime.now(UTC)
    session.flush()
    return get(session=session, event_id=event_id)
