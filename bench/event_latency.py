"""`event-latency`: outbox commit → consumer effect committed, at 100 and 1,000 events/s, and relay throughput.

Everything is real: SQLite (or PostgreSQL with --database postgresql) for the producing and consuming service,
the Tansu broker, the relay and the idempotent consumer from samla_common. Writer, relay and consumer run in one
process here (in production they are separate processes), so the figures include their contention for the GIL.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Integer, String, Table, event
from sqlalchemy.orm import Session

from bench.harness import Report
from samla_common.db import define_platform_tables, make_engine, make_session_factory, new_metadata, unit_of_work
from samla_common.messaging.clients import ensure_topics, make_consumer, make_producer
from samla_common.messaging.consumer import Consumer, HandlerRegistry
from samla_common.messaging.envelope import Envelope
from samla_common.messaging.outbox import EventWriter
from samla_common.messaging.relay import Relay
from tests.support.broker import Broker, free_port

EVENT_TYPE = "se.samla.identity.orgunit.removed.v1"
writer = EventWriter(source="/samla/bench")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Pipeline:
    def __init__(self, urls: tuple[str, str], bootstrap: str) -> None:
        # Two databases, as in production: the producing service's (outbox) and the consuming service's (inbox).
        self.factory, self.consumer_factory = (self._database(u)[0] for u in urls)
        self.effects = self._database(urls[1])[1]
        self.committed: dict[str, float] = {}
        self.applied: dict[str, float] = {}
        self.topic = f"bench.{uuid.uuid4().hex[:8]}"
        ensure_topics(bootstrap, {self.topic: 6, f"{self.topic}.dlq": 1})
        registry = HandlerRegistry()
        effects = self.effects

        @registry.on(EVENT_TYPE)
        def apply(session: Session, env: Envelope) -> None:
            session.execute(effects.insert().values(event_id=env.data["id"]))
            session.info.setdefault("applied", []).append(env.data["id"])

        @event.listens_for(self.consumer_factory, "after_commit")
        def _after_commit(session: Session) -> None:
            now = time.perf_counter()
            for event_id in session.info.pop("applied", []):
                self.applied[event_id] = now

        self.stop = threading.Event()
        self.relay = Relay(service=f"bench-{self.topic}", session_factory=self.factory,
                           producer_factory=lambda: make_producer(bootstrap), poll_seconds=0.01)
        self.consumer = Consumer(name=f"bench-{self.topic}", topics=[self.topic], registry=registry,
                                 session_factory=self.consumer_factory,
                                 consumer_factory=lambda: make_consumer(bootstrap, f"bench-{self.topic}", [self.topic]),
                                 producer_factory=lambda: make_producer(bootstrap))
        self.threads: list[threading.Thread] = []

    @staticmethod
    def _database(url: str) -> tuple[Any, Table]:
        metadata = new_metadata()
        define_platform_tables(metadata)
        effects = Table("effects", metadata, Column("id", Integer, primary_key=True), Column("event_id", String(64)))
        engine = make_engine(url)
        metadata.create_all(engine)
        return make_session_factory(engine), effects

    def start(self, *, relay: bool = True, consumer: bool = True) -> None:
        for enabled, target in ((relay, self.relay.run), (consumer, self.consumer.run)):
            if enabled:
                t = threading.Thread(target=target, args=(self.stop,), daemon=True)
                t.start()
                self.threads.append(t)

    def write(self, n: int) -> None:
        event_id = f"ou-{n}"
        with unit_of_work(self.factory) as s:
            writer.add(s, topic=self.topic, type=EVENT_TYPE, key=f"k{n % 50}",
                       data={"id": event_id, "removed_at": "2026-11-26T09:00:00Z"})
        self.committed[event_id] = time.perf_counter()
        self.relay.wake()

    def close(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=10)


def run_rate(url: tuple[str, str], bootstrap: str, rate: int, seconds: float) -> dict[str, Any]:
    p = Pipeline(url, bootstrap)
    p.start()
    # Warm up: the consumer's group join takes a few seconds on the local broker; measure after it.
    p.write(-1)
    deadline = time.monotonic() + 60
    while "ou--1" not in p.applied and time.monotonic() < deadline:
        time.sleep(0.02)
    total = int(rate * seconds)
    start = time.perf_counter()
    for n in range(total):
        target = start + n / rate
        delay = target - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        p.write(n)
    write_elapsed = time.perf_counter() - start
    deadline = time.monotonic() + 120
    while len(p.applied) < total + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    p.close()
    lat = [(p.applied[k] - p.committed[k]) * 1000 for k in p.committed if k in p.applied and k != "ou--1"]
    return {"offered": rate, "achieved": total / write_elapsed, "lost": total - len(lat), "latencies_ms": lat}


def relay_throughput(url: tuple[str, str], bootstrap: str, count: int) -> tuple[float, float]:
    """Returns (relay events/s draining a backlog of `count`, raw producer events/s for the same records)."""
    p = Pipeline(url, bootstrap)
    for n in range(count):
        with unit_of_work(p.factory) as s:
            writer.add(s, topic=p.topic, type=EVENT_TYPE, key=f"k{n % 50}",
                       data={"id": f"ou-{n}", "removed_at": "2026-11-26T09:00:00Z"})
    start = time.perf_counter()
    sent = 0
    while sent < count:
        sent += p.relay.publish_pending()
    relay_rate = count / (time.perf_counter() - start)
    producer = make_producer(bootstrap)
    from samla_common.messaging.outbox import outbox_table as ob
    from samla_common.messaging.relay import outbox_record

    with p.factory() as s:
        records = [outbox_record(r) for r in s.execute(ob.select().order_by(ob.c.id)).mappings()]
    start = time.perf_counter()
    futures = [producer.send(p.topic + ".raw", **r) for r in records]
    producer.flush()
    for f in futures:
        f.get(timeout=30)
    raw_rate = count / (time.perf_counter() - start)
    producer.close()
    p.close()
    return relay_rate, raw_rate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench event-latency", description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seconds", type=float, default=10.0)
    args, _ = parser.parse_known_args(argv)
    broker = Broker(port=free_port()).start()
    report = Report(name="event-latency")
    tmp = Path(tempfile.mkdtemp(prefix="samla-bench-"))
    pg_dbs: list[str] = []

    def url(label: str) -> tuple[str, str]:
        return one_url(f"{label}_out"), one_url(f"{label}_in")

    def one_url(label: str) -> str:
        if args.database == "sqlite":
            return f"sqlite:///{tmp / f'{label}.db'}"
        from samla_common.db import ensure_database

        name = f"samla_bench_{label}_{uuid.uuid4().hex[:6]}"
        full = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        ensure_database(full)
        pg_dbs.append(name)
        return full

    try:
        for rate in (100, 1000):
            result = run_rate(url(f"rate{rate}"), broker.bootstrap, rate, args.seconds if rate == 100 else 5)
            lat = result["latencies_ms"]
            report.add(f"{rate}/s achieved write rate", result["achieved"], "ev/s", reference=rate,
                       target="≈ offered rate", meets=result["achieved"] >= 0.9 * rate)
            for p in (50, 95, 99):
                target, meets = ("", None)
                if rate == 100 and p == 95:
                    target, meets = "p95 < 500 ms at 100 ev/s", percentile(lat, 95) < 500
                report.add(f"{rate}/s latency p{p}", percentile(lat, p), "ms", target=target, meets=meets)
            report.add(f"{rate}/s lost", result["lost"], "events", target="0", meets=result["lost"] == 0)
            report.note(f"{rate}/s: {len(lat)} events, mean {statistics.fmean(lat):.1f} ms")
        relay_rate, raw_rate = relay_throughput(url("relay"), broker.bootstrap, 20_000)
        report.add("relay throughput (20k backlog)", relay_rate, "ev/s", reference=raw_rate,
                   target="ratio to a bare producer sending the same records")
        report.add("bare producer throughput (baseline)", raw_rate, "ev/s")
        report.note(f"database: {args.database}; writer, relay and consumer share one process")
    finally:
        broker.stop()
        if pg_dbs:
            from sqlalchemy import create_engine, text

            admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for name in pg_dbs:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    report.write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
