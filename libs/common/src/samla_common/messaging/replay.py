"""Republishes outbox rows from a point in time (recovery after a broker loss; consumers drop duplicates)."""

from __future__ import annotations

from datetime import datetime

from kafka import KafkaProducer
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from samla_common.messaging.outbox import outbox_table as ob
from samla_common.messaging.relay import outbox_record


def replay(*, session_factory: sessionmaker[Session], producer: KafkaProducer, since: datetime,
           until: datetime | None = None, topic: str | None = None, batch: int = 1000) -> int:
    """Publishes every already-sent row written in [since, until) again, in outbox order; returns the count."""
    count = 0
    last_id = 0
    while True:
        query = select(ob).where(ob.c.id > last_id, ob.c.sent_at.is_not(None), ob.c.time >= since)
        if until is not None:
            query = query.where(ob.c.time < until)
        if topic:
            query = query.where(ob.c.topic == topic)
        with session_factory() as session:
            rows = session.execute(query.order_by(ob.c.id).limit(batch)).mappings().all()
        if not rows:
            return count
        futures = [producer.send(row["topic"], **outbox_record(row)) for row in rows]
        producer.flush(timeout=30)
        for fut in futures:
            fut.get(timeout=30)  # any failure aborts the replay loudly; rerunning it is harmless
        count += len(rows)
        last_id = rows[-1]["id"]
