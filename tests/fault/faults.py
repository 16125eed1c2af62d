"""The faults, each as an operator or the machine room would cause it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx
from kafka import KafkaConsumer, KafkaProducer
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from deploy.local.stack import ROOT, Stack
from samla_common.messaging.relay import outbox_record
from tests.fault.day import Day

RELAY_HOLD_LOCK = 424242  # the advisory lock the trigger below waits for


def kill_hard(stack: Stack, service: str) -> None:
    """kill -9 of the whole process (no shutdown hooks, no flushing)."""
    stack.stop_service(service, signal.SIGKILL)


def restart(stack: Stack, service: str, timeout: float = 180) -> None:
    stack.start_service(service)
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{stack.ports.http(service)}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"{service} was not ready {timeout:.0f}s after its restart"
        time.sleep(0.2)


@contextmanager
def server_connection(day: Day, service: str) -> Iterator[Connection]:
    """An autocommit connection to a service's database, as an operator's psql session."""
    engine = create_engine(day.database_url(service), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


# ---- the relay stopped between "the broker has it" and "marked sent" -------------------------------------

@contextmanager
def relay_held_after_publish(day: Day, service: str) -> Iterator[Connection]:
    """Makes the relay's mark-as-sent UPDATE wait (a trigger takes an advisory lock this connection holds), so
    the relay is caught after the broker acknowledged a batch and before the database records it."""
    with server_connection(day, service) as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": RELAY_HOLD_LOCK})
        conn.execute(text(f"""
            CREATE OR REPLACE FUNCTION fault_hold_mark_sent() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM pg_advisory_xact_lock({RELAY_HOLD_LOCK}); RETURN NEW; END $$"""))
        conn.execute(text("CREATE TRIGGER fault_hold_mark_sent BEFORE UPDATE OF sent_at ON outbox "
                          "FOR EACH ROW EXECUTE FUNCTION fault_hold_mark_sent()"))
        try:
            yield conn
        finally:
            # A backend blocked on a lock does not notice that its client died: end it so its UPDATE rolls back.
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = "
                              "current_database() AND pid <> pg_backend_pid() AND wait_event = 'advisory'"))
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": RELAY_HOLD_LOCK})
            conn.execute(text("DROP TRIGGER fault_hold_mark_sent ON outbox"))
            conn.execute(text("DROP FUNCTION fault_hold_mark_sent()"))


def wait_until_relay_is_held(conn: Connection, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        held = conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory' "
            "AND query LIKE 'UPDATE outbox%'")).scalar_one()
        if held:
            return
        assert time.monotonic() < deadline, "the relay never tried to mark a published batch as sent"
        time.sleep(0.1)


def unmarked_rows(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(text("SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id")).mappings()]


def records_on(stack: Stack, topic: str) -> list[tuple[str, int]]:
    """(ce_id, partition) of every record on a topic now."""
    consumer = KafkaConsumer(topic, bootstrap_servers=f"127.0.0.1:{stack.ports.broker}", auto_offset_reset="earliest",
                             enable_auto_commit=False, consumer_timeout_ms=3000)
    try:
        return [(dict(m.headers or [])["ce_id"].decode(), m.partition) for m in consumer]
    finally:
        consumer.close()


# ---- PostgreSQL refuses connections ----------------------------------------------------------------------

@contextmanager
def database_refusing_connections(day: Day, service: str) -> Iterator[None]:
    """The service's database takes no new connections and loses the ones it had, as in a failover."""
    name = make_url(day.database_url(service)).database
    server = make_url(day.database_url(service)).set(database="postgres")
    engine = create_engine(server, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                         {"n": name})
            try:
                yield
            finally:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    finally:
        engine.dispose()


# ---- the broker loses everything ------------------------------------------------------------------------

def restart_broker(stack: Stack) -> None:
    stack.stop_broker()
    stack.start_broker()


def replay(stack: Stack, since: datetime, attempts: int = 3) -> str:
    """`samla replay --since …` as the runbook says, with the stack's environment (its databases and broker).

    The embedded broker can refuse one of two writes racing for the same partition offset (the relays publish
    beside the replay); the replay then stops loudly and, as the runbook says, running it again is harmless."""
    output = ""
    for _ in range(attempts):
        done = subprocess.run([sys.executable, "-m", "samla_common.cli", "replay", "--since", since.isoformat()],
                              env=stack.env(), cwd=ROOT, capture_output=True, text=True, timeout=120)
        output += done.stdout + done.stderr
        if done.returncode == 0:
            return output
    raise AssertionError(f"the replay failed {attempts} times: {output[-2000:]}")


# ---- duplicates and stale events ------------------------------------------------------------------------

def deliver_again(stack: Stack, rows: list[dict[str, Any]], *, new_ids: bool = False) -> int:
    """Produces outbox rows to their topics once more, in the order given: with their own event ids (a
    redelivery) or with new ones (the same change arriving as a different, late message)."""
    producer = KafkaProducer(bootstrap_servers=f"127.0.0.1:{stack.ports.broker}", acks="all", linger_ms=5)
    try:
        futures = []
        for row in rows:
            if new_ids:
                row = {**row, "event_id": str(uuid.uuid4())}
            futures.append(producer.send(row["topic"], **outbox_record(row)))
        producer.flush(timeout=30)
        for f in futures:
            f.get(timeout=30)
    finally:
        producer.close(timeout=5)
    return len(rows)
