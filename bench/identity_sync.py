"""`identity-sync`: the Keycloak directory sync of 5 000 people (the demo municipality as Keycloak users and groups).

Keycloak cannot run here, so the Keycloak stand-in of the identity tests serves the realm's Admin REST responses
from another process on loopback, and python-keycloak makes its real HTTP calls. Figures: a full sync into an
empty directory, a sync in which nothing changed (the incremental diff), and the share of each spent reading
Keycloak; references are writing the same people straight through people.service.upsert, and the full sync.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.harness import ROOT, Report

PEOPLE = 5000


def _serve(managers: int, urls: Any) -> None:
    sys.path.insert(0, str(ROOT))
    # The identity tests' Keycloak stand-in, imported by name so that type checking of bench/ stays out of tests/.
    fixtures = "services.identity.tests.fixtures.keycloak"
    realms = importlib.import_module(f"{fixtures}.realms")
    server = importlib.import_module(f"{fixtures}.server")
    kc = server.FakeKeycloak(realms.from_demo(managers=managers)).start()
    urls.put(kc.url)
    time.sleep(3600)


def _database(kind: str, tmp: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp / f'{uuid.uuid4().hex[:8]}.db'}"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/samla_bench_sync_{uuid.uuid4().hex[:8]}"


def run(report: Report, *, database: str = "sqlite", people: int = PEOPLE) -> None:
    """Adds the sync figures to `report`."""
    from pydantic import SecretStr

    from samla_common.db import make_engine, make_session_factory, unit_of_work
    from samla_common.migrations import upgrade
    from samla_identity.config import Settings
    from samla_identity.keycloak_sync import client, mapping, plan, service
    from samla_identity.orgunits import service as orgunits
    from samla_identity.people import service as directory

    ctx = multiprocessing.get_context("spawn")
    urls = ctx.Queue()
    keycloak = ctx.Process(target=_serve, args=(people, urls), daemon=True)
    keycloak.start()
    tmp = Path(tempfile.mkdtemp(prefix="samla-bench-sync-"))
    made: list[str] = []
    try:
        settings = Settings(keycloak_url=urls.get(timeout=120), keycloak_client_secret=SecretStr("s3cret"))

        def connect() -> client.KeycloakDirectory:
            return client.connect(settings)

        def fresh() -> Any:
            url = _database(database, tmp)
            made.append(url)
            upgrade("identity", url)
            return make_session_factory(make_engine(url))

        started = time.perf_counter()
        snapshot = connect().fetch()
        read_s = time.perf_counter() - started
        wanted = mapping.wanted(snapshot)

        db = fresh()
        started, cpu = time.perf_counter(), time.process_time()
        first = service.run(session_factory=db, connect=connect, dry_run=False, trigger="bench")
        full_s, full_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        again = service.run(session_factory=db, connect=connect, dry_run=False, trigger="bench")
        nochange_s, nochange_cpu = time.perf_counter() - started, time.process_time() - cpu
        with unit_of_work(db) as session:
            started = time.perf_counter()
            diff = plan.make(session=session, wanted=wanted)
            diff_s = time.perf_counter() - started

        floor = fresh()
        started, cpu = time.perf_counter(), time.process_time()
        with unit_of_work(floor) as session:
            for unit in wanted.units:
                orgunits.upsert(session=session, data=unit)
            for person in wanted.people:
                directory.upsert(session=session, data=person.data, source="keycloak")
        floor_s, floor_cpu = time.perf_counter() - started, time.process_time() - cpu

        n = first.counts["created"]
        report.add(f"full sync of {n} people into an empty directory", full_s, "s", reference=floor_s,
                   target="ratio to writing the same units and people straight through the directory services")
        report.add("full sync rate", n / full_s, "people/s")
        report.add("no-change sync (read Keycloak, diff, write nothing)", nochange_s, "s", reference=full_s,
                   target="well below the full sync", meets=nochange_s < full_s)
        report.add("no-change sync rate", n / nochange_s, "people/s")
        report.add("full sync CPU time in the identity process", full_cpu, "s", reference=full_s,
                   target="ratio to wall time; far below 1 means waiting (Keycloak, database, a busy machine)")
        report.add("no-change sync CPU time in the identity process", nochange_cpu, "s", reference=nochange_s)
        report.add("direct writes CPU time (the reference)", floor_cpu, "s", reference=floor_s)
        report.add("events written by the no-change sync", again.counts["events"], "events", target="0",
                   meets=again.counts["events"] == 0 and again.counts["unchanged"] == n)
        report.add("reading Keycloak (users, group tree, members, roles)", read_s, "s", reference=nochange_s,
                   target="share of the no-change sync spent on Keycloak's API")
        report.add(f"diff of {n} people against the directory (no I/O to Keycloak)", diff_s * 1000, "ms",
                   target="< 1 s", meets=diff_s < 1 and not diff.people)
        report.add("diff rate", n / diff_s, "people/s")
        report.note(f"database: {database}; {len(snapshot.groups)} groups; Keycloak stand-in in its own process")
        report.note(f"first sync: {first.counts}")
    finally:
        keycloak.terminate()
        for url in made:
            if url.startswith("postgresql"):
                from sqlalchemy import create_engine, text

                admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                                      isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
                admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench identity-sync", description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--people", type=int, default=PEOPLE)
    args, _ = parser.parse_known_args(argv)
    report = Report(name="identity-sync")
    run(report, database=args.database, people=args.people)
    report.write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
