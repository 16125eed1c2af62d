"""The outbox relay: publishes pending outbox rows in order and marks them sent.

Order. Rows are read in `id` order. Per aggregate that is also `seq` order: a row with seq n+1 can only be
written after the transaction holding seq n committed (it read max(seq) = n), so its id was allocated later.
Rows of different aggregates may commit out of id order; that is harmless because we never use a high-water
mark: every unsent row stays pending until it is published, whenever it becomes visible.

Failure. A row is marked sent only after the broker acknowledged it. A relay killed between the two publishes
the row again on restart; consumers drop the duplicate by event id (inbox). If a send fails, nothing after it
in the batch is marked, and the next pass starts again from the first unsent row, after a backoff.

Without an idempotent producer (the local broker does not support it, DESIGN §6) a send that fails after its
retries may leave later records of the same batch already written; they are published again after the failed
one. Consumers therefore see at-least-once delivery and, in that rare case, an older event after a newer one:
the inbox drops exact duplicates and read models apply an event only when its `sequence` is newer.

One relay per database: on PostgreSQL a session advisory lock elects the relay, so scaled-out replicas do not
publish the same aggregate concurrently (which could reorder it).
"""

from __future__ import annotations

import logging
import threading
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from kafka import KafkaProducer
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from sqlalchemy import Connection, delete, event, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from samla_common import metrics
from samla_common.messaging.envelope import Envelope, encode
from samla_common.messaging.outbox import OUTBOX_WRITTEN
from samla_common.messaging.outbox import outbox_table as ob

log = logging.getLogger(__name__)
MAX_IDLE_WAIT = 0.5
WOKEN_BATCH_SECONDS = 0.05  # a woken relay lets a burst's commits gather this long before its next pass
tracer = trace.get_tracer("samla.relay")


