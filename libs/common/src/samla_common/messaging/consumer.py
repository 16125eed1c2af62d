"""The idempotent consumer loop (DESIGN §3).

For each record: open a transaction, insert (consumer, event_id) into `inbox`, run the handler, commit. A
duplicate hits the inbox primary key and is skipped. Offsets are committed to Kafka only after the database
commit, so a crash in between redelivers the record and the inbox drops it. A record whose handler keeps
failing is sent to `<topic>.dlq` with the error, and the loop moves on. A database that refuses connections is
not the record's fault: the loop then stops taking records and starts again later from the first one not applied.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaConsumer, KafkaProducer
from kafka.errors import CommitFailedError, KafkaError
from kafka.structs import OffsetAndMetadata, TopicPartition
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from sqlalchemy import DateTime, String, column, insert, table
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from samla_common import metrics
from samla_common.messaging.envelope import Envelope, MalformedMessage, decode

log = logging.getLogger(__name__)
# Lag and a lost log are looked at once a second, not after every poll: each look asks the client for every
# assigned partition's position, which wakes its network thread (measured: a third of an idle service's CPU).
LAG_EVERY_SECONDS = 1.0
tracer = trace.get_tracer("samla.consumer")

inbox_table = table(
    "inbox",
    column("consumer", String),
    column("event_id", String),
    column("topic", String),
    column("received_at", DateTime(timezone=True)),
)

_INBOX_INSERT = insert(inbox_table)  # built once; executed with parameters on every record

Handler = Callable[[Session, Envelope], None]


@dataclass
class HandlerRegistry:
    """Maps CloudEvents types to handlers. Types without a handler are acknowledged and ignored."""

    handlers: dict[str, Handler] = field(default_factory=dict)

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.handlers[event_type] = fn
            return fn
        return register

    def get(self, event_type: str) -> Handler | None:
        return self.handlers.get(event_type)


class DatabaseUnavailable(Exception):
    """The consumer's database cannot be reached; the record is fine and must not be dead-lettered."""


def database_unavailable(exc: BaseException) -> bool:
    """Whether a failure is the database being away (restart, failover), as the HTTP handlers judge it (503)."""
    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


class Outcome:
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    DEAD_LETTERED = "dead_lettered"


