"""Check-in throughput, "460 people through two doors": `python -m bench.checkin` (also part of `bench.seating`).

The real identity and events services run on free ports (SQLite, no broker: check-in never waits for Kafka).
460 managers are put in the directory, invited, and each registers with their own token and fetches their QR
code as "Min dag" does. Then two door clients work at once, as the door page does: door A scans codes, door B
scans codes and finds about one in ten of its people by name (the ~5 % of all who forgot their code). A few people
are scanned at both doors, so the figures also show that nobody is checked in twice.

The baseline is the same two doors sending the same requests to a bare FastAPI app (same uvicorn, no auth, no
database) in the same run: the ratio says how much of a check-in is Samla's work rather than HTTP on this machine.
"""

from __future__ import annotations

import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from bench.harness import ROOT, Report
from deploy.local.stack import Ports, Stack
from samla_common import migrations

PEOPLE = 460
TWICE = 10  # people whose code is scanned at both doors
MANUAL_SHARE = 0.05
ADMINISTRATIONS = ("ou-utb", "ou-soc", "ou-ks", "ou-sam", "ou-kult", "ou-mil")
LEVELS = ("enhetschef", "enhetschef", "enhetschef", "avdelningschef", "forvaltningschef")


@dataclass
class Visit:
    """One person at a door: a scanned code, or a name search followed by a check-in by id."""

    person_id: str
    token: str
    name: str
    manual: bool


@dataclass
class DoorRun:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)  # people this door checked in (not "already checked in")
    errors: list[str] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def start_services(var_dir: Path) -> Stack:
    """Identity (dev sign-in) and events on free ports, each with its own SQLite database; no broker."""
    env = {f"SAMLA_{svc}_{what}": "false" for svc in ("IDENTITY", "EVENTS") for what in
           ("RELAY_ENABLED", "KAFKA_CONSUMER_ENABLED")} | {"SAMLA_EVENTS_JOBS_ENABLED": "false"}
    stack = Stack(var_dir=var_dir, ports=Ports.free(), color=False, log_file=var_dir / "services.log",
                  extra_env=env)
    for svc in ("identity", "events"):
        migrations.upgrade(svc, f"sqlite:///{var_dir / 'db' / f'{svc}.db'}")
        stack.start_service(svc)
    for svc in ("identity", "events"):
        wait_healthy(f"http://127.0.0.1:{stack.ports.http(svc)}/healthz")
    return stack


def directory(rng: random.Random) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """A municipality with six administrations, 460 managers, an HR admin and two door hosts."""
    units: list[dict[str, object]] = [{"id": "ou-kommun", "name": "Bänkby kommun", "kind": "kommunkoncern",
                                       "parent_id": None}]
    units += [{"id": u, "name": f"Förvaltning {u[3:]}", "kind": "forvaltning", "parent_id": "ou-kommun"}
              for u in ADMINISTRATIONS]
    first = ("Anna", "Erik", "Maria", "Karl", "Sara", "Johan", "Elin", "Ali", "Fatima", "Łukasz", "Olga", "Nils")
    last = ("Andersson", "Berg", "Lind", "Nguyễn", "Holm", "Ek", "Sjöberg", "Öberg", "Karlsson", "Nyström")
    people: list[dict[str, object]] = [
        {"id": f"p-{k:04d}", "name": f"{rng.choice(first)} {rng.choice(last)} {k}", "title": "Chef",
         "level": rng.choice(LEVELS), "org_unit_id": ADMINISTRATIONS[k % len(ADMINISTRATIONS)],
         "email": f"chef{k}@bankby.se"} for k in range(PEOPLE)]
    people += [{"id": "p-admin", "name": "Astrid Admin", "title": "HR", "level": "avdelningschef",
                "org_unit_id": "ou-ks", "roles": ["samla-admin"], "email": "astrid@bankby.se"}]
    people += [{"id": f"p-door-{d}", "name": f"Dörrvärd {d}", "title": "Värd", "level": "enhetschef",
                "org_unit_id": "ou-ks", "roles": ["samla-facilitator"], "email": f"dorr{d}@bankby.se"}
               for d in ("a", "b")]
    return units, people


