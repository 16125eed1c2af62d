"""`samla` command: migrations and outbox replay for operators (the runbook's tools)."""

from __future__ import annotations

import argparse
import importlib
import sys
from datetime import UTC, datetime

from samla_common.config import ServiceSettings

SERVICES = ("identity", "events", "feedback", "network")


def _settings(service: str) -> ServiceSettings:
    settings: ServiceSettings = importlib.import_module(f"samla_{service}.config").get_settings()
    return settings


def cmd_migrate(args: argparse.Namespace) -> int:
    from samla_common.migrations import upgrade

    for service in args.services or SERVICES:
        s = _settings(service)
        upgrade(service, s.database_url)
        print(f"{service}: migrated ({s.database_url.split('@')[-1]})")
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from samla_common.db import make_engine, make_session_factory
    from samla_common.messaging.clients import ensure_topics, make_producer
    from samla_common.messaging.replay import replay
    from samla_contracts.topics import catalogue, partitions_for

    since = datetime.fromisoformat(args.since)
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    until = datetime.fromisoformat(args.until).replace(tzinfo=UTC) if args.until else None
    total = 0
    first = _settings((args.services or SERVICES)[0])
    # A broker that lost its data must hold every topic as topics.yaml says before anything is republished.
    created = ensure_topics(args.bootstrap or first.kafka_bootstrap_servers,
                            {t: partitions_for(t) for t in catalogue()}, **first.kafka_options())
    if created:
        print(f"created topics: {', '.join(created)}")
    for service in args.services or SERVICES:
        s = _settings(service)
        factory = make_session_factory(make_engine(s.database_url))
        producer = make_producer(args.bootstrap or s.kafka_bootstrap_servers, **s.kafka_options())
        try:
            n = replay(session_factory=factory, producer=producer, since=since, until=until, topic=args.topic)
        finally:
            producer.close(timeout=5)
        print(f"{service}: republished {n} events since {since.isoformat()}")
        total += n
    print(f"total: {total}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="samla", description="Samla operator commands")
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("migrate", help="run Alembic migrations (creates PostgreSQL databases if missing)")
    m.add_argument("services", nargs="*", metavar="service", help="default: all")
    m.set_defaults(fn=cmd_migrate)
    r = sub.add_parser("replay", help="republish outbox events from a point in time (after a broker loss)")
    r.add_argument("--since", required=True, help="ISO time, e.g. 2026-11-26T08:00 (UTC unless an offset is given)")
    r.add_argument("--until", help="ISO time (default: now)")
    r.add_argument("--topic", help="only this topic")
    r.add_argument("--bootstrap", help="broker address (default: KAFKA_BOOTSTRAP_SERVERS)")
    r.add_argument("services", nargs="*", metavar="service")
    r.set_defaults(fn=cmd_replay)
    args = parser.parse_args(argv)
    return int(args.fn(args))


if __name__ == "__main__":
    sys.exit(main())
