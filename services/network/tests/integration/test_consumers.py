"""Consumed events over the real broker: a published seating round becomes "have met" history for matching, and
check-ins make "an event's attendees" those who actually came."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from samla_common.messaging.clients import ensure_topics, make_producer
from samla_common.messaging.envelope import Envelope, encode
from samla_network.directory.models import Attendee, Seat
from tests.support.broker import Broker

from .conftest import Network, open_network, wait_for

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


def test_check_ins_from_the_broker_make_an_events_attendees_those_who_actually_came(broker: Broker,
                                                                                     tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    event_id = f"ev-{tag}"
    ensure_topics(broker.bootstrap, {"events.registration.v1": 3, "events.registration.v1.dlq": 1})
    with open_network(f"sqlite:///{tmp_path / 'network.db'}", tmp_path, "sqlite",
                      SAMLA_NETWORK_KAFKA_CONSUMER_ENABLED="true", KAFKA_BOOTSTRAP_SERVERS=broker.bootstrap) as network:
        ids = network.municipality(tag, administrations=2, per_administration=4)
        came, undone, cancelled = ids[:4], ids[4], ids[5]
        at = "2026-11-26T08:00:00Z"
        story: list[tuple[str, dict[str, object], str]] = [
            ("registered", {"walk_in": False, "from_waiting_list": False}, pid) for pid in ids]
        story += [("checked_in", {"method": "qr", "checked_in_at": at}, pid) for pid in [*came, undone]]
        story += [("check_in_undone", {}, undone), ("cancelled", {"reason": "sjuk"}, cancelled)]
        producer = make_producer(broker.bootstrap)
        for seq, (kind, extra, pid) in enumerate(story, start=1):
            env = Envelope(id=str(uuid.uuid4()), type=f"se.samla.events.registration.{kind}.v1",
                           source="/samla/events", subject=event_id, time=datetime.now(UTC), sequence=seq,
                           data={"event_id": event_id, "person_id": pid, "occurred_at": at, **extra})
            key, value, headers = encode(env)
            producer.send("events.registration.v1", key=key, value=value, headers=headers).get(timeout=30)
        producer.close()

        def settled() -> bool:
            with network.factory() as session:
                rows = {a.person_id: a for a in session.scalars(select(Attendee).where(Attendee.event_id == event_id))}
            return len(rows) == len(ids) and rows[cancelled].status == "cancelled" and not rows[undone].checked_in

        wait_for(settled, deadline=120)
        checked_in = network.call("POST", "/runs", expect=201, json={
            "name": "kom", "population": {"kind": "event", "event_id": event_id}}).json()
        registered = network.call("POST", "/runs", expect=201, json={
            "name": "anmälda", "population": {"kind": "event", "event_id": event_id, "checked_in_only": False}}).json()
        came_people, registered_people = _frozen(network, checked_in["id"]), _frozen(network, registered["id"])

    assert sorted(p["id"] for p in came_people) == sorted(came)
    assert sorted(p["id"] for p in registered_people) == sorted(set(ids) - {cancelled})


def _frozen(network: Network, run_id: str) -> list[dict[str, Any]]:
    from samla_network.runs.models import MatchingRun

    with network.factory() as session:
        run = session.get(MatchingRun, run_id)
        assert run is not None
        return list(run.inputs["people"])
