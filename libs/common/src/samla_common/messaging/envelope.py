"""CloudEvents 1.0 on Kafka, binary content mode (DESIGN §3), through the `cloudevents` package's binding."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

_FORMAT = JSONFormat()
TRACE_HEADERS = ("traceparent", "tracestate")


@dataclass(frozen=True)
class Envelope:
    """An event as the outbox stores it and consumers receive it."""

    id: str
    type: str
    source: str
    subject: str
    time: datetime
    data: dict[str, Any]
    sequence: int
    topic: str = ""
    key: str = ""
    traceparent: str | None = None
    tracestate: str | None = None
    partition: int = -1
    offset: int = -1


class MalformedMessage(ValueError):
    """A Kafka record that is not a CloudEvent this system can read."""


def encode(env: Envelope) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Returns (key, value, headers) for KafkaProducer.send."""
    event = CloudEvent(
        attributes={
            "id": env.id,
            "type": env.type,
            "source": env.source,
            "subject": env.subject,
            # SQLite hands back naive datetimes; every stored time is UTC.
            "time": env.time if env.time.tzinfo else env.time.replace(tzinfo=UTC),
            "datacontenttype": "application/json",
            # The CloudEvents "sequence" extension: per-aggregate order, so consumers can drop stale events.
            "sequence": str(env.sequence),
            "partitionkey": env.key,
        },
        data=env.data,
    )
    msg = ce_kafka.to_binary(event, _FORMAT)
    headers = [(k, v) for k, v in msg.headers.items() if k != "ce_partitionkey"]
    for name in TRACE_HEADERS:
        value = getattr(env, name)
        if value:
            headers.append((name, value.encode()))
    key = msg.key.encode() if isinstance(msg.key, str) else (msg.key or b"")
    return key, msg.value, headers


def decode(*, topic: str, partition: int, offset: int, key: bytes | None, value: bytes | None,
           headers: list[tuple[str, bytes]]) -> Envelope:
    """Parses a Kafka record; raises MalformedMessage when it is not a readable CloudEvent."""
    hdrs = {k: v for k, v in headers or []}
    try:
        event = ce_kafka.from_binary(ce_kafka.KafkaMessage(headers=hdrs, key=key, value=value or b""), _FORMAT)
        attrs = event.get_attributes()
        data = event.get_data()
        if isinstance(data, (bytes, str)):
            data = json.loads(data)
        if not isinstance(data, dict):
            raise MalformedMessage("event data is not a JSON object")
        seq = int(attrs.get("sequence") or 0)
    except MalformedMessage:
        raise
    except Exception as exc:  # the binding raises several types for a bad message
        raise MalformedMessage(f"not a CloudEvent: {exc}") from exc
    return Envelope(
        id=str(attrs["id"]),
        type=str(attrs["type"]),
        source=str(attrs["source"]),
        subject=str(attrs.get("subject") or ""),
        time=attrs.get("time") or datetime.fromtimestamp(0),
        data=data,
        sequence=seq,
        topic=topic,
        key=(key or b"").decode(errors="replace"),
        traceparent=(hdrs.get("traceparent") or b"").decode() or None,
        tracestate=(hdrs.get("tracestate") or b"").decode() or None,
        partition=partition,
        offset=offset,
    )
