"""The outbox writer and the relay's publish/mark logic, with a fake producer (no sockets)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import ValidationError
from platform_db import TEST_TYPE, build, event_data
from sqlalchemy import select, update

from samla_common.db import unit_of_work
from samla_common.messaging.envelope import decode
from samla_common.messaging.outbox import EventWriter, outbox_table
from samla_common.messaging.relay import Relay

writer = EventWriter(source="/samla/test")


class FakeFuture:
    """kafka-python's FutureRecordMetadata surface the relay uses: get(timeout)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error

    def get(self, timeout: float | None = None) -> None:
        if self.error is not None:
            raise self.error


class FakeProducer:
    """Records sends; fails the send with index `fail_at` (0-based, counted across the producer's life)."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.sent: list[dict[str, Any]] = []
        self.fail_at = fail_at
        self.calls = 0

    def send(self, topic: str, **record: Any) -> FakeFuture:
        self.calls += 1
        if self.fail_at is not None and self.calls - 1 == self.fail_at:
            return FakeFuture(RuntimeError("broker said no"))
        self.sent.append({"topic": topic, **record})
        return FakeFuture()

    def flush(self, timeout: float | None = None) -> None:
        pass

    def close(self, timeout: float | None = None) -> None:
        pass


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    return build(f"sqlite:///{tmp_path / 'outbox.db'}")


def _write(factory, key: str, n: int) -> None:  # type: ignore[no-untyped-def]
    with unit_of_work(factory) as s:
        writer.add(s, topic="t", type=TEST_TYPE, key=key, data=event_data(n))


def test_sequence_numbers_count_per_aggregate(db) -> None:  # type: ignore[no-untyped-def]
    factory, _ = db
    for n, key in enumerate(["a", "b", "a", "a", "b"]):
        _write(factory, key, n)
    with factory() as s:
        rows = s.execute(select(outbox_table.c.key, outbox_table.c.seq).order_by(outbox_table.c.id)).all()
    assert [(r.key, r.seq) for r in rows] == [("a", 1), ("b", 1), ("a", 2), ("a", 3), ("b", 2)]


def test_invalid_event_data_is_refused_and_nothing_is_written(db) -> None:  # type: ignore[no-untyped-def]
    factory, _ = db
    with pytest.raises(ValidationError), unit_of_work(factory) as s:
        writer.add(s, topic="t", type=TEST_TYPE, key="a", data={"id": "x"})  # removed_at missing
    with factory() as s:
        assert s.execute(select(outbox_table)).first() is None


def test_relay_publishes_in_order_and_marks_sent(db) -> None:  # type: ignore[no-untyped-def]
    factory, _ = db
    for n in range(5):
        _write(factory, f"k{n % 2}", n)
    producer = FakeProducer()
    relay = Relay(service="test", session_factory=factory, producer_factory=lambda: producer)
    assert relay.publish_pending() == 5
    ids = [h for rec in producer.sent for k, h in rec["headers"] if k == "ce_id"]
    with factory() as s:
        expected = [r.event_id.encode() for r in s.execute(select(outbox_table).order_by(outbox_table.c.id))]
        assert s.execute(select(outbox_table).where(outbox_table.c.sent_at.is_(None))).first() is None
    assert ids == expected
    assert relay.publish_pending() == 0


def test_relay_marks_nothing_after_a_failed_send_and_resumes_there(db) -> None:  # type: ignore[no-untyped-def]
    factory, _ = db
    for n in range(5):
        _write(factory, "k", n)
    failing = FakeProducer(fail_at=2)
    relay = Relay(service="test", session_factory=factory, producer_factory=lambda: failing)
    with pytest.raises(RuntimeError, match="not acknowledged"):
        relay.publish_pending()
    with factory() as s:
        sent = s.execute(select(outbox_table.c.seq).where(outbox_table.c.sent_at.is_not(None))
                         .order_by(outbox_table.c.id)).scalars().all()
    assert sent == [1, 2]
    healthy = FakeProducer()
    relay.producer_factory = lambda: healthy
    relay._producer = None
    assert relay.publish_pending() == 3
    seqs = [int(dict(r["headers"])["ce_sequence"]) for r in healthy.sent]
    assert seqs == [3, 4, 5]


def test_published_record_is_a_cloudevent_with_key_and_trace(db) -> None:  # type: ignore[no-untyped-def]
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider

    factory, _ = db
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("request") as span, unit_of_work(factory) as s:
        writer.add(s, topic="t", type=TEST_TYPE, key="ou-7", data=event_data(7))
        trace_id = format(span.get_span_context().trace_id, "032x")
        request_span_id = format(span.get_span_context().span_id, "016x")
    producer = FakeProducer()
    Relay(service="test", session_factory=factory, producer_factory=lambda: producer).publish_pending()
    rec = producer.sent[0]
    env = decode(topic="t", partition=0, offset=0, key=rec["key"], value=rec["value"], headers=rec["headers"])
    assert rec["key"] == b"ou-7"
    assert env.type == TEST_TYPE and env.source == "/samla/test" and env.sequence == 1
    assert env.data == event_data(7)
    assert env.traceparent is not None and env.traceparent.split("-")[1] == trace_id
    # The span id is the request's (no SDK tracer installed) or the relay's PRODUCER child (an SDK installed by
    # another test); either way a real one. The parent→child edge itself is asserted in tests/system.
    span_id = env.traceparent.split("-")[2]
    assert len(span_id) == 16 and span_id != "0" * 16 and (span_id == request_span_id or span_id != trace_id[:16])
    assert not trace.get_current_span().get_span_context().is_valid  # the relay left no span active


def test_prune_removes_only_old_sent_rows(db) -> None:  # type: ignore[no-untyped-def]
    factory, _ = db
    for n in range(3):
        _write(factory, "k", n)
    relay = Relay(service="test", session_factory=factory, producer_factory=FakeProducer,
                  retention=timedelta(days=7))
    relay.publish_pending()
    _write(factory, "k", 9)  # pending: never pruned
    with unit_of_work(factory) as s:
        s.execute(update(outbox_table).where(outbox_table.c.seq == 1)
                  .values(sent_at=datetime.now(UTC) - timedelta(days=8)))
    assert relay.prune() == 1
    with factory() as s:
        assert sorted(s.execute(select(outbox_table.c.seq)).scalars()) == [2, 3, 4]