class Services:
    """Requests to identity and events with the tokens the dev issuer mints."""

    def __init__(self, stack: Stack) -> None:
        self.identity = f"http://127.0.0.1:{stack.ports.http('identity')}"
        self.events = f"http://127.0.0.1:{stack.ports.http('events')}"
        resp = httpx.post(f"{self.identity}/dev/token", data={"grant_type": "client_credentials"},
                          auth=("samla-gateway", stack.client_secret()), timeout=10)
        resp.raise_for_status()
        self.service_token = str(resp.json()["access_token"])

    def token_for(self, client: httpx.Client, person_id: str) -> str:
        resp = client.post(f"{self.identity}/dev/sign-in", json={"person_id": person_id},
                           headers={"authorization": f"Bearer {self.service_token}"})
        resp.raise_for_status()
        return str(resp.json()["access_token"])


def prepare_day(services: Services, rng: random.Random) -> tuple[str, list[Visit], dict[str, str]]:
    """Directory, a day for 460 on today's date, everyone invited and registered; their codes; door tokens."""
    units, people = directory(rng)
    auth = {"authorization": f"Bearer {services.service_token}"}
    with httpx.Client(timeout=30) as client:
        for unit in units:
            client.put(f"{services.identity}/org-units/{unit['id']}", json=unit, headers=auth).raise_for_status()
        for person in people:
            client.put(f"{services.identity}/people/{person['id']}", json=person, headers=auth).raise_for_status()
        admin = {"authorization": f"Bearer {services.token_for(client, 'p-admin')}"}
        today = datetime.now(ZoneInfo("Europe/Stockholm")).date().isoformat()
        day = client.post(f"{services.events}/events", headers=admin, json={
            "title": "Chefsdag i mätningen", "date": today, "starts_at": "00:01", "ends_at": "23:59",
            "venue": "Stora salen", "capacity": PEOPLE, "tables": {"count": 58, "seats_per_table": 8,
                                                                   "accessible": 4}})
        day.raise_for_status()
        event_id = str(day.json()["id"])
        managers = [p for p in people if str(p["id"]).startswith("p-0")]
        client.post(f"{services.events}/events/{event_id}/invitations", headers=admin,
                    json={"org_unit_ids": list(ADMINISTRATIONS)}).raise_for_status()
    visits = register_all(services, event_id, managers)
    with httpx.Client(timeout=30) as client:
        client.post(f"{services.events}/events/{event_id}/start", headers=admin).raise_for_status()
        doors = {d: services.token_for(client, f"p-door-{d}") for d in ("a", "b")}
    return event_id, visits, doors


def register_all(services: Services, event_id: str, managers: list[dict[str, object]]) -> list[Visit]:
    """Each manager signs in, registers and reads their code from "Min dag" (four at a time)."""
    visits: list[Visit] = []
    lock = threading.Lock()
    pending = list(managers)

    def worker() -> None:
        with httpx.Client(timeout=30) as client:
            while True:
                with lock:
                    if not pending:
                        return
                    person = pending.pop()
                own = {"authorization": f"Bearer {services.token_for(client, str(person['id']))}"}
                client.put(f"{services.events}/me/events/{event_id}/registration", headers=own,
                           json={"attending": True, "consent_listed": True}).raise_for_status()
                my_day = client.get(f"{services.events}/me/events/{event_id}", headers=own)
                my_day.raise_for_status()
                code = my_day.json()["check_in"]["token"]
                with lock:
                    visits.append(Visit(str(person["id"]), code, str(person["name"]), manual=False))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if len(visits) != len(managers):
        raise RuntimeError(f"only {len(visits)} of {len(managers)} registered")
    return sorted(visits, key=lambda v: v.person_id)


