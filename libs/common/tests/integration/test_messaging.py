"""Outbox → relay → Kafka → idempotent consumer, on SQLite and PostgreSQL, against the real broker."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from kafka import KafkaConsumer
from platform_db import TEST_TYPE, build, event_data
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samla_common.db import unit_of_work
from samla_common.messaging.clients import ensure_topics, make_consumer, make_producer
from samla_common.messaging.consumer import Consumer, HandlerRegistry
from samla_common.messaging.envelope import Envelope, encode
from samla_common.messaging.outbox import EventWriter, outbox_table
from samla_common.messaging.relay import Relay
from tests.support.broker import Broker, free_port

pytestmark = pytest.mark.integration
writer = EventWriter(source="/samla/test")


def wait_until(condition: Callable[[], bool], timeout: float = 30, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Held:
    """A real consumer whose poll waits while `gate` is closed (a process paused between two polls)."""

    def __init__(self, inner: KafkaConsumer, gate: threading.Event | None, waiting: threading.Event | None) -> None:
        self.inner, self.gate, self.waiting = inner, gate, waiting

    def poll(self, *args: Any, **kwargs: Any) -> Any:
        if self.gate is not None and self.waiting is not None and not self.gate.is_set():
            self.waiting.set()
            self.gate.wait()
        return self.inner.poll(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Harness:
    """One test's database, topic, relay and consumer, with background threads stopped at the end."""

    def __init__(self, database_url: str, bootstrap: str, *, poison_id: str | None = None,
                 gate: threading.Event | None = None, waiting: threading.Event | None = None) -> None:
        self.factory, self.effects = build(database_url)
        self.bootstrap = bootstrap
        self.topic = f"test.{uuid.uuid4().hex[:10]}"
        ensure_topics(bootstrap, {self.topic: 3, f"{self.topic}.dlq": 1})
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []
        registry = HandlerRegistry()
        effects = self.effects

        @registry.on(TEST_TYPE)
        def apply(session: Session, env: Envelope) -> None:
            if env.data["id"] == poison_id:
                raise ValueError(f"poison {poison_id}")
            session.execute(effects.insert().values(event_id=env.id, key=env.key, seq=env.sequence))

        self.consumer = Consumer(
            name=f"group-{self.topic}", topics=[self.topic], registry=registry, session_factory=self.factory,
            consumer_factory=lambda: Held(make_consumer(bootstrap, f"group-{self.topic}", [self.topic]), gate, waiting),
            producer_factory=lambda: make_producer(bootstrap), max_attempts=2, retry_delay=0.01)
        self.relay = Relay(service=f"relay-{self.topic}", session_factory=self.factory,
                           producer_factory=lambda: make_producer(bootstrap), poll_seconds=0.02)

    def write(self, key: str, n: int, *, data: dict[str, Any] | None = None) -> None:
        with unit_of_work(self.factory) as s:
            writer.add(s, topic=self.topic, type=TEST_TYPE, key=key, data=data or event_data(n))

    def start(self, target: Callable[[threading.Event], None]) -> None:
        t = threading.Thread(target=target, args=(self.stop,), daemon=True)
        t.start()
        self.threads.append(t)

    def effect_rows(self) -> list[Any]:
        with self.factory() as s:
            return list(s.execute(select(self.effects).order_by(self.effects.c.id)).all())

    def pending(self) -> int:
        with self.factory() as s:
            return int(s.execute(select(func.count()).where(outbox_table.c.sent_at.is_(None))).scalar_one())

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=10)


@pytest.fixture
def harness(database_url: str, broker: Broker) -> Iterator[Harness]:
    h = Harness(database_url, broker.bootstrap, poison_id="ou-poison")
    yield h
    h.close()


def read_topic(bootstrap: str, topic: str, expected: int, timeout: float = 20) -> list[Any]:
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=1000)
    out: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(out) < expected and time.monotonic() < deadline:
        out.extend(consumer)
    consumer.close()
    return out


def test_an_event_delivered_twice_is_applied_once(harness: Harness) -> None:
    producer = make_producer(harness.bootstrap)
    now = datetime.now(UTC)
    for event_id, seq in (("dup", 1), ("dup", 1), ("sentinel", 2)):
        env = Envelope(id=event_id, type=TEST_TYPE, source="/samla/test", subject="k", time=now,
                       data=event_data(seq), sequence=seq, key="k")
        key, value, headers = encode(env)
        producer.send(harness.topic, key=key, value=value, headers=headers).get(timeout=10)
    producer.close()
    harness.start(harness.consumer.run)
    wait_until(lambda: any(r.event_id == "sentinel" for r in harness.effect_rows()), what="the sentinel")
    assert [r.event_id for r in harness.effect_rows()] == ["dup", "sentinel"]


