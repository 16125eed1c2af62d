"""What must hold after any fault: every acknowledged operation is in every service that should have it, exactly
once; read models converge; no outbox keeps a row; a dead-lettered message is never silent.

Checks read each service's own database directly (they are the evidence; the services never read each other's)
and poll with a deadline: how fast the system converges is a benchmark's business, not a test's.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
from kafka import KafkaConsumer
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from deploy.local.stack import SERVICES
from tests.fault.burst import TEMPORARY, Burst
from tests.fault.day import Day, bearer
from tests.fault.ledger import Refusal

REGISTERED = "se.samla.events.registration.registered.v1"
CHECKED_IN = "se.samla.events.registration.checked_in.v1"
# Who keeps a copy of the directory (identity.person.v1) to answer from.
PEOPLE_READERS = ("events", "feedback", "network")


def eventually(check: Callable[[], None], *, timeout: float = 90, what: str) -> None:
    """Runs `check` until it stops raising AssertionError; after the deadline its last failure is the test's."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError as exc:
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} did not converge in {timeout:.0f}s: {exc}") from exc
        time.sleep(0.5)


def query(day: Day, service: str, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(day.database_url(service), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())
    finally:
        engine.dispose()


def metric(day: Day, service: str, name: str) -> dict[str, float]:
    """One metric of a service's /metrics: labels text → value."""
    body = httpx.get(f"http://127.0.0.1:{day.stack.ports.http(service)}/metrics", timeout=5).text
    found: dict[str, float] = {}
    for line in body.splitlines():
        m = re.match(rf"^{name}(\{{.*\}})? (\S+)$", line)
        if m:
            found[m.group(1) or ""] = float(m.group(2))
    return found


# ---- the checks --------------------------------------------------------------------------------------------

def assert_refusals_were_clear(refusals: list[Refusal]) -> None:
    """Every refusal the clients saw during a fault said "try again" as a problem document: no 500, no hang."""
    unclear = [r for r in refusals
               if r.status not in TEMPORARY - {0} or not r.content_type.startswith("application/problem+json")]
    assert not unclear, f"unclear refusals: {unclear[:5]} ({len(unclear)} in all)"


def assert_outboxes_drained(day: Day) -> None:
    for service in SERVICES:
        pending = query(day, service, "SELECT count(*) FROM outbox WHERE sent_at IS NULL")[0][0]
        assert pending == 0, f"{service}: {pending} outbox rows not published"
        backlog = metric(day, service, "samla_outbox_backlog")
        assert backlog and all(v == 0 for v in backlog.values()), f"{service}: samla_outbox_backlog {backlog}"


def assert_events_has_each_registration_and_checkin_once(day: Day) -> None:
    ledger = day.ledger
    rows = query(day, "events", "SELECT person_id, status, checked_in_at FROM registrations WHERE event_id = :e",
                 e=day.event_id)
    per_person = Counter(r.person_id for r in rows)
    assert all(per_person[p] == 1 for p in ledger.registrations), \
        [p for p in ledger.registrations if per_person[p] != 1][:5]
    by_person = {r.person_id: r for r in rows}
    assert all(by_person[p].status == "registered" for p in ledger.registrations)
    assert all(by_person[p].checked_in_at is not None for p in ledger.checkins)
    published = query(day, "events", "SELECT type, data FROM outbox WHERE key = :e AND type IN (:r, :c)",
                      e=day.event_id, r=REGISTERED, c=CHECKED_IN)
    events = Counter((t, d["person_id"]) for t, d in published)
    assert [p for p in ledger.registrations if events[(REGISTERED, p)] != 1] == []
    assert [p for p in ledger.checkins if events[(CHECKED_IN, p)] != 1] == []


def assert_people_read_models_converged(day: Day) -> None:
    """Each acknowledged person is in every copy of the directory once, with the newest name identity confirmed."""
    expected = dict(day.ledger.people)
    for service in PEOPLE_READERS:
        rows = query(day, service, "SELECT id, name FROM directory_people WHERE id LIKE 'fp-%'")
        have = Counter(r.id for r in rows)
        names = {r.id: r.name for r in rows}
        missing = [p for p in expected if have[p] == 0]
        twice = [p for p in expected if have[p] > 1]
        stale = [(p, names[p], n) for p, n in expected.items() if p in names and names[p] != n]
        assert not (missing or twice or stale), f"{service}: missing {missing[:3]} ({len(missing)}), " \
                                                f"twice {twice[:3]}, stale {stale[:3]} ({len(stale)})"


def assert_feedback_has_each_answer_and_vote_once(day: Day) -> None:
    ledger = day.ledger
    rows = query(day, "feedback", "SELECT person_id, value FROM responses WHERE prompt_id = :p", p=day.prompt_id)
    per_person = Counter(r.person_id for r in rows)
    choice = {r.person_id: (r.value or {}).get("choice") for r in rows}
    assert [p for p in ledger.answers if per_person[p] != 1] == []
    assert [p for p, o in ledger.answers.items() if choice[p] != o] == []
    votes = Counter((r.question_id, r.voter_id) for r in query(
        day, "feedback", "SELECT question_id, voter_id FROM question_votes WHERE question_id = ANY(:q)",
        q=day.question_ids))
    assert [v for v in ledger.votes if votes[v] != 1] == []
    # The counts people see are the rows: the live results and the question wall.
    token = day.sign_in("fault-admin")
    results = httpx.get(f"{day.api}/feedback/prompts/{day.prompt_id}/results", headers=bearer(token),
                        timeout=10).json()
    shown = {o["id"]: o["count"] for o in results["summary"]["options"]}
    assert shown == {o: n for o, n in Counter(choice.values()).items()} | {o: 0 for o in shown
                                                                         if o not in choice.values()}
    for q in day.question_ids:
        wall = httpx.get(f"{day.api}/feedback/questions/{q}", headers=bearer(token), timeout=10).json()
        assert wall["votes"] == sum(n for (qid, _), n in votes.items() if qid == q)


def dead_letters(day: Day) -> list[tuple[str, dict[str, bytes]]]:
    """Every record in a DLQ topic on the broker now: (topic, headers)."""
    consumer = KafkaConsumer(bootstrap_servers=f"127.0.0.1:{day.stack.ports.broker}", consumer_timeout_ms=3000,
                             auto_offset_reset="earliest", enable_auto_commit=False)
    try:
        topics = [t for t in consumer.topics() if t.endswith(".dlq")]
        if not topics:
            return []
        consumer.subscribe(topics)
        return [(m.topic, dict(m.headers or [])) for m in consumer]
    finally:
        consumer.close()


def assert_dead_letters_are_visible(day: Day) -> None:
    """A DLQ may hold a message only if its consumer counted it in a metric and logged it."""
    letters = dead_letters(day)
    if not letters:
        return
    log = day.stack.log_file.read_text() if day.stack.log_file else ""
    for topic, headers in letters:
        consumer = headers.get("samla_consumer", b"").decode()
        counted = metric(day, consumer, "samla_dead_lettered_total")
        assert any(v > 0 for v in counted.values()), f"{topic}: dead-lettered by {consumer} but not counted"
        assert "message dead-lettered" in log, f"{topic}: dead-lettered by {consumer} without a log line"


def assert_nothing_lost(day: Day, b: Burst, *, timeout: float = 90) -> None:
    """All of the above for the whole day so far, each waited for with a deadline; refusals of burst `b`."""
    assert day.ledger.count() > 0, "the burst acknowledged nothing"
    assert_refusals_were_clear(b.refusals)
    eventually(lambda: assert_events_has_each_registration_and_checkin_once(day), timeout=timeout,
               what="registrations and check-ins in events")
    eventually(lambda: assert_feedback_has_each_answer_and_vote_once(day), timeout=timeout,
               what="answers and votes in feedback")
    eventually(lambda: assert_people_read_models_converged(day), timeout=timeout, what="the directory read models")
    eventually(lambda: assert_outboxes_drained(day), timeout=timeout, what="the outboxes")
    assert_dead_letters_are_visible(day)