def queues(visits: list[Visit], rng: random.Random) -> tuple[list[Visit], list[Visit]]:
    """People split between the doors in arrival order; door B searches ~5 % of everyone by name; a few people
    are scanned again at the other door (they walked round), which must change nothing."""
    arrivals = visits[:]
    rng.shuffle(arrivals)
    door_a, door_b = arrivals[: len(arrivals) // 2], arrivals[len(arrivals) // 2:]
    manual = set(rng.sample(range(len(door_b)), round(MANUAL_SHARE * len(arrivals))))
    door_b = [Visit(v.person_id, v.token, v.name, manual=k in manual) for k, v in enumerate(door_b)]
    for k, v in enumerate(rng.sample(door_a, TWICE // 2)):
        door_b.insert(min(len(door_b), 3 * k + 1), Visit(v.person_id, v.token, v.name, manual=False))
    for k, v in enumerate(rng.sample([v for v in door_b if not v.manual], TWICE - TWICE // 2)):
        door_a.insert(min(len(door_a), 3 * k + 1), v)
    return door_a, door_b


def door(base: str, event_id: str, token: str, entrance: str, visits: list[Visit], run: DoorRun,
         start: threading.Barrier) -> None:
    """What the door page does per person: POST the scanned code, or search the name and check in by id."""
    headers = {"authorization": f"Bearer {token}"}
    path = f"{base}/events/{event_id}"
    with httpx.Client(timeout=30, headers=headers) as client:
        client.get(f"{base}/healthz")  # open the connection before the clock starts, as a door page has
        start.wait()
        began = time.perf_counter()
        for visit in visits:
            t0 = time.perf_counter()
            if visit.manual:
                found = client.get(f"{path}/attendees", params={"q": visit.name})
                body = {"person_id": visit.person_id, "entrance": entrance}
                if found.status_code != 200:
                    run.errors.append(f"search {found.status_code}")
            else:
                body = {"token": visit.token, "entrance": entrance}
            resp = client.post(f"{path}/check-in", json=body)
            run.latencies.append(time.perf_counter() - t0)
            if resp.status_code != 200:
                run.errors.append(f"{resp.status_code}: {resp.text[:200]}")
            elif not resp.json().get("already_checked_in", False):
                run.fresh.append(visit.person_id)
        run.seconds = time.perf_counter() - began


def two_doors(base: str, event_id: str, tokens: dict[str, str], door_a: list[Visit],
              door_b: list[Visit]) -> tuple[DoorRun, DoorRun, float]:
    runs = DoorRun(), DoorRun()
    start = threading.Barrier(3)
    threads = [threading.Thread(target=door, args=(base, event_id, tokens[d], f"Entré {d.upper()}", q, r, start))
               for d, q, r in (("a", door_a, runs[0]), ("b", door_b, runs[1]))]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return runs[0], runs[1], time.perf_counter() - began


BARE_APP = '''
from fastapi import FastAPI, Request
app = FastAPI()
ARRIVAL = {"person_id": "p-0001", "number": 1, "name": "Anna Berg", "title": "Chef", "org_unit_name": "Förvaltning",
           "checked_in_at": "2026-11-26T07:45:00Z", "entrance": "Entré A", "already_checked_in": False,
           "walk_in": False, "needs_accessible_seat": False, "accessibility": None}
@app.get("/healthz")
def healthz() -> dict: return {"status": "ok"}
@app.get("/events/{event_id}/attendees")
def attendees(event_id: str, q: str = "") -> list: return [ARRIVAL]
@app.post("/events/{event_id}/check-in")
async def check_in(event_id: str, request: Request) -> dict:
    await request.json()
    return ARRIVAL
'''


def start_bare(var_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The baseline: a FastAPI app doing no work, served by the same uvicorn as the services."""
    (var_dir / "bare_checkin.py").write_text(BARE_APP, encoding="utf-8")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "bare_checkin:app", "--host", "127.0.0.1", "--port",
                             str(port), "--no-access-log", "--log-level", "warning"], cwd=var_dir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(f"{base}/healthz")
    return proc, base


def checked_in_count(services: Services, event_id: str, token: str) -> int:
    resp = httpx.get(f"{services.events}/events/{event_id}/check-in/counts",
                     headers={"authorization": f"Bearer {token}"}, timeout=10)
    resp.raise_for_status()
    return int(resp.json()["checked_in"])


def measure(report: Report, *, seed: int = 7) -> None:
    """Adds the two-door figures (and the bare-endpoint baseline) to `report`."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="samla-bench-checkin-") as tmp:
        var_dir = Path(tmp)
        stack = start_services(var_dir)
        bare: subprocess.Popen[bytes] | None = None
        try:
            services = Services(stack)
            prepared = time.perf_counter()
            event_id, visits, tokens = prepare_day(services, rng)
            report.note(f"check-in: directory, invitations and {PEOPLE} registrations with codes took "
                        f"{time.perf_counter() - prepared:.1f} s (not part of the figures)")
            door_a, door_b = queues(visits, rng)
            a, b, total = two_doors(services.events, event_id, tokens, door_a, door_b)
            bare, bare_base = start_bare(var_dir)
            base_a, base_b, base_total = two_doors(bare_base, event_id, tokens, door_a, door_b)
            checked_in = checked_in_count(services, event_id, tokens["a"])
        finally:
            if bare is not None:
                bare.terminate()
                bare.wait(timeout=10)
            stack.stop_all()
    add_figures(report, a, b, total, base_a, base_b, base_total, checked_in, manual=sum(v.manual for v in door_b))


def rate(run: DoorRun) -> float:
    """Check-ins per second at one door."""
    return len(run.latencies) / run.seconds if run.seconds else 0.0


def add_figures(report: Report, a: DoorRun, b: DoorRun, total: float, base_a: DoorRun, base_b: DoorRun,
                base_total: float, checked_in: int, *, manual: int) -> None:
    fresh = a.fresh + b.fresh
    doubles = len(fresh) - len(set(fresh))
    both, base_both = a.latencies + b.latencies, base_a.latencies + base_b.latencies
    report.add(f"check-in: total time for {PEOPLE} through two doors", total, "s", reference=base_total,
               target="informational (reference: the same requests to a bare FastAPI endpoint)")
    for name, run, base in (("door A (codes)", a, base_a), (f"door B (codes, {manual} by name)", b, base_b)):
        report.add(f"check-in: {name} scans/s", rate(run), "1/s", reference=rate(base), target="informational")
    for p in (50, 95, 99):
        report.add(f"check-in: p{p} per check-in (both doors)", 1000 * percentile(both, p), "ms",
                   reference=1000 * percentile(base_both, p),
                   target="< 1000 ms at p95: a queue moves at a person per second or two" if p == 95 else "",
                   meets=percentile(both, p) < 1.0 if p == 95 else None)
    report.add("check-in: mean per check-in", 1000 * statistics.fmean(both), "ms",
               reference=1000 * statistics.fmean(base_both), target="informational")
    report.add("check-in: double check-ins", doubles, "count", target="0", meets=doubles == 0)
    report.add("check-in: people checked in (events' count)", checked_in, "people", reference=PEOPLE,
               target=f"= {PEOPLE}", meets=checked_in == PEOPLE)
    errors = a.errors + b.errors
    report.add("check-in: failed requests", len(errors), "count", target="0", meets=not errors)
    if errors:
        report.note("check-in errors: " + "; ".join(errors[:5]))
    report.note(f"check-in: {TWICE} people were scanned at both doors; both doors run at once, one person at a "
                f"time each, as a door host does; latency is from request sent to answer read (search + check-in "
                f"for people found by name)")


def main(argv: list[str] | None = None) -> None:
    report = Report(name="checkin")
    measure(report)
    report.write()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
