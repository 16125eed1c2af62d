"""The board's change feed: which prompt, question or theme changed, in the order the changes committed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from samla_feedback.live.models import FeedChange, FeedHead
from samla_feedback.sql import upsert

KINDS = ("prompt", "results", "question", "moderation", "theme")


def record(*, session: Session, event_id: str, kind: str, subject_id: str) -> int:
    """Appends a change and returns its sequence number.

    Call it last in a transaction: it locks the event's head row until commit, so the changes of one event commit
    in sequence order, and holding the lock only for the commit keeps concurrent answers from queueing long.
    """
    session.execute(upsert(session, FeedHead).values(event_id=event_id, seq=0)
                    .on_conflict_do_nothing(index_elements=["event_id"]))
    seq = int(session.execute(update(FeedHead).where(FeedHead.event_id == event_id)
                              .values(seq=FeedHead.seq + 1).returning(FeedHead.seq)).scalar_one())
    session.add(FeedChange(event_id=event_id, seq=seq, kind=kind, subject_id=subject_id, at=datetime.now(UTC)))
    session.flush()
    return seq


def head(*, session: Session, event_id: str) -> int:
    """The newest sequence number of the event (0 before any change)."""
    value = session.execute(select(FeedHead.seq).where(FeedHead.event_id == event_id)).scalar_one_or_none()
    return int(value or 0)


def since(*, session: Session, event_id: str, cursor: int, limit: int = 500) -> list[FeedChange]:
    """Changes after `cursor`, oldest first."""
    return list(session.scalars(select(FeedChange).where(FeedChange.event_id == event_id, FeedChange.seq > cursor)
                                .order_by(FeedChange.seq).limit(limit)))