def test_a_relay_crash_between_publish_and_mark_causes_a_duplicate_the_consumer_skips(harness: Harness) -> None:
    for n in range(3):
        harness.write("k", n)
    # The relay sends the batch, then dies before its "mark as sent" commits: the transaction is rolled back.
    with harness.factory() as session:
        rows = session.execute(select(outbox_table).order_by(outbox_table.c.id)).mappings().all()
        producer = make_producer(harness.bootstrap)
        assert len(harness.relay._send_in_order(producer, rows)) == 3
        producer.close()
        session.rollback()
    assert harness.pending() == 3
    harness.write("k", 3)
    assert harness.relay.publish_pending() == 4  # the restarted relay publishes the three again, and the new one
    assert len(read_topic(harness.bootstrap, harness.topic, expected=7)) == 7
    harness.start(harness.consumer.run)
    wait_until(lambda: len(harness.effect_rows()) >= 4, what="four effects")
    time.sleep(0.5)  # give a wrongly applied duplicate the chance to show up
    assert [r.seq for r in harness.effect_rows()] == [1, 2, 3, 4]


def test_a_poison_message_lands_in_the_dlq_and_the_next_one_is_processed(harness: Harness) -> None:
    harness.write("k", 1, data={"id": "ou-poison", "removed_at": "2026-11-26T09:00:00Z"})
    harness.write("k", 2)
    harness.start(harness.relay.run)
    harness.start(harness.consumer.run)
    wait_until(lambda: len(harness.effect_rows()) == 1, what="the message after the poison one")
    assert harness.effect_rows()[0].seq == 2
    dlq = read_topic(harness.bootstrap, f"{harness.topic}.dlq", expected=1)
    assert len(dlq) == 1
    headers = dict(dlq[0].headers)
    assert b"poison ou-poison" in headers["samla_error"]
    assert headers["samla_consumer"] == f"group-{harness.topic}".encode()


def test_the_relay_catches_up_after_the_broker_was_down(database_url: str) -> None:
    down = Broker(port=free_port())  # not started yet: the broker is down
    h = Harness.__new__(Harness)
    h.factory, h.effects = build(database_url)
    h.topic, h.bootstrap, h.stop, h.threads = f"test.{uuid.uuid4().hex[:10]}", down.bootstrap, threading.Event(), []
    h.relay = Relay(service="catch-up", session_factory=h.factory,
                    producer_factory=lambda: make_producer(down.bootstrap), poll_seconds=0.02)
    try:
        for n in range(20):
            h.write(f"k{n % 3}", n)
        h.start(h.relay.run)
        time.sleep(1.5)
        assert h.pending() == 20 and not h.relay.connected
        down.start()
        wait_until(lambda: h.pending() == 0, timeout=40, what="the relay to drain the outbox")
        records = read_topic(down.bootstrap, h.topic, expected=20)
        assert len(records) == 20
        by_key: dict[bytes, list[int]] = {}
        for rec in records:
            by_key.setdefault(rec.key, []).append(int(dict(rec.headers)["ce_sequence"]))
        assert all(seqs == sorted(seqs) for seqs in by_key.values())
    finally:
        h.close()
        down.stop()


def test_per_aggregate_order_holds_under_concurrent_writes(harness: Harness) -> None:
    harness.start(harness.relay.run)
    harness.start(harness.consumer.run)
    keys = [f"agg-{i}" for i in range(4)]
    errors: list[BaseException] = []

    def writer_thread(worker: int) -> None:
        # No retries: writers of one aggregate take turns, so none fails on the sequence number (on PostgreSQL
        # without the turn, some of these writes failed on uq_outbox_key_seq).
        try:
            for n in range(25):
                harness.write(keys[(worker + n) % len(keys)], n)
        except BaseException as exc:
            errors.append(exc)

    writers = [threading.Thread(target=writer_thread, args=(w,)) for w in range(8)]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    assert not errors
    wait_until(lambda: len(harness.effect_rows()) == 200, timeout=60, what="all 200 events applied")
    applied: dict[str, list[int]] = {}
    for row in harness.effect_rows():
        applied.setdefault(row.key, []).append(row.seq)
    for seqs in applied.values():
        assert seqs == list(range(1, len(seqs) + 1))
    assert sum(len(s) for s in applied.values()) == 200


def test_replay_after_a_broker_loss_restores_the_topic_and_consumers_skip_what_they_saw(database_url: str) -> None:
    from samla_common.messaging.replay import replay

    broker = Broker(port=free_port()).start()
    h = Harness(database_url, broker.bootstrap)
    try:
        h.start(h.relay.run)
        h.start(h.consumer.run)
        for n in range(5):
            h.write("k", n)
        wait_until(lambda: len(h.effect_rows()) == 5, what="the first five events")
        h.close()
        broker.restart()  # in-memory storage: the topic and its five events are gone
        ensure_topics(broker.bootstrap, {h.topic: 3, f"{h.topic}.dlq": 1})
        assert read_topic(broker.bootstrap, h.topic, expected=1, timeout=3) == []
        producer = make_producer(broker.bootstrap)
        republished = replay(session_factory=h.factory, producer=producer,
                             since=datetime.now(UTC).replace(year=2000))
        producer.close()
        assert republished == 5
        assert len(read_topic(broker.bootstrap, h.topic, expected=5)) == 5
        # A consumer that had already applied them skips all five; the new sixth event is applied.
        h.stop = threading.Event()
        h.threads = []
        h.write("k", 5)
        h.start(h.relay.run)
        h.start(h.consumer.run)
        wait_until(lambda: len(h.effect_rows()) == 6, what="the sixth event")
        time.sleep(0.5)
        assert [r.seq for r in h.effect_rows()] == [1, 2, 3, 4, 5, 6]
    finally:
        h.close()
        broker.stop()


