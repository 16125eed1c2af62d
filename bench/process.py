"""Budget process benchmark: the structured input of one process (5,000 participants x 10 areas x 3 events, broken
down by table, administration and level, k-protected) and webhook fan-out to 20 receivers on loopback.

Aggregation is timed twice: in memory (the k-protection and statistics alone) and through the service's own code
path on SQLite (reading every answer of the three priority prompts, then the same work). Fan-out queues N status
changes for 20 subscribers and runs the service's sender until every delivery is acknowledged; receivers count
distinct Samla-Delivery-Ids, so a lost or duplicated delivery shows.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench.harness import Report

PARTICIPANTS, AREAS, EVENTS, RECEIVERS = 5000, 10, 3, 20
ADMINISTRATIONS = [f"ou-{i}" for i in range(12)]
LEVELS = ["enhetschef", "avdelningschef", "verksamhetschef", "forvaltningschef"]
K = 5


def _allocation(rng: random.Random) -> dict[str, int]:
    cuts = sorted(rng.randint(0, 100) for _ in range(AREAS - 1))
    points = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    return {f"area-{j}": p for j, p in enumerate(points) if p}


def _people(rng: random.Random) -> list[tuple[str, str, str]]:
    """(table, administration, level): 10 per table, administrations of very different sizes."""
    weights = [0.3, *(1 + i * i for i in range(1, len(ADMINISTRATIONS)))]  # the first one is tiny
    return [(f"T{i // 10}", rng.choices(ADMINISTRATIONS, weights)[0], rng.choices(LEVELS, [60, 25, 10, 5])[0])
            for i in range(PARTICIPANTS)]


def aggregation_in_memory(report: Report) -> None:
    from samla_feedback.processes.aggregation import Unit, aggregate

    rng = random.Random(7)
    people = _people(rng)
    areas = [f"area-{j}" for j in range(AREAS)]
    events = [[Unit(t, a, lvl, 1, {k: float(v) for k, v in _allocation(rng).items()}) for t, a, lvl in people]
              for _ in range(EVENTS)]
    start = time.perf_counter()
    results = [aggregate(units, areas, ["table", "administration", "level"], K) for units in events]
    elapsed = time.perf_counter() - start
    cells = sum(len(r) for r in results)
    published = sum(1 for r in results for c in r if not c.suppressed)
    total = results[0][0]
    exact = sum(u.values.get("area-0", 0.0) for u in events[0])
    report.add("aggregation in memory, 3 events (k-protected)", elapsed, "s", target="<= 2 s", meets=elapsed <= 2)
    report.add("cells per run (3 events)", cells, "cells")
    report.add("published cells", published, "cells")
    report.add("total of area-0 equals the sum of inputs", float(total.areas[0].total == exact), "bool",
               meets=total.areas[0].total == exact)


def aggregation_through_the_service(report: Report, workdir: Path) -> None:
    from sqlalchemy import insert

    from samla_common.db import make_engine, make_session_factory, unit_of_work
    from samla_common.migrations import upgrade
    from samla_feedback.processes import inputs
    from samla_feedback.processes.models import Process
    from samla_feedback.prompts.models import Prompt
    from samla_feedback.responses.models import Response

    url = f"sqlite:///{workdir / 'feedback.db'}"
    upgrade("feedback", url)
    factory = make_session_factory(make_engine(url))
    rng = random.Random(11)
    people = _people(rng)
    now = datetime.now(UTC)
    options = [{"id": f"area-{j}", "label": f"Område {j}"} for j in range(AREAS)]
    prompt_ids = []
    with unit_of_work(factory) as session:
        for e in range(EVENTS):
            prompt_id = str(uuid.uuid4())
            prompt_ids.append(prompt_id)
            session.add(Prompt(id=prompt_id, event_id=f"chefsdag-{e}", section="dialogue", position=0,
                               kind="priority", audience="individual", anonymous=False, title="Fördela 100 poäng",
                               options=options, points_total=100, breakdowns=["table", "administration", "level"],
                               status="closed", created_at=now, scale_labels={}))
            session.flush()
            session.execute(insert(Response), [
                {"id": str(uuid.uuid4()), "prompt_id": prompt_id, "respondent_key": f"p:{i}", "person_id": f"p{i}",
                 "table_id": t, "administration_id": a, "level": lvl, "group_size": 1,
                 "value": {"points": _allocation(rng)}, "created_at": now, "updated_at": now}
                for i, (t, a, lvl) in enumerate(people)])
        session.add(Process(id="budget-bench", title="Budget (bench)", kind="budget", owner_id="o", phases=[],
                            event_ids=[f"chefsdag-{e}" for e in range(EVENTS)], prompt_ids=prompt_ids, areas=[],
                            created_at=now, updated_at=now))
    with factory() as session:
        process = session.get(Process, "budget-bench")
        assert process is not None
        start = time.perf_counter()
        items = inputs.process_input(session=session, process=process)
        elapsed = time.perf_counter() - start
    report.add("aggregation via service on SQLite, 3 x 5,000 answers", elapsed, "s", target="<= 2 s",
               meets=elapsed <= 2)
    report.add("prompts aggregated", len(items), "prompts")


class _Counter:
    def __init__(self) -> None:
        self.ids: list[str] = []
        self.lock = threading.Lock()

    def handler(self) -> type[BaseHTTPRequestHandler]:
        counter = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["content-length"]))
                with counter.lock:
                    counter.ids.append(self.headers["samla-delivery-id"])
                self.send_response(204)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def fan_out(report: Report, workdir: Path, changes: int) -> None:
    from samla_common.db import make_engine, make_session_factory, unit_of_work
    from samla_common.migrations import upgrade
    from samla_feedback.webhooks import service as webhooks
    from samla_feedback.webhooks.sender import Sender

    url = f"sqlite:///{workdir / 'webhooks.db'}"
    upgrade("feedback", url)
    factory = make_session_factory(make_engine(url))
    counters, servers = [], []
    for _ in range(RECEIVERS):
        counter = _Counter()
        server = ThreadingHTTPServer(("127.0.0.1", 0), counter.handler())
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        counters.append(counter)
        servers.append(server)
    with unit_of_work(factory) as session:
        for server in servers:
            webhooks.subscribe(session=session, url=f"http://127.0.0.1:{server.server_address[1]}/hook",
                               secret="bench-secret-0123456789", event_types=[], process_id=None, description=None,
                               created_by="bench")
    sender = Sender(session_factory=factory, timeout=5, concurrency=32, poll=0.01, batch=500)
    start = time.perf_counter()
    for n in range(changes):
        with unit_of_work(factory) as session:
            webhooks.enqueue(session, event_type="se.samla.feedback.theme.status_changed.v1", process_id="bench",
                             data={"process_id": "bench", "subject_id": f"s{n}", "status": "decided"})
    queued = time.perf_counter() - start
    expected = changes * RECEIVERS
    sender.start()
    deadline = time.monotonic() + 120
    while sum(len(c.ids) for c in counters) < expected and time.monotonic() < deadline:
        time.sleep(0.01)
    elapsed = time.perf_counter() - start
    sender.stop()
    for server in servers:
        server.shutdown()
        server.server_close()
    received = {i for c in counters for i in c.ids}
    total = sum(len(c.ids) for c in counters)
    report.add(f"webhook fan-out: {changes} changes x {RECEIVERS} receivers", expected / elapsed, "deliv/s",
               target="higher is better")
    report.add("time to queue (in the change's transactions)", queued, "s")
    report.add("deliveries lost", expected - len(received), "deliveries", target="0",
               meets=len(received) == expected)
    report.add("deliveries duplicated", total - len(received), "deliveries", target="0 (at-least-once allows more)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench process", description=__doc__)
    parser.add_argument("--changes", type=int, default=100, help="status changes fanned out to 20 receivers")
    args, _ = parser.parse_known_args(argv)
    report = Report(name="process")
    with tempfile.TemporaryDirectory() as tmp:
        aggregation_in_memory(report)
        aggregation_through_the_service(report, Path(tmp))
        fan_out(report, Path(tmp), args.changes)
    report.note(f"{PARTICIPANTS} participants at tables of 10, {len(ADMINISTRATIONS)} administrations, "
                f"{len(LEVELS)} levels, {AREAS} areas, {EVENTS} events, k={K}")
    report.write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
