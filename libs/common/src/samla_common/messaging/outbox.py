"""The transactional outbox: a change and its event are written in one transaction (DESIGN §3)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from opentelemetry import propagate
from sqlalchemy import JSON, DateTime, Integer, String, bindparam, column, func, insert, select, table
from sqlalchemy.orm import Session

from samla_contracts.schemas import validate_event

# A lightweight handle on the table each service's migrations create (samla_common.db.define_platform_tables).
outbox_table = table(
    "outbox",
    column("id", Integer),
    column("event_id", String),
    column("topic", String),
    column("key", String),
    column("seq", Integer),
    column("type", String),
    column("source", String),
    column("time", DateTime(timezone=True)),
    column("data", JSON),
    column("traceparent", String),
    column("tracestate", String),
    column("created_at", DateTime(timezone=True)),
    column("sent_at", DateTime(timezone=True)),
    column("attempts", Integer),
    column("last_error", String),
)


# Built once: statements with bound parameters reuse SQLAlchemy's compiled cache (this is on every write path).
_NEXT_SEQ = (select(func.coalesce(func.max(outbox_table.c.seq), 0))
             .where(outbox_table.c.topic == bindparam("topic"), outbox_table.c.key == bindparam("key")))
_INSERT = insert(outbox_table)
# Set in a session's info when it wrote outbox rows: its commit wakes the relay (Relay.watch).
OUTBOX_WRITTEN = "samla.outbox_written"
# PostgreSQL: writers of one aggregate take turns until their transactions end (two-int4 advisory locks are a space
# of their own, apart from the relay's single-bigint lock).
_AGGREGATE_TURN = select(func.pg_advisory_xact_lock(func.hashtext(bindparam("topic")), func.hashtext(bindparam("key"))))


@dataclass(frozen=True)
class EventWriter:
    """Writes events of one service (its CloudEvents `source`) into the outbox of the caller's transaction."""

    source: str

    def add(self, session: Session, *, topic: str, type: str, key: str, data: dict[str, Any],
            subject: str | None = None) -> str:
        """Adds one event to the outbox in `session`'s transaction; returns the event id."""
        validate_event(type, data)
        now = datetime.now(UTC)
        # Per-aggregate sequence. Without a turn, two transactions racing on the same aggregate would both read
        # the same max and the second insert would fail on uq_outbox_key_seq: a 500 for, say, the second of two
        # answers to one prompt. SQLite has one writer at a time already.
        if session.get_bind().dialect.name == "postgresql":
            session.execute(_AGGREGATE_TURN, {"topic": topic, "key": key})
        seq = session.execute(_NEXT_SEQ, {"topic": topic, "key": key}).scalar_one() + 1
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        event_id = str(uuid.uuid4())
        session.info[OUTBOX_WRITTEN] = True
        session.execute(_INSERT, {
            "event_id": event_id, "topic": topic, "key": key, "seq": seq, "type": type, "source": self.source,
            "time": now, "data": data, "traceparent": carrier.get("traceparent"),
            "tracestate": carrier.get("tracestate"), "created_at": now, "attempts": 0,
        })
        return event_id