class Consumer:
    """Consumes `topics` as consumer group `name` and applies each record once."""

    def __init__(self, *, name: str, topics: list[str], registry: HandlerRegistry,
                 session_factory: sessionmaker[Session], consumer_factory: Callable[[], KafkaConsumer],
                 producer_factory: Callable[[], KafkaProducer], max_attempts: int = 3,
                 retry_delay: float = 0.1) -> None:
        self.name = name
        self.topics = topics
        self.registry = registry
        self.session_factory = session_factory
        self.consumer_factory = consumer_factory
        self.producer_factory = producer_factory
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self._producer: KafkaProducer | None = None
        self.connected = False
        self._topic_ids: dict[str, Any] = {}  # topic → the broker's id for it, as last seen

    def run(self, stop: threading.Event) -> None:
        backoff = 0.5
        while not stop.is_set():
            consumer: KafkaConsumer | None = None
            try:
                consumer = self.consumer_factory()
                self.connected = True
                lag_reported = 0.0
                while not stop.is_set():
                    batch = consumer.poll(timeout_ms=200, max_records=200)
                    remade = self._reread_recreated_topics(consumer)
                    if remade:  # what came from their new logs is read again from the start
                        batch = {tp: records for tp, records in batch.items() if tp.topic not in remade}
                    if batch:
                        self._handle_batch(consumer, batch)
                    if time.monotonic() - lag_reported > LAG_EVERY_SECONDS:
                        self._report_lag(consumer)
                        lag_reported = time.monotonic()
                backoff = 0.5
            except Exception as exc:
                self.connected = False
                log.warning("consumer %s failed, restarting in %.1fs: %s", self.name, backoff, exc)
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                if consumer is not None:
                    try:
                        consumer.close(autocommit=False)
                    except Exception:
                        log.debug("consumer close failed", exc_info=True)
        if self._producer is not None:
            self._producer.close(timeout=1)

    def _handle_batch(self, consumer: KafkaConsumer, batch: dict[TopicPartition, list[Any]]) -> None:
        offsets: dict[TopicPartition, OffsetAndMetadata] = {}
        try:
            for tp, records in batch.items():
                for rec in records:
                    self.process(topic=rec.topic, partition=rec.partition, offset=rec.offset, key=rec.key,
                                 value=rec.value, headers=list(rec.headers or []))
                    offsets[tp] = OffsetAndMetadata(rec.offset + 1, "", -1)
        finally:
            # Also when the database went away mid-batch: what was applied is not fetched again.
            if offsets:
                try:
                    consumer.commit(offsets)
                except (CommitFailedError, KafkaError) as exc:
                    # Normal during a rebalance: the records come again and the inbox drops them.
                    log.info("offset commit failed (%s); records will be redelivered and skipped", exc)

    def process(self, *, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None,
                headers: list[tuple[str, bytes]]) -> str:
        """Applies one record once; returns the outcome. Public so tests can deliver records directly.

        Raises DatabaseUnavailable (nothing applied, nothing dead-lettered) when the database cannot be reached."""
        try:
            env = decode(topic=topic, partition=partition, offset=offset, key=key, value=value, headers=headers)
        except MalformedMessage as exc:
            self._dead_letter(topic, key, value, headers, str(exc))
            return Outcome.DEAD_LETTERED
        handler = self.registry.get(env.type)
        if handler is None:
            return Outcome.IGNORED
        parent = propagate.extract({k: v for k, v in (("traceparent", env.traceparent),
                                                         ("tracestate", env.tracestate)) if v})
        token = otel_context.attach(parent)
        try:
            with tracer.start_as_current_span(f"{topic} process", kind=trace.SpanKind.CONSUMER) as span:
                span.set_attribute("messaging.system", "kafka")
                span.set_attribute("messaging.operation", "process")
                span.set_attribute("messaging.destination.name", topic)
                span.set_attribute("messaging.consumer.group.name", self.name)
                span.set_attribute("messaging.message.id", env.id)
                span.set_attribute("messaging.kafka.message.offset", offset)
                span.set_attribute("messaging.kafka.destination.partition", partition)
                outcome, error = self._apply_with_retries(env, handler)
                span.set_attribute("samla.outcome", outcome)
        finally:
            otel_context.detach(token)
        if outcome == Outcome.DEAD_LETTERED:
            self._dead_letter(topic, key, value, headers, error)
        metrics.CONSUMED.labels(self.name, topic, outcome).inc()
        return outcome

    def _apply_with_retries(self, env: Envelope, handler: Handler) -> tuple[str, str]:
        error = ""
        for attempt in range(1, self.max_attempts + 1):
            try:
                return self._apply_once(env, handler), ""
            except Exception as exc:
                if database_unavailable(exc):
                    log.warning("database unavailable while applying %s %s; the consumer pauses", env.type, env.id)
                    raise DatabaseUnavailable(f"{env.type} {env.id}") from exc
                error = f"{type(exc).__name__}: {exc}"
                log.warning("handler for %s failed (attempt %d/%d): %s", env.type, attempt,
                            self.max_attempts, error)
                if attempt < self.max_attempts:
                    time.sleep(self.retry_delay * attempt)
        return Outcome.DEAD_LETTERED, error

    def _apply_once(self, env: Envelope, handler: Handler) -> str:
        session = self.session_factory()
        try:
            try:
                session.execute(_INBOX_INSERT, {"consumer": self.name, "event_id": env.id, "topic": env.topic,
                                                "received_at": datetime.now(UTC)})
                session.flush()
            except IntegrityError:
                session.rollback()
                return Outcome.DUPLICATE
            handler(session, env)
            session.commit()
            return Outcome.APPLIED
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _dead_letter(self, topic: str, key: bytes | None, value: bytes | None,
                     headers: list[tuple[str, bytes]], error: str) -> None:
        if self._producer is None:
            self._producer = self.producer_factory()
        extra = [("samla_error", error[:2000].encode()), ("samla_consumer", self.name.encode()),
                 ("samla_original_topic", topic.encode())]
        self._producer.send(f"{topic}.dlq", key=key, value=value, headers=list(headers) + extra).get(timeout=10)
        metrics.DEAD_LETTERED.labels(self.name, topic).inc()
        log.error("message dead-lettered to %s.dlq by %s: %s", topic, self.name, error)

    def _report_lag(self, consumer: KafkaConsumer) -> None:
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is None:
                continue
            try:
                pos = consumer.position(tp, timeout_ms=100)
            except Exception:
                continue
            if pos is None:  # not known within the wait (a reset after a seek is still on its way): next look
                continue
            if high < pos:
                # The log ends before where this consumer stands: the broker lost it (a restart of the embedded
                # broker, a topic deleted and recreated). Reading on at `pos` would skip whatever is written to
                # the new log below it (the relays' waiting rows, a replay); the inbox drops what was applied.
                log.warning("%s: %s[%d] ends at %d, before position %d; the broker lost it, reading from the start",
                            self.name, tp.topic, tp.partition, high, pos)
                consumer.seek_to_beginning(tp)
                continue
            metrics.CONSUMER_LAG.labels(self.name, tp.topic, str(tp.partition)).set(max(0, high - pos))

    def _reread_recreated_topics(self, consumer: KafkaConsumer) -> set[str]:
        """A topic the broker lost and made again has a new id. Its log starts over, and a position kept from the old
        one would skip whatever the relays and a replay have written below it since (the end-before-position check
        above misses a partition that has already grown past it). Read such a topic from the start again; the inbox
        drops what was applied. Returns the topics found made again.

        Looked at after every poll (dictionary lookups only), and ids are noted as soon as the topic's metadata is
        known, assigned or not: a consumer held before it had noted an id would otherwise take the new id for
        the first one and keep its old positions."""
        cluster = getattr(getattr(consumer, "_client", None), "cluster", None)  # kafka-python keeps topic ids here
        if cluster is None or not hasattr(cluster, "topic_id"):
            return set()
        remade: set[str] = set()
        for topic in self.topics:
            topic_id = cluster.topic_id(topic)
            if topic_id is None:
                continue
            known = self._topic_ids.setdefault(topic, topic_id)
            if known == topic_id:
                continue
            self._topic_ids[topic] = topic_id
            partitions = [tp for tp in consumer.assignment() if tp.topic == topic]
            log.warning("%s: topic %s was made again (the broker lost it); reading it from the start",
                        self.name, topic)
            if partitions:
                consumer.seek_to_beginning(*partitions)
            remade.add(topic)
        return remade
