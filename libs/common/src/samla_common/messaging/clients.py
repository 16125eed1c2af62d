"""Kafka clients configured for this system (standard kafka-python settings only, so Apache Kafka works too)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

log = logging.getLogger(__name__)


def make_producer(bootstrap: str, **options: Any) -> KafkaProducer:
    # Idempotence is off: the local broker (Tansu) drops idempotent writes silently (DESIGN §6). One request in
    # flight keeps each partition in order across retries instead; callers always check the send futures.
    return KafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=False,
        max_in_flight_requests_per_connection=1,
        retries=3,
        linger_ms=2,
        request_timeout_ms=10_000,
        max_block_ms=5_000,
        # Topics exist only as topics.yaml says (ensure_topics, KafkaTopic in production), never by accident.
        # The local broker ignores this flag (measured: it creates 4 partitions); Apache Kafka honours it.
        allow_auto_create_topics=False,
        client_id="samla",
        **options,
    )


def make_consumer(bootstrap: str, group_id: str, topics: Iterable[str], **options: Any) -> KafkaConsumer:
    # Short session/heartbeat timeouts: group joins take ~3 s instead of ~23 s on the local broker (DESIGN §6).
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        session_timeout_ms=6000,
        heartbeat_interval_ms=1000,
        max_poll_records=200,
        # How long the broker may hold an empty fetch. The local broker answers a waiting fetch some time after a
        # record arrives, not at once: produce → consume took a median 11 / 29 / 72 ms (max 30 / 107 / 236 ms) at
        # 50 / 200 / 500 ms. Every idle consumer fetches that often, though: at 50 ms the stack spent 40 % of a
        # core doing nothing, at 200 ms 20 % (`make bench ONLY=idle`, docs/bench.md). The live board has a
        # consumer of its own in the gateway (samla_gateway.live).
        fetch_max_wait_ms=200,
        allow_auto_create_topics=False,
        client_id=group_id,
        **options,
    )
    consumer.subscribe(list(topics))
    return consumer


def ensure_topics(bootstrap: str, topics: dict[str, int], **options: Any) -> list[str]:
    """Creates missing topics (name → partitions) and returns their names. Safe to call from every service.

    A topic with another partition count than asked is logged as a warning, not changed: after the embedded
    broker loses its data, a client's metadata request can re-create a topic with the broker's default count
    first (docs/runbook.md, "The broker lost its topics").
    """
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="samla-admin", request_timeout_ms=10_000,
                             **options)
    try:
        existing = set(admin.list_topics())
        missing = [NewTopic(name=t, num_partitions=p, replication_factor=1)
                   for t, p in topics.items() if t not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(missing)
            log.info("created topics", extra={"topics": [t.name for t in missing]})
        present = [t for t in topics if t in existing]
        for described in admin.describe_topics(present) if present else []:
            wanted, found = topics[described["name"]], len(described.get("partitions") or [])
            if found and found != wanted:
                log.warning("topic %s has %d partitions, topics.yaml says %d", described["name"], found, wanted)
        return [t.name for t in missing]
    finally:
        admin.close()