class Relay:
    """Moves outbox rows to Kafka. `run()` loops until `stop` is set; `publish_pending()` is one pass."""

    def __init__(self, *, service: str, session_factory: sessionmaker[Session],
                 producer_factory: Callable[[], KafkaProducer], batch_size: int = 500,
                 poll_seconds: float = 0.05, retention: timedelta = timedelta(days=30),
                 send_timeout: float = 10.0, prepare: Callable[[], Any] | None = None) -> None:
        self.service = service
        # Run before each new producer (after any failure): creates this service's topics as topics.yaml says, so
        # a broker that lost them (a restart of the embedded one) has them again before anything is published.
        self.prepare = prepare
        self.session_factory = session_factory
        self.producer_factory = producer_factory
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.retention = retention
        self.send_timeout = send_timeout
        self._producer: KafkaProducer | None = None
        self._wake = threading.Event()
        self._lock_conn: Connection | None = None
        self.connected = False

    def wake(self) -> None:
        """Asks the loop to look for new rows now instead of after its poll interval."""
        self._wake.set()

    def watch(self, session_factory: sessionmaker[Session]) -> None:
        """Wakes the relay whenever a session of `session_factory` that wrote outbox rows commits, so an idle relay
        can poll slowly and still publish at once."""

        def after_commit(session: Session) -> None:
            if session.info.pop(OUTBOX_WRITTEN, False):
                self._wake.set()

        event.listen(session_factory, "after_commit", after_commit)

    def run(self, stop: threading.Event) -> None:
        backoff = 0.2
        last_prune = 0.0
        idle_wait = self.poll_seconds
        while not stop.is_set():
            try:
                started = time.monotonic()
                published = self.publish_pending()
                backoff = 0.2
                if time.monotonic() - last_prune > 3600:
                    self.prune()
                    last_prune = time.monotonic()
                if published == 0:
                    # Idle passes cost every service CPU (measured: a fifth of a core for four idle relays at
                    # 20 passes/s), so the wait grows while nothing comes; commits here wake it (watch), and
                    # rows written by another replica wait at most MAX_IDLE_WAIT.
                    woken = self._wake.wait(idle_wait)
                    self._wake.clear()
                    idle_wait = self.poll_seconds if woken else min(idle_wait * 2, MAX_IDLE_WAIT)
                    if woken:
                        # At most one pass per batch window, so a burst's commits are published in batches
                        # rather than one pass (and one write transaction) per commit.
                        window = min(self.poll_seconds, WOKEN_BATCH_SECONDS)
                        stop.wait(max(0.0, window - (time.monotonic() - started)))
                else:
                    idle_wait = self.poll_seconds
            except Exception as exc:
                self.connected = False
                self._close_producer()
                log.warning("relay cannot publish, retrying in %.1fs: %s", backoff, exc)
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
        self._close_producer()
        self._release_lock()

    def publish_pending(self) -> int:
        """Publishes one batch of pending rows in order; returns how many were marked sent.

        No database transaction is held while talking to the broker: rows are read in one short transaction
        and marked sent in another, so request handlers are never blocked behind a slow broker.
        """
        if not self._hold_relay_lock():
            return 0
        with self.session_factory() as session:
            rows = session.execute(
                select(ob).where(ob.c.sent_at.is_(None)).order_by(ob.c.id).limit(self.batch_size)
            ).mappings().all()
            backlog, oldest = (session.execute(select(func.count(), func.min(ob.c.created_at))
                                               .where(ob.c.sent_at.is_(None))).one() if rows else (0, None))
            session.commit()
        # Set before publishing: while the broker is away every pass fails below, and the alert must still see
        # the rows waiting (and for how long) instead of the last value a successful pass left.
        metrics.OUTBOX_BACKLOG.labels(self.service).set(backlog)
        metrics.OUTBOX_OLDEST_PENDING.labels(self.service).set(_age_seconds(oldest))
        if not rows:
            return 0
        sent_ids = self._send_in_order(self._get_producer(), list(rows))
        if sent_ids:
            with self.session_factory() as session:
                session.execute(update(ob).where(ob.c.id.in_(sent_ids)).values(sent_at=datetime.now(UTC)))
                backlog = session.execute(select(func.count()).where(ob.c.sent_at.is_(None))).scalar_one()
                session.commit()
            metrics.OUTBOX_BACKLOG.labels(self.service).set(backlog)
            if not backlog:
                metrics.OUTBOX_OLDEST_PENDING.labels(self.service).set(0)
            metrics.RELAY_PUBLISHED.labels(self.service).inc(len(sent_ids))
        if len(sent_ids) < len(rows):
            raise RuntimeError(f"{len(rows) - len(sent_ids)} outbox rows not acknowledged by the broker")
        return len(sent_ids)

    def _hold_relay_lock(self) -> bool:
        """On PostgreSQL, holds a session advisory lock on a dedicated connection: one relay publishes at a time."""
        engine = self.session_factory.kw.get("bind")
        if engine is None or engine.dialect.name != "postgresql":
            return True
        if self._lock_conn is not None:
            try:
                self._lock_conn.exec_driver_sql("SELECT 1")
                return True
            except Exception:
                self._release_lock()
        conn = engine.connect()
        lock_id = zlib.crc32(f"samla-relay-{self.service}".encode())
        if conn.execute(select(func.pg_try_advisory_lock(lock_id))).scalar():
            conn.commit()
            self._lock_conn = conn
            return True
        conn.close()
        return False  # another replica is the relay; this one stands by

    def _release_lock(self) -> None:
        if self._lock_conn is not None:
            try:
                self._lock_conn.close()
            except Exception:
                log.debug("closing the relay lock connection failed", exc_info=True)
            self._lock_conn = None

    def _send_in_order(self, producer: KafkaProducer, rows: list[Any]) -> list[int]:
        futures = []
        for row in rows:
            futures.append((row["id"], producer.send(row["topic"], **outbox_record(row))))
        producer.flush(timeout=self.send_timeout)
        sent: list[int] = []
        for row_id, fut in futures:
            try:
                fut.get(timeout=self.send_timeout)
            except Exception as exc:
                log.warning("broker refused outbox row %s: %s", row_id, exc)
                break  # keep order: nothing after a failed row counts as sent
            sent.append(row_id)
        self.connected = True
        return sent

    def prune(self) -> int:
        """Deletes sent rows older than the retention period (kept until then for replay)."""
        cutoff = datetime.now(UTC) - self.retention
        with self.session_factory() as session:
            result = session.execute(delete(ob).where(ob.c.sent_at.is_not(None), ob.c.sent_at < cutoff))
            n = getattr(result, "rowcount", 0)
            session.commit()
        return int(n or 0)

    def _get_producer(self) -> KafkaProducer:
        if self._producer is None:
            if self.prepare is not None:
                self.prepare()
            self._producer = self.producer_factory()
        return self._producer

    def _close_producer(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=1)
            except Exception:
                log.debug("producer close failed", exc_info=True)
            self._producer = None


def _age_seconds(created_at: datetime | None) -> float:
    if created_at is None:
        return 0.0
    if created_at.tzinfo is None:  # SQLite hands back naive datetimes; every stored time is UTC
        created_at = created_at.replace(tzinfo=UTC)
    return max(0.0, (datetime.now(UTC) - created_at).total_seconds())


def outbox_record(row: Any) -> dict[str, Any]:
    """Builds the Kafka record for one outbox row, inside a PRODUCER span parented by the writer's trace."""
    parent = propagate.extract({k: row[k] for k in ("traceparent", "tracestate") if row[k]})
    token = otel_context.attach(parent)
    try:
        with tracer.start_as_current_span(f"{row['topic']} publish", kind=trace.SpanKind.PRODUCER) as span:
            span.set_attribute("messaging.system", "kafka")
            span.set_attribute("messaging.destination.name", row["topic"])
            span.set_attribute("messaging.message.id", row["event_id"])
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
    finally:
        otel_context.detach(token)
    env = Envelope(
        id=row["event_id"], type=row["type"], source=row["source"], subject=row["key"], time=row["time"],
        data=row["data"], sequence=row["seq"], topic=row["topic"], key=row["key"],
        traceparent=carrier.get("traceparent") or row["traceparent"],
        tracestate=carrier.get("tracestate") or row["tracestate"],
    )
    key, value, headers = encode(env)
    return {"key": key, "value": value, "headers": headers}
