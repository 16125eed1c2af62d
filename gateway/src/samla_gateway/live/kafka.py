"""Hears the feedback service's changes on Kafka and tells the hub which event's streams are out of date.

Each gateway process consumes as a group of its own (one member), so every node sees every change, and starts at
the end of the topics: a stream fetches its whole current state when it starts, so history is never needed. No
offsets are committed. The records are only hints ("event E changed"); what browsers see is always fetched from
feedback, so a record that arrives twice or out of order costs at most one extra fetch.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from typing import Any

from kafka import KafkaConsumer

from samla_gateway.live.hub import BOARD, PROMPTS

log = logging.getLogger(__name__)

TOPICS = ("feedback.response.v1", "feedback.question.v1")
PROMPT_CHANGED = "se.samla.feedback.prompt.changed.v1"
RESTART_SECONDS = 2.0

Notify = Callable[[dict[str, tuple[str, ...]]], None]


def streams_for(ce_type: str) -> tuple[str, ...]:
    """Which streams of the record's event a change of this type touches."""
    return (BOARD, PROMPTS) if ce_type == PROMPT_CHANGED else (BOARD,)


def changes_in(records: list[Any]) -> dict[str, tuple[str, ...]]:
    """event id → the streams to refetch, for a batch of consumer records (unreadable records are skipped)."""
    found: dict[str, set[str]] = {}
    for record in records:
        headers = {key: value for key, value in (record.headers or [])}
        ce_type = (headers.get("ce_type") or b"").decode(errors="replace")
        try:
            event_id = json.loads(record.value)["event_id"]
        except (ValueError, TypeError, KeyError):
            log.warning("live: a record on %s without an event id was skipped", record.topic)
            continue
        if isinstance(event_id, str):
            found.setdefault(event_id, set()).update(streams_for(ce_type))
    return {event_id: tuple(sorted(streams)) for event_id, streams in found.items()}


class KafkaChanges:
    """A consumer on its own thread (kafka-python blocks), restarted after any failure until stopped."""

    def __init__(self, *, bootstrap: str, options: dict[str, str], notify: Notify) -> None:
        self.bootstrap = bootstrap
        self.options = options
        self.notify = notify
        self.group_id = f"gateway-live-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.active = False  # assigned its partitions and polling: changes arrive through here
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-kafka", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():  # never started when nobody watched a stream
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            consumer: KafkaConsumer | None = None
            try:
                consumer = self._consumer()
                while not self._stop.is_set():
                    batch = consumer.poll(timeout_ms=200, max_records=1000)
                    self.active = bool(consumer.assignment())
                    records = [r for rs in batch.values() for r in rs]
                    if records and (changes := changes_in(records)):
                        self.notify(changes)
            except Exception as exc:
                log.warning("live: the Kafka consumer failed, retrying in %.0f s: %s", RESTART_SECONDS, exc)
                self._stop.wait(RESTART_SECONDS)
            finally:
                self.active = False
                if consumer is not None:
                    try:
                        consumer.close(autocommit=False)
                    except Exception:
                        log.debug("live: closing the consumer failed", exc_info=True)

    def _consumer(self) -> KafkaConsumer:
        # Short session and heartbeat: the group joins in ~3 s on the local broker instead of ~23 s (DESIGN §6).
        consumer = KafkaConsumer(
            bootstrap_servers=self.bootstrap, group_id=self.group_id, client_id=self.group_id,
            enable_auto_commit=False, auto_offset_reset="latest", session_timeout_ms=6000,
            heartbeat_interval_ms=1000, fetch_max_wait_ms=50, **self.options)
        consumer.subscribe(list(TOPICS))
        return consumer
