"""The board's change feed: which prompt, question or theme changed, in the order the changes committed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from samla_feedback.live.models import FeedChange, FeedHead

KINDS = ("prompt", "results", "question", "moderation", "theme")

# One statement takes the next number (and the head row's lock), in plain SQL both databases speak: SQLAlchemy's
# dialect INSERT ... ON CONFLICT is never cached and this runs on every answer, vote and question.
_NEXT_SEQ = text(f"""
    INSERT INTO {FeedHead.__tablename__} (event_id, seq) VALUES (:event_id, 1)
    ON CONFLICT (event_id) DO UPDATE SET seq = {FeedHead.__tablename__}.seq + 1
    RETURNING seq""")
_APPEND = insert(FeedChange)


def record(*, session: Session, event_id: str, kind: str, subject_id: str) -> int:
    """Appends a change and returns its sequence number.

    Call it last in a transaction: it locks the event's head row until commit, so the changes of one event commit
    in sequence order, and holding the lock only for the commit keeps concurrent answers from queueing long.
    """
    seq = int(session.execute(_NEXT_SEQ, {"event_id": event_id}).scalar_one())
    session.execute(_APPEND, {"event_id": event_id, "seq": seq, "kind": kind, "subject_id": subject_id,
                              "at": datetime.now(UTC)})
    return seq


def head(*, session: Session, event_id: str) -> int:
    """The newest sequence number of the event (0 before any change)."""
    value = session.execute(select(FeedHead.seq).where(FeedHead.event_id == event_id)).scalar_one_or_none()
    return int(value or 0)


def since(*, session: Session, event_id: str, cursor: int, limit: int = 500) -> list[FeedChange]:
    """Changes after `cursor`, oldest first."""
    return list(session.scalars(select(FeedChange).where(FeedChange.event_id == event_id, FeedChange.seq > cursor)
                                .order_by(FeedChange.seq).limit(limit)))
