"""The idempotent consumer's per-record logic (`Consumer.process`), without a broker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from platform_db import TEST_TYPE, build, event_data
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samla_common.messaging.consumer import Consumer, HandlerRegistry, Outcome, inbox_table
from samla_common.messaging.envelope import Envelope, encode


class RecordingProducer:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def send(self, topic: str, **record: Any) -> Any:
        self.sent.append({"topic": topic, **record})

        class Done:
            def get(self, timeout: float | None = None) -> None:
                return None

        return Done()

    def close(self, timeout: float | None = None) -> None:
        pass


def _record(event_id: str = "e-1", key: str = "ou-1", seq: int = 1) -> dict[str, Any]:
    from datetime import UTC, datetime

    env = Envelope(id=event_id, type=TEST_TYPE, source="/samla/test", subject=key, time=datetime.now(UTC),
                   data=event_data(seq), sequence=seq, topic="t", key=key)
    k, v, h = encode(env)
    return {"topic": "t", "partition": 0, "offset": seq, "key": k, "value": v, "headers": h}


@pytest.fixture
def setup(tmp_path: Path):  # type: ignore[no-untyped-def]
    factory, effects = build(f"sqlite:///{tmp_path / 'consumer.db'}")
    registry = HandlerRegistry()
    calls: list[str] = []

    @registry.on(TEST_TYPE)
    def apply(session: Session, env: Envelope) -> None:
        calls.append(env.id)
        if env.data["id"] == "ou-666":
            raise ValueError("cannot apply this one")
        session.execute(effects.insert().values(event_id=env.id, key=env.key, seq=env.sequence))

    producer = RecordingProducer()
    consumer = Consumer(name="test-consumer", topics=["t"], registry=registry, session_factory=factory,
                        consumer_factory=lambda: None, producer_factory=lambda: producer,  # type: ignore[arg-type,return-value]
                        max_attempts=3, retry_delay=0)
    return consumer, factory, effects, producer, calls


def _count(factory, table) -> int:  # type: ignore[no-untyped-def]
    with factory() as s:
        return int(s.execute(select(func.count()).select_from(table)).scalar_one())


def test_an_event_delivered_twice_is_applied_once(setup) -> None:  # type: ignore[no-untyped-def]
    consumer, factory, effects, _, _ = setup
    assert consumer.process(**_record("e-1")) == Outcome.APPLIED
    assert consumer.process(**_record("e-1")) == Outcome.DUPLICATE
    assert _count(factory, effects) == 1
    assert _count(factory, inbox_table) == 1


def test_a_failing_handler_is_retried_then_dead_lettered_with_the_error(setup) -> None:  # type: ignore[no-untyped-def]
    consumer, factory, effects, producer, calls = setup
    rec = _record("e-bad")
    rec["value"] = rec["value"].replace(b"ou-1", b"ou-666")
    assert consumer.process(**rec) == Outcome.DEAD_LETTERED
    assert calls == ["e-bad"] * 3
    assert producer.sent[0]["topic"] == "t.dlq"
    headers = dict(producer.sent[0]["headers"])
    assert b"cannot apply this one" in headers["samla_error"]
    assert headers["ce_id"] == b"e-bad"
    # Nothing of the failed attempts remains: no effect and no inbox row.
    assert _count(factory, effects) == 0 and _count(factory, inbox_table) == 0
    assert consumer.process(**_record("e-2", seq=2)) == Outcome.APPLIED


def test_a_message_that_is_not_a_cloudevent_goes_to_the_dlq(setup) -> None:  # type: ignore[no-untyped-def]
    consumer, factory, effects, producer, _ = setup
    outcome = consumer.process(topic="t", partition=0, offset=9, key=b"x", value=b"{not json", headers=[])
    assert outcome == Outcome.DEAD_LETTERED
    assert producer.sent[0]["value"] == b"{not json"
    assert _count(factory, effects) == 0


def test_types_without_a_handler_are_ignored(setup) -> None:  # type: ignore[no-untyped-def]
    consumer, factory, _, _, calls = setup
    rec = _record("e-other")
    rec["headers"] = [(k, b"se.samla.unknown.v1" if k == "ce_type" else v) for k, v in rec["headers"]]
    assert consumer.process(**rec) == Outcome.IGNORED
    assert calls == [] and _count(factory, inbox_table) == 0


class PositionsClient:
    """The few calls the lag check makes on a Kafka consumer; `position` answers None where kafka-python has not
    learnt the position within the wait (a reset after a seek still on its way)."""

    def __init__(self, highwater: dict[int, int], positions: dict[int, int | None]) -> None:
        from kafka.structs import TopicPartition

        self.partitions = {p: TopicPartition("t", p) for p in highwater}
        self._high, self._pos = highwater, positions
        self.sought: list[Any] = []

    def assignment(self) -> set[Any]:
        return set(self.partitions.values())

    def highwater(self, tp: Any) -> int:
        return self._high[tp.partition]

    def position(self, tp: Any, timeout_ms: int | None = None) -> int | None:
        return self._pos[tp.partition]

    def seek_to_beginning(self, *tps: Any) -> None:
        self.sought.extend(tps)


def test_the_lag_check_passes_over_a_position_not_known_yet(setup) -> None:  # type: ignore[no-untyped-def]
    from prometheus_client import REGISTRY

    consumer, *_ = setup
    client = PositionsClient(highwater={0: 10, 1: 10, 2: 3}, positions={0: None, 1: 4, 2: 7})
    consumer._report_lag(client)  # raised TypeError on None (the consumer restarted mid-recovery from a broker loss)

    lag = REGISTRY.get_sample_value("samla_consumer_lag", {"consumer": "test-consumer", "topic": "t", "partition": "1"})
    assert lag == 6
    assert client.sought == [client.partitions[2]]  # the log that ends before the position is read from the start