def _partitions(bootstrap: str, topic: str) -> int:
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        return len(admin.describe_topics([topic])[0]["partitions"])
    finally:
        admin.close()


def test_the_relay_creates_its_topics_with_their_partitions_before_publishing(database_url: str) -> None:
    """What a broker that lost its topics meets first (Apache Kafka, auto-creation off): a new producer is made
    only after `prepare` created the topics. The local broker also auto-creates on any client's metadata request,
    with 4 partitions, so a producer that lived through its restart can win that race there (docs/runbook.md)."""
    broker = Broker(port=free_port()).start()
    h = Harness.__new__(Harness)
    h.factory, h.effects = build(database_url)
    h.topic, h.bootstrap, h.stop, h.threads = f"test.{uuid.uuid4().hex[:10]}", broker.bootstrap, threading.Event(), []
    # 5 is not the local broker's default (4), so a topic the producer's first send created would show.
    h.relay = Relay(service="recreate", session_factory=h.factory, poll_seconds=0.02,
                    producer_factory=lambda: make_producer(broker.bootstrap),
                    prepare=lambda: ensure_topics(broker.bootstrap, {h.topic: 5}))
    try:
        for n in range(3):
            h.write("k", n)
        h.start(h.relay.run)
        wait_until(lambda: h.pending() == 0, what="the events published")
        assert _partitions(broker.bootstrap, h.topic) == 5
        assert len(read_topic(broker.bootstrap, h.topic, expected=3)) == 3
    finally:
        h.close()
        broker.stop()


def test_ensure_topics_creates_what_is_missing_and_reports_other_partition_counts(
        broker: Broker, caplog: pytest.LogCaptureFixture) -> None:
    topic = f"test.{uuid.uuid4().hex[:10]}"
    assert ensure_topics(broker.bootstrap, {topic: 2}) == [topic]
    assert ensure_topics(broker.bootstrap, {topic: 2}) == []
    with caplog.at_level("WARNING", logger="samla_common.messaging.clients"):
        assert ensure_topics(broker.bootstrap, {topic: 6}) == []
    assert f"topic {topic} has 2 partitions, topics.yaml says 6" in caplog.text
    assert _partitions(broker.bootstrap, topic) == 2


def test_a_commit_with_outbox_rows_wakes_an_idle_relay(database_url: str, broker: Broker) -> None:
    h = Harness(database_url, broker.bootstrap)
    # A poll interval far beyond the wait below: only the wake-up on commit can publish in time.
    h.relay = Relay(service="woken", session_factory=h.factory, poll_seconds=600,
                    producer_factory=lambda: make_producer(broker.bootstrap))
    h.relay.watch(h.factory)
    try:
        h.write("k", 0)
        h.start(h.relay.run)
        wait_until(lambda: h.pending() == 0, what="the first pass")
        time.sleep(0.5)  # the relay is now waiting for its next pass
        h.write("k", 1)
        wait_until(lambda: h.pending() == 0, timeout=30, what="the woken relay to publish the second event")
    finally:
        h.stop.set()
        h.relay.wake()  # out of its long wait, to see the stop
        h.close()


def test_a_consumer_held_through_a_broker_loss_reads_the_new_topics_from_their_start(database_url: str) -> None:
    """The consumer keeps its positions in the lost logs while the relay fills the new ones past them: it must
    notice the topics were made again and read them from the start, or it skips what lies below its positions."""
    broker = Broker(port=free_port()).start()
    gate, waiting = threading.Event(), threading.Event()
    gate.set()
    h = Harness(database_url, broker.bootstrap, gate=gate, waiting=waiting)
    try:
        h.start(h.relay.run)
        h.start(h.consumer.run)
        for n in range(9):
            h.write(f"k{n}", n)
        wait_until(lambda: len(h.effect_rows()) == 9, what="the first nine events")
        gate.clear()
        wait_until(waiting.is_set, what="the consumer to be held between two polls")
        broker.restart()  # in-memory storage: every topic and its events are gone
        for n in range(40):
            h.write(f"k{n % 9}", 100 + n)
        wait_until(lambda: h.pending() == 0, timeout=60, what="the relay to fill the new topic")
        gate.set()
        wait_until(lambda: len(h.effect_rows()) == 9 + 40, timeout=60, what="every event applied")
    finally:
        gate.set()
        h.close()
        broker.stop()
