"""Faults on the real stack (as `make run` starts it, on PostgreSQL) during a live burst of directory changes,
registrations, check-ins, answers and votes through the gateway. After each fault nothing acknowledged may be
lost or doubled anywhere, read models converge, outboxes drain and no dead letter goes unnoticed (issue 9 §1)."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.fault import faults
from tests.fault.burst import Burst, burst
from tests.fault.checks import assert_nothing_lost, eventually, metric, query
from tests.fault.day import Day, ok

pytestmark = pytest.mark.system


def test_a_service_killed_hard_mid_burst_restarts_and_loses_nothing(day: Day) -> None:
    with burst(day, "kill") as b:
        faults.kill_hard(day.stack, "feedback")
        faults.restart(day.stack, "feedback")

    assert_nothing_lost(day, b)
    answers_refused = [r for r in b.refusals if r.operation in ("answer", "vote")]
    assert answers_refused and {r.status for r in answers_refused} <= {502, 503}, answers_refused[:3]


def test_a_relay_killed_between_publish_and_mark_sent_publishes_again_and_consumers_apply_once(day: Day) -> None:
    with burst(day, "relay") as b:
        with faults.relay_held_after_publish(day, "identity") as db:
            faults.wait_until_relay_is_held(db)
            unmarked = {r["event_id"] for r in faults.unmarked_rows(db)}
            on_broker = {ce_id for ce_id, _ in faults.records_on(day.stack, "identity.person.v1")}
            published_not_marked = unmarked & on_broker
            assert published_not_marked, "the held batch should already be on the broker"
            faults.kill_hard(day.stack, "identity")
        faults.restart(day.stack, "identity")

    def published_twice() -> None:
        seen = [ce_id for ce_id, _ in faults.records_on(day.stack, "identity.person.v1")]
        assert all(seen.count(e) == 2 for e in published_not_marked)
    eventually(published_twice, what="the relay's second publication of the unmarked batch")
    assert_nothing_lost(day, b)
    for service in ("events", "feedback", "network"):
        inbox = query(day, service, "SELECT event_id FROM inbox WHERE event_id = ANY(:ids)",
                      ids=list(published_not_marked))
        assert len(inbox) == len(published_not_marked), service


def test_a_broker_restart_loses_topics_and_the_outbox_replay_recovers_them(day: Day) -> None:
    since = datetime.now(UTC) - timedelta(minutes=1)
    network = day.stack.procs["network"]
    with burst(day, "broker") as b:
        # network stops reading (its process is frozen), so what identity publishes now lives only on the broker
        network.send_signal(signal.SIGSTOP)
        try:
            b.wait_for_acknowledged(20)
            day.stack.stop_broker()
            # While the broker is away, a change is acknowledged and waits in identity's outbox, visibly.
            ok(day.person("fp-broker-away", "Deltagare fp-broker-away"))
            day.ledger.acknowledged("person", "fp-broker-away", "Deltagare fp-broker-away")
            eventually(lambda: _outbox_waiting_is_visible(day, "identity"), timeout=30, what="the outbox alert")
            day.stack.start_broker()
        finally:
            network.send_signal(signal.SIGCONT)
    acknowledged = set(day.ledger.people)
    known = {r.id for r in query(day, "network", "SELECT id FROM directory_people WHERE id LIKE 'fp-%'")}
    assert acknowledged - known, "some people should have been lost with the broker's topics"

    out = faults.replay(day.stack, since)

    assert "identity: republished" in out
    assert_nothing_lost(day, b)


def _outbox_waiting_is_visible(day: Day, service: str) -> None:
    backlog = metric(day, service, "samla_outbox_backlog")
    oldest = metric(day, service, "samla_outbox_oldest_pending_seconds")
    assert sum(backlog.values()) >= 1 and sum(oldest.values()) > 0, (backlog, oldest)
    log = day.stack.log_file.read_text() if day.stack.log_file else ""
    assert any(line.lstrip().startswith(f"{service} |") and "relay cannot publish" in line
               for line in log.splitlines())


def test_a_database_refusing_connections_gives_clear_503s_and_recovers(day: Day) -> None:
    feedback_url = f"http://127.0.0.1:{day.stack.ports.http('feedback')}"
    with burst(day, "db") as b, faults.database_refusing_connections(day, "feedback"):
        eventually(lambda: _refused(b, 5), timeout=30, what="refusals while the DB is away")
        direct = httpx.get(f"{feedback_url}/events/{day.event_id}/questions",
                           headers={"authorization": f"Bearer {day.sign_in('fault-admin')}"}, timeout=10)
        ready = httpx.get(f"{feedback_url}/readyz", timeout=10)
        # Directory changes keep coming from identity while feedback's database is away.
        late = [f"fp-db-late-{i}" for i in range(3)]
        for pid in late:
            ok(day.person(pid, f"Deltagare {pid}"))
            day.ledger.acknowledged("person", pid, f"Deltagare {pid}")
        eventually(lambda: _feedback_tried(day, late), timeout=60, what="feedback's consumer to meet the changes")

    assert direct.status_code == 503 and direct.headers["content-type"] == "application/problem+json"
    assert "database" in direct.json()["detail"]
    assert ready.status_code == 503 and ready.json()["checks"]["database"]["status"] == "down"
    assert_nothing_lost(day, b)


def _feedback_tried(day: Day, person_ids: list[str]) -> None:
    """The events service (its database is fine) applied the changes, and feedback's consumer met them too."""
    known = {r.id for r in query(day, "events", "SELECT id FROM directory_people WHERE id = ANY(:ids)", ids=person_ids)}
    assert known == set(person_ids)
    log = day.stack.log_file.read_text() if day.stack.log_file else ""
    assert any(line.lstrip().startswith("feedback |") and "person.upserted" in line for line in log.splitlines())


def _refused(b: Burst, at_least: int) -> None:
    assert len(b.refusals) >= at_least


def test_duplicated_and_stale_events_change_no_read_model(day: Day) -> None:
    with burst(day, "dup") as b:
        pass
    assert_nothing_lost(day, b)
    duplicates_before = {s: _consumed(day, s, "duplicate") for s in ("events", "feedback", "network")}
    rows = [dict(r._mapping) for service in ("identity", "events", "feedback")
            for r in query(day, service, "SELECT * FROM outbox ORDER BY id")]
    stale = [r for r in rows if r["type"].endswith("person.upserted.v1") and r["seq"] == 1
             and any(o["key"] == r["key"] and o["seq"] > 1 for o in rows)]
    assert stale, "the burst renames people, so older versions exist"

    faults.deliver_again(day.stack, list(reversed(rows)))  # every event again, newest first
    faults.deliver_again(day.stack, stale, new_ids=True)  # and old versions as if they were new messages

    def dropped_as_duplicates() -> None:
        for service, before in duplicates_before.items():
            assert _consumed(day, service, "duplicate") - before >= len([r for r in rows if r["topic"] ==
                                                                          "identity.person.v1"]), service
    eventually(dropped_as_duplicates, what="the consumers to see the copies")
    assert_nothing_lost(day, b)


def _consumed(day: Day, service: str, outcome: str) -> float:
    return sum(v for labels, v in metric(day, service, "samla_consumed_total").items()
               if f'outcome="{outcome}"' in labels and "identity.person.v1" in labels)
