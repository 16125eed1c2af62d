"""Consumed events over the real broker: a published seating round becomes "have met" history for matching."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from samla_common.messaging.clients import ensure_topics, make_producer
from samla_common.messaging.envelope import Envelope, encode
from samla_network.directory.models import Seat
from tests.support.broker import Broker

from .conftest import open_network, wait_for

pytestmark = pytest.mark.integration


def test_a_seating_round_from_the_broker_becomes_history_that_runs_avoid(broker: Broker, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tag = uuid.uuid4().hex[:6]
    event_id = f"ev-{tag}"
    ensure_topics(broker.bootstrap, {"events.seating.v1": 3, "events.seating.v1.dlq": 1})
    with open_network(f"sqlite:///{tmp_path / 'network.db'}", tmp_path, "sqlite",
                      SAMLA_NETWORK_KAFKA_CONSUMER_ENABLED="true", KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap) as network:
        ids = network.municipality(tag, administrations=2, per_administration=4)
        table = ids[:2] + ids[4:6]
        env = Envelope(id=str(uuid.uuid4()), type="se.samla.events.seating.round_published.v1",
                       source="/samla/events", subject=event_id, time=datetime.now(UTC), sequence=1,
                       data={"event_id": event_id, "round": 1, "published_at": "2026-11-26T09:00:00Z",
                             "tables": [{"table_id": "1", "person_ids": table},
                                        {"table_id": "2", "person_ids": ids[2:4] + ids[6:]}]})
        key, value, headers = encode(env)
        producer = make_producer(broker.bootstrap)
        producer.send("events.seating.v1", key=key, value=value, headers=headers).get(timeout=30)
        producer.close()

        def seated() -> int:
            with network.factory() as session:
                return len(list(session.scalars(select(Seat).where(Seat.event_id == event_id))))

        wait_for(seated, deadline=120)
        run = network.call("POST", "/runs", expect=201, json={
            "name": "historik", "population": {"kind": "people", "person_ids": ids}}).json()
        with network.factory() as session:
            from samla_network.runs.models import MatchingRun

            frozen = session.get(MatchingRun, run["id"]).inputs  # type: ignore[union-attr]

    met = {tuple(p) for p in frozen["met"]}
    assert (min(table[0], table[2]), max(table[0], table[2])) in met
    assert len(met) == 12  # two tables of four: six pairs each
