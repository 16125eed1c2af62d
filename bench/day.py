"""`day`: the whole chefsdag compressed, N = 460 and then N = 5,000 participants on the real stack.

The stack is started as `make run` starts it (deploy/local/stack.py: Tansu broker, identity, events, feedback,
network, gateway; SQLite, or PostgreSQL with --database postgresql) on free ports, and the demo municipality's
generator (samla_identity.demo) is loaded through the gateway with a service token, N managers large. Then every
participant is a real HTTP client (`day_client.Participant`: its own aiohttp session with keep-alive and its own
bearer token, minted with the dev issuer's key as its /dev/sign-in would; aiohttp because the load generator shares
the cores it measures) going through the gateway at /api/<service>/...:

1. registers for the day and reads "Min dag" (its QR code), arrivals spread at 100 a second;
2. opens the big-screen board stream (`GET /live/events/{id}/board`, Server-Sent Events) and holds it to the end;
3. is scanned in at a door: two door clients (one more per 230 people), one scan after the other as the door
   page does; 10 % arrive late, during the first prompt, and an admin re-seats them (seating late changes:
   walk-ins, ten at a time) in the plan made from the people checked in on time;
3b. the plan is published and everyone checked in opens "Min dag" within 5 seconds to find their table;
4. answers three prompts in bursts: a facilitator opens the prompt, everyone answers within 5 seconds;
5. during the third burst 5 % ask questions, a moderator approves each, then everyone upvotes two.

Figures per operation (count, throughput, p50/p95/p99, errors) with the same request pattern replayed against a
bare FastAPI app doing no work as the reference; board freshness (answer or vote sent → a board frame showing it);
what was lost (acknowledged but not stored, streams that missed the last board); CPU seconds and peak RSS per
process; the top functions of the busiest service (bench/day_profile.py samples every service); and what one
more node would buy. Load generator and stack share the machine's cores, so latencies include that contention.

Bench setting: the gateway's per-person rate limit is raised (SAMLA_GATEWAY_RATE_LIMIT_PERSON_PER_SECOND=1000,
_BURST=10000) because a compressed day's door and moderator clients act faster than people can (a door host
scans one code every second or two, and 10/s with a burst of 100 is the default). Participants stay far below
the default; everyone comes from 127.0.0.1, but the per-IP bucket meters only requests without a signed-in person.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bench.day_client import (
    BigScreen,
    Meter,
    Participant,
    Phone,
    ProcessWatch,
    participant_client,
    replay,
)
from bench.day_stats import ProcessLoad, freshness_ms, one_more_node, percentile, summarize, vote_outcomes
from bench.harness import Report
from bench.live_burst import Issuer
from deploy.local.demo import service_token
from deploy.local.stack import ROOT, SERVICES, Ports, Stack, wait_for_port

REGISTER_RATE = 100.0  # participants registering per second
PHONE_RATE = 250.0  # board streams opened per second
PEOPLE_PER_DOOR = 230
LATE_SHARE = 0.10
RESEAT_BATCH = 10
PROMPTS = 3
WINDOW = 5.0  # everyone answers a prompt within this many seconds
ASK_SHARE = 0.05
VOTES_EACH = 2
BENCH_ENV = {"SAMLA_GATEWAY_RATE_LIMIT_PERSON_PER_SECOND": "1000", "SAMLA_GATEWAY_RATE_LIMIT_PERSON_BURST": "10000"}
ADMIN, FACILITATOR, MODERATOR, DOOR0 = -1, -2, -3, -100


@dataclass
class DayStack(Stack):
    """The `make run` stack with every service started through the sampling profiler (bench/day_profile.py)."""

    profile_dir: Path | None = None

    def start_service(self, name: str) -> None:
        if self.profile_dir is None:
            super().start_service(name)
            return
        port = self.ports.gateway if name == "gateway" else self.ports.http(name)
        self._spawn(name, [sys.executable, "-m", "bench.day_profile", str(self.profile_dir / f"{name}.json"),
                           "--", f"samla_{name}.main:app", "--host", "127.0.0.1", "--port", str(port),
                           "--no-access-log", "--log-level", "warning"])

    def signal_services(self, sig: int) -> None:
        """Tells the profilers to start or write (SIGUSR1/2); without them the signal would end the services."""
        if self.profile_dir is None:
            return
        for name in (*SERVICES, "gateway"):
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is None:
                os.kill(proc.pid, sig)


@dataclass
class Day:
    """One measured day: its ids and what was acknowledged, to check against what the services stored."""

    n: int
    event_id: str
    people: list[str]
    meter: Meter
    clients: dict[int, Participant]
    codes: dict[int, str] = field(default_factory=dict)
    checked_in: set[int] = field(default_factory=set)
    found_tables: set[int] = field(default_factory=set)  # who saw their table there
    reseated: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    answers: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)  # prompt -> (sent, acked)
    questions: list[str] = field(default_factory=list)
    votes: dict[str, tuple[list[float], list[float]]] = field(default_factory=dict)  # question -> (sent, acked)
    vote_posts: Counter[str] = field(default_factory=Counter)  # question -> votes sent, answered or not
    phones: list[Phone] = field(default_factory=list)

    def path(self, tail: str) -> str:
        return f"/api/events/events/{self.event_id}{tail}"


# ---- setup (not measured) --------------------------------------------------------------------------------------
def load_directory(stack: Stack, n: int) -> list[str]:
    """The demo municipality with n managers, through the gateway as an HR import would; returns person ids."""
    from samla_identity.demo.generator import generate

    units, people = generate(managers=n)
    headers = {"authorization": f"Bearer {service_token(stack)}"}
    base = f"{stack.gateway_url}/api/identity"
    retried: list[int] = []

    async def put_all() -> None:
        async with httpx.AsyncClient(headers=headers, timeout=60) as client:
            for u in units:  # parents before children
                (await client.put(f"{base}/org-units/{u.id}", json={"id": u.id, "name": u.name, "kind": u.kind,
                                                                      "parent_id": u.parent_id})).raise_for_status()
            gate = asyncio.Semaphore(8)

            async def put(p: Any) -> None:
                async with gate:
                    body = {"id": p.id, "name": p.name, "email": p.email, "title": p.title, "level": p.level,
                            "org_unit_id": p.org_unit_id, "manager_id": p.manager_id, "location": p.location,
                            "languages": list(p.languages), "roles": list(p.roles)}
                    for attempt in range(6):  # setup on a loaded machine: an idempotent PUT may be retried
                        resp = await client.put(f"{base}/people/{p.id}", json=body)
                        if resp.status_code < 500 or attempt == 5:
                            resp.raise_for_status()
                            return
                        retried.append(resp.status_code)
                        await asyncio.sleep(1 + attempt)

            await asyncio.gather(*(put(p) for p in people))

    asyncio.run(put_all())
    if retried:
        print(f"directory load: {len(retried)} PUTs retried after {sorted(set(retried))}", flush=True)
    return [p.id for p in people]


def create_day(stack: Stack, admin: str, n: int, directory_size: int) -> str:
    """A day for n on today's date with room for everyone, once events knows the whole directory; all invited."""
    headers = {"authorization": f"Bearer {admin}"}
    base = f"{stack.gateway_url}/api/events/events"
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date().isoformat()
    tables = min(1000, math.ceil(n / 10) + 10)
    with httpx.Client(headers=headers, timeout=120) as client:
        day = client.post(base, json={"title": f"Chefsdag i mätningen ({n})", "date": today, "starts_at": "00:01",
                                      "ends_at": "23:59", "venue": "Stora salen", "capacity": n,
                                      "tables": {"count": tables, "seats_per_table": 10, "accessible": 4}})
        day.raise_for_status()
        event_id = str(day.json()["id"])
        rounds = [{"kind": "dialogue", "title": f"Dialogrunda {r}", "starts_at": f"{8 + r:02d}:00",
                   "ends_at": f"{8 + r:02d}:45", "round_no": r} for r in range(1, PROMPTS + 1)]
        client.put(f"{base}/{event_id}/agenda", json={"items": rounds}).raise_for_status()
        deadline = time.monotonic() + 600
        while True:  # the people reach events over Kafka (identity.person.v1)
            reached = client.post(f"{base}/{event_id}/invitations/preview", json={}).json().get("reached", 0)
            if reached >= directory_size or time.monotonic() > deadline:
                break
            time.sleep(1)
        client.post(f"{base}/{event_id}/invitations", json={}).raise_for_status()
    return event_id


# ---- the day (measured) ------------------------------------------------------------------------------------------
async def at(start: float, offset: float) -> None:
    await asyncio.sleep(max(0.0, start + offset - time.perf_counter()))


async def register(day: Day) -> None:
    day.meter.start_phase("register")
    start = time.perf_counter()

    async def one(i: int) -> None:
        await at(start, i / REGISTER_RATE)
        c = day.clients[i]
        if await day.meter.request(c, i, "register", "PUT", f"/api/events/me/events/{day.event_id}/registration",
                                   {"attending": True, "consent_listed": True}) is None:
            return
        mine = await day.meter.request(c, i, "my day (QR code)", "GET", f"/api/events/me/events/{day.event_id}")
        if mine is not None and mine.json().get("check_in"):
            day.codes[i] = str(mine.json()["check_in"]["token"])

    await asyncio.gather(*(one(i) for i in range(day.n)))


async def open_phones(day: Day, port: int, tokens: list[str]) -> None:
    path = f"/live/events/{day.event_id}/board"
    start = time.perf_counter()
    for i in range(day.n):
        await at(start, i / PHONE_RATE)
        phone = Phone(port, path, tokens[i])
        day.phones.append(phone)
        await phone.open()
    deadline = time.monotonic() + 120  # a phone still without a frame then shows in the figures, not as a crash
    while time.monotonic() < deadline and any(p.first_frame_ms is None and not p.closed for p in day.phones):
        await asyncio.sleep(0.1)


async def doors(day: Day, people: list[int], reseat: asyncio.Lock | None) -> None:
    """Door clients scanning codes one after the other; with `reseat`, the admin seats each ten late arrivals."""
    count = max(2, math.ceil(day.n / PEOPLE_PER_DOOR))
    queues = [people[d::count] for d in range(count)]

    async def door(d: int, queue: list[int]) -> None:
        arrived: list[str] = []
        for i in queue:
            if i not in day.codes:
                continue
            ok = await day.meter.request(day.clients[DOOR0 - d], DOOR0 - d, "check-in (QR scan)", "POST",
                                         day.path("/check-in"), {"token": day.codes[i], "entrance": f"Entré {d + 1}"})
            if ok is not None:
                day.checked_in.add(i)
                arrived.append(day.people[i])
            if reseat is not None and (len(arrived) >= RESEAT_BATCH or (arrived and i == queue[-1])):
                batch, arrived = arrived, []
                async with reseat:  # one admin
                    if await day.meter.request(day.clients[ADMIN], ADMIN, "re-seat late arrivals", "POST",
                                               day.path("/seating/changes"), {"walk_ins": batch}) is not None:
                        day.reseated += batch

    await asyncio.gather(*(door(d, q) for d, q in enumerate(queues)))


async def tables_on_phones(day: Day) -> None:
    """The seating plan is published and everyone checked in opens "my day" within the window to find their table."""
    day.meter.start_phase("tables")
    seated = sorted(day.checked_in)
    start = time.perf_counter()

    async def one(k: int, i: int) -> None:
        await at(start, k * WINDOW / len(seated))
        mine = await day.meter.request(day.clients[i], i, "my day (tables)", "GET",
                                       f"/api/events/me/events/{day.event_id}")
        if mine is not None and mine.json().get("tables"):
            day.found_tables.add(i)

    await asyncio.gather(*(one(k, i) for k, i in enumerate(seated)))


async def open_prompt(day: Day, k: int) -> str | None:
    c = day.clients[FACILITATOR]
    made = await day.meter.request(c, FACILITATOR, "create + open prompt", "POST",
                                   f"/api/feedback/events/{day.event_id}/prompts",
                                   {"kind": "scale", "title": f"Fråga {k}: hur väl stämmer det?",
                                    "scale": {"min": 1, "max": 5}})
    if made is None:
        return None
    prompt_id = str(made.json()["id"])
    if await day.meter.request(c, FACILITATOR, "create + open prompt", "POST",
                               f"/api/feedback/prompts/{prompt_id}/open") is None:
        return None
    return prompt_id


async def answer_burst(day: Day, prompt_id: str, rng: random.Random) -> None:
    sent: list[float] = []
    acked: list[float] = []
    start = time.perf_counter()

    async def one(i: int) -> None:
        await at(start, i * WINDOW / day.n)
        t0 = time.perf_counter()
        if await day.meter.request(day.clients[i], i, "answer prompt", "POST",
                                   f"/api/feedback/prompts/{prompt_id}/responses",
                                   {"scale": rng.randint(1, 5)}) is not None:
            sent.append(t0)
            acked.append(time.perf_counter())

    await asyncio.gather(*(one(i) for i in range(day.n)))
    day.answers[prompt_id] = (sent, acked)


async def questions(day: Day, rng: random.Random) -> None:
    """5 % ask within the window, the moderator approves each as it comes, then everyone upvotes two."""
    askers = rng.sample(range(day.n), max(3, round(ASK_SHARE * day.n)))
    start = time.perf_counter()
    approvals: asyncio.Queue[str | None] = asyncio.Queue()

    async def ask(k: int, i: int) -> None:
        await at(start, k * WINDOW / len(askers))
        made = await day.meter.request(day.clients[i], i, "ask question", "POST",
                                       f"/api/feedback/events/{day.event_id}/questions",
                                       {"text": f"Hur prioriterar vi {k} när ramarna minskar?",
                                        "anonymous": k % 2 == 0})
        if made is not None:
            await approvals.put(str(made.json()["id"]))

    async def moderate() -> None:
        while (question_id := await approvals.get()) is not None:
            if await day.meter.request(day.clients[MODERATOR], MODERATOR, "approve question", "POST",
                                       f"/api/feedback/questions/{question_id}/approve") is not None:
                day.questions.append(question_id)

    moderator = asyncio.create_task(moderate())
    await asyncio.gather(*(ask(k, i) for k, i in enumerate(askers)))
    await approvals.put(None)
    await moderator
    if not day.questions:
        return
    for q in day.questions:
        day.votes[q] = ([], [])
    start = time.perf_counter()

    async def vote(i: int) -> None:
        for v, question_id in enumerate(rng.sample(day.questions, min(VOTES_EACH, len(day.questions)))):
            await at(start, (i + v / VOTES_EACH) * 2 * WINDOW / day.n)
            t0 = time.perf_counter()
            day.vote_posts[question_id] += 1
            resp = await day.meter.request(day.clients[i], i, "upvote question", "POST",
                                           f"/api/feedback/questions/{question_id}/votes")
            if resp is not None and resp.status_code == 201:
                day.votes[question_id][0].append(t0)
                day.votes[question_id][1].append(time.perf_counter())

    await asyncio.gather(*(vote(i) for i in range(day.n)))


async def run_day(stack: DayStack, n: int, people: list[str], event_id: str, issuer: Issuer, report: Report,
                  bare_base: str, pids: dict[str, int], seed: int) -> None:
    rng = random.Random(seed)
    tokens = [issuer.token(pid) for pid in people[:n]]
    staff = {ADMIN: issuer.token("bench-admin", ("samla-admin",)),
             FACILITATOR: issuer.token("bench-facilitator", ("samla-facilitator",)),
             MODERATOR: issuer.token("bench-moderator", ("samla-facilitator",))}
    door_count = max(2, math.ceil(n / PEOPLE_PER_DOOR))
    staff |= {DOOR0 - d: issuer.token(f"bench-door-{d}", ("samla-facilitator",)) for d in range(door_count)}
    clients = {i: Participant(t) for i, t in enumerate(tokens)} | {k: Participant(t) for k, t in staff.items()}
    day = Day(n=n, event_id=event_id, people=people[:n], meter=Meter(stack.gateway_url), clients=clients)
    screen_client = participant_client(staff[FACILITATOR])
    screen = BigScreen(screen_client, f"{stack.gateway_url}/live/events/{event_id}/board")
    p = f"N={n}"
    stack.signal_services(signal.SIGUSR1)  # profiles cover this day only
    watch = ProcessWatch(pids, own_only={"load generator"})
    began = time.perf_counter()
    live = True
    try:
        await register(day)
        try:
            await screen.start()
        except (httpx.HTTPError, TimeoutError) as exc:
            live = False
            report.note(f"{p}: the live board stream is not there ({type(exc).__name__}); measured without it")
        if live:
            await open_phones(day, stack.ports.gateway, tokens)
        day.meter.start_phase("start")
        await day.meter.request(clients[ADMIN], ADMIN, "start the day", "POST", day.path("/start"))
        late = set(rng.sample(range(n), round(LATE_SHARE * n)))
        day.meter.start_phase("doors")
        await doors(day, [i for i in range(n) if i not in late], None)
        planned = await day.meter.request(clients[ADMIN], ADMIN, "plan seating (checked in)", "POST",
                                          day.path("/seating"), {"time_limit_seconds": 5})
        if planned is None:
            report.note(f"{p}: seating plan failed: {day.meter.failures[-1:]}")
        elif await day.meter.request(clients[ADMIN], ADMIN, "publish seating", "POST",
                                     day.path("/seating/publish")) is not None:
            await tables_on_phones(day)
        for k in range(1, PROMPTS + 1):
            day.meter.start_phase(f"prompt {k}")
            prompt_id = await open_prompt(day, k)
            if prompt_id is None:
                continue
            day.prompts.append(prompt_id)
            work = [answer_burst(day, prompt_id, rng)]
            if k == 1:
                work.append(doors(day, sorted(late), asyncio.Lock()))
            if k == PROMPTS:
                work.append(questions(day, rng))
            await asyncio.gather(*work)
            if live:
                acked = len(day.answers[prompt_id][1])
                await screen.wait(lambda s, pid=prompt_id, a=acked: any(
                    c >= a for _, c in s.answers_shown(pid)[-1:]), timeout=60)
        if live and day.votes:
            await screen.wait(lambda s: all(any(c >= len(a) for _, c in s.votes_shown(q)[-1:])
                                            for q, (_, a) in day.votes.items() if s.votes_shown(q)), timeout=60)
        wall = time.perf_counter() - began
        stack.signal_services(signal.SIGUSR2)
        loads = watch.finish()
        await verify(day, stack, staff[ADMIN], report, screen if live else None)
        bare_meter = Meter(bare_base)
        await replay(day.meter.plan, bare_meter, clients)
    finally:
        for phone in day.phones:
            await phone.close()
        await screen.stop()
        await screen_client.aclose()
        await asyncio.gather(*(c.aclose() for c in clients.values()))
    add_op_figures(report, p, day, bare_meter, n)
    if live:
        add_freshness(report, p, day, screen)
    add_process_figures(report, p, loads, wall, stack)


async def verify(day: Day, stack: Stack, admin: str, report: Report, screen: BigScreen | None) -> None:
    """What the services stored against what they acknowledged: nothing may be lost or counted twice."""
    p = f"N={day.n}"
    headers = {"authorization": f"Bearer {admin}"}
    async with httpx.AsyncClient(base_url=stack.gateway_url, headers=headers, timeout=120) as c:
        counts = await read_back(c, day.path("/check-in/counts"))
        report.add(f"{p} registered (events' count)", counts["registered"], "people", reference=day.n,
                   target=f"= {day.n}", meets=counts["registered"] == day.n)
        report.add(f"{p} checked in (events' count vs acknowledged)", counts["checked_in"], "people",
                   reference=len(day.checked_in), target="= acknowledged", meets=counts["checked_in"] ==
                   len(day.checked_in) == day.n)
        lost = doubled = 0
        for prompt_id in day.prompts:
            stored = int((await read_back(c, f"/api/feedback/prompts/{prompt_id}/results"))["respondents"])
            acked = len(day.answers[prompt_id][1])
            lost += max(0, acked - stored)
            doubled += max(0, stored - day.n)
        report.add(f"{p} answers lost (acknowledged, not stored)", lost, "answers", target="0", meets=lost == 0)
        report.add(f"{p} answers double-counted", doubled, "answers", target="0", meets=doubled == 0)
        wall = await read_back(c, f"/api/feedback/events/{day.event_id}/questions?limit=500")
        on_wall = {q["id"]: q["votes"] for q in wall["questions"]}
        missing_q = sum(q not in on_wall for q in day.questions)
        votes_lost, votes_doubled, unanswered = vote_outcomes(
            on_wall, {q: len(a) for q, (_, a) in day.votes.items()}, day.vote_posts)
        report.add(f"{p} approved questions missing from the wall", missing_q, "questions", target="0",
                   meets=missing_q == 0)
        report.add(f"{p} votes lost (acknowledged, not on the wall)", votes_lost, "votes", target="0",
                   meets=votes_lost == 0)
        report.add(f"{p} votes counted twice (on the wall beyond votes sent)", votes_doubled, "votes", target="0",
                   meets=votes_doubled == 0)
        if unanswered:
            report.note(f"{p}: {unanswered} votes are on the wall although the phone got no answer (it gave up "
                        "waiting); a phone that tries again is told the vote was already counted")
        looked = sum(1 for planned in day.meter.plan if planned.op == "my day (tables)")
        report.add(f"{p} tables shown on my day after publishing", len(day.found_tables), "people",
                   reference=looked, target="all who looked", meets=looked > 0 and len(day.found_tables) == looked)
        plan = await read_back(c, day.path("/seating"), missing_ok=True)
        seated = {pid for t in plan.get("rounds", [{}])[0].get("tables", []) for pid in t["person_ids"]} \
            if plan.get("rounds") else set()
        unseated = sum(pid not in seated for pid in day.reseated)
        report.add(f"{p} late arrivals re-seated (in round 1)", len(day.reseated) - unseated, "people",
                   reference=round(LATE_SHARE * day.n), target="all late arrivals",
                   meets=unseated == 0 and len(day.reseated) == round(LATE_SHARE * day.n))
    if screen is not None:
        final = screen.cursor
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(ph.last_id < final and not ph.closed for ph in day.phones):
            await asyncio.sleep(0.2)
        behind = sum(ph.last_id < final for ph in day.phones)
        dropped = [ph.error or "closed" for ph in day.phones if ph.closed]
        report.add(f"{p} board streams held to the end", day.n - len(dropped), "streams", reference=day.n,
                   target="all", meets=not dropped)
        report.add(f"{p} streams that missed the last board", behind, "streams", target="0", meets=behind == 0)
        if dropped:
            report.note(f"{p}: dropped streams: {sorted(set(dropped))[:5]}")
        firsts = [ph.first_frame_ms for ph in day.phones if ph.first_frame_ms is not None]
        report.add(f"{p} board stream: open → first frame p99", percentile(firsts, 99), "ms",
                   target=f"p99 ≤ {target_ms(day.n)} ms", meets=percentile(firsts, 99) <= target_ms(day.n))
        report.add(f"{p} board frames per phone (mean)", sum(ph.frames for ph in day.phones) / day.n, "frames")
    if day.meter.failures:
        report.note(f"{p}: first failures: {day.meter.failures[:5]}")


async def read_back(client: httpx.AsyncClient, path: str, *, missing_ok: bool = False) -> dict[str, Any]:
    """A read after the day, asked again while a loaded service is still catching up (up to a minute)."""
    for attempt in range(12):
        resp = await client.get(path)
        if resp.status_code == 200 or (missing_ok and resp.status_code == 404):
            return dict(resp.json()) if resp.status_code == 200 else {}
        await asyncio.sleep(min(10, 1 + attempt))
    raise RuntimeError(f"reading {path} after the day failed: {resp.status_code} {resp.text[:200]}")


def target_ms(n: int) -> int:
    return 250 if n <= 460 else 1000


def add_op_figures(report: Report, p: str, day: Day, bare: Meter, n: int) -> None:
    ours, base = summarize(day.meter.calls), summarize(bare.calls)
    for op, s in ours.items():
        b = base.get(op)
        report.add(f"{p} {op}: count", s.count, "requests")
        report.add(f"{p} {op}: throughput", s.throughput, "req/s", reference=b.throughput if b else None)
        report.add(f"{p} {op}: p50", s.p50, "ms", reference=b.p50 if b else None)
        report.add(f"{p} {op}: p95", s.p95, "ms", reference=b.p95 if b else None)
        report.add(f"{p} {op}: p99 (ref: bare FastAPI)", s.p99, "ms", reference=b.p99 if b else None,
                   target=f"≤ {target_ms(n)} ms", meets=s.p99 <= target_ms(n))
        report.add(f"{p} {op}: errors", s.errors, "requests", target="0", meets=s.errors == 0)
        if s.errors:
            report.note(f"{p} {op}: statuses {s.statuses}")
    every = [c.latency_ms for c in day.meter.calls]
    report.add(f"{p} all requests: p99 (ref: bare FastAPI)", percentile(every, 99), "ms",
               reference=percentile([c.latency_ms for c in bare.calls], 99), target=f"≤ {target_ms(n)} ms",
               meets=percentile(every, 99) <= target_ms(n))
    errors = sum(not c.ok for c in day.meter.calls)
    report.add(f"{p} all requests: errors", errors, "requests", reference=len(every), target="0",
               meets=errors == 0)


def add_freshness(report: Report, p: str, day: Day, screen: BigScreen) -> None:
    answers = [d for pid, (sent, acked) in day.answers.items()
               for d in freshness_ms(sent, acked, screen.answers_shown(pid))]
    shown = len(answers)
    total = sum(len(a) for _, a in day.answers.values())
    report.add(f"{p} board freshness, answer → board p95", percentile(answers, 95), "ms", target="≤ 2000 ms",
               meets=shown == total and percentile(answers, 95) <= 2000)
    report.add(f"{p} answers shown on the board", shown, "answers", reference=total, target="all",
               meets=shown == total)
    votes = [d for q, (sent, acked) in day.votes.items() for d in freshness_ms(sent, acked, screen.votes_shown(q))]
    if votes:
        report.add(f"{p} board freshness, vote → board p95", percentile(votes, 95), "ms", target="≤ 2000 ms",
                   meets=percentile(votes, 95) <= 2000)
    report.add(f"{p} board frames seen by the big screen", len(screen.frames), "frames", target="≤ 2/s (coalesced)")


def add_process_figures(report: Report, p: str, loads: list[ProcessLoad], wall: float, stack: DayStack) -> None:
    report.add(f"{p} day wall time", wall, "s")
    for load in sorted(loads, key=lambda x: -x.cpu_seconds):
        report.add(f"{p} CPU {load.name}", load.cpu_seconds, "cpu-s", reference=wall,
                   target="ratio = cores used (1 max per process)")
        report.add(f"{p} peak RSS {load.name}", load.peak_rss_mb, "MiB")
    for line in one_more_node(loads, wall, os.cpu_count() or 1, stack=["broker", *SERVICES, "gateway"]):
        report.note(f"{p} one more node: {line}")
    hottest = max((x for x in loads if x.name in (*SERVICES, "gateway")), key=lambda x: x.cpu_seconds)
    profile = stack.profile_dir / f"{hottest.name}.json" if stack.profile_dir else None
    deadline = time.monotonic() + 10
    while profile is not None and not profile.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    if profile is None or not profile.exists():
        return
    body = json.loads(profile.read_text(encoding="utf-8"))
    busy = max(1, body["busy_thread_samples"])
    top_self = ", ".join(f"{name} {100 * k / busy:.0f}%" for name, k in body["self"][:8])
    ours = [(name, k) for name, k in body["cumulative"] if name.startswith("samla_")][:8]
    top_cum = ", ".join(f"{name} {100 * k / busy:.0f}%" for name, k in ours)
    report.note(f"{p} profile of the busiest service, {hottest.name} ({body['busy_thread_samples']} busy-thread "
                f"samples at {1 / body['interval_s']:.0f} Hz): self time: {top_self}")
    report.note(f"{p} {hottest.name}: Samla functions by inclusive time: {top_cum}")
    (profile.parent / f"{hottest.name}-N{p[2:]}.json").write_text(profile.read_text(encoding="utf-8"))


# ---- main --------------------------------------------------------------------------------------------------------
def start_bare(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "bench.day_client:bare_app", "--host", "127.0.0.1",
                             "--port", str(port), "--no-access-log", "--log-level", "warning"], cwd=ROOT,
                            start_new_session=True)
    wait_for_port(port, timeout=60)
    return proc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench day", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="N = 50 only (smoke test)")
    parser.add_argument("--sizes", help="comma-separated participant counts (default 460,5000)")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--no-profile", action="store_true", help="start services without the sampling profiler")
    args, _ = parser.parse_known_args(argv)
    sizes = [50] if args.quick else [int(s) for s in (args.sizes or "460,5000").split(",")]
    _raise_open_files()
    report = Report(name="day")
    report.note(f"load average at start (1/5/15 min): {_load()}")
    var = Path(tempfile.mkdtemp(prefix="samla-day-"))
    report.note(f"database: {args.database}; {os.cpu_count()} cores shared by the stack, the load generator and "
                f"other work on the machine; bench setting {BENCH_ENV}; stack log and profiles under {var}")
    database_url = "" if args.database == "sqlite" else \
        "postgresql://postgres@127.0.0.1:5432/samla_day_" + uuid.uuid4().hex[:6]
    stack = DayStack(var_dir=var, ports=Ports.free(), color=False, log_file=var / "stack.log",
                     database_url=database_url, extra_env=dict(BENCH_ENV),
                     profile_dir=None if args.no_profile else var)
    bare_port = Ports.free().gateway
    bare = None
    try:
        stack.start_all(ready_timeout=240)
        bare = start_bare(bare_port)
        issuer = Issuer(stack)
        admin = issuer.token("bench-admin", ("samla-admin",))
        pids = {name: proc.pid for name, proc in stack.procs.items()} | {"load generator": os.getpid(),
                                                                       "baseline app": bare.pid}
        for k, n in enumerate(sizes):
            began = time.perf_counter()
            people = load_directory(stack, n)
            loaded = len(people)
            event_id = create_day(stack, admin, n, loaded)
            report.note(f"N={n}: directory of {loaded} loaded and invited in {time.perf_counter() - began:.0f} s "
                        f"(setup, not measured); load average {_load()}")
            print(f"N={n}: setup done, running the day", flush=True)
            asyncio.run(run_day(stack, n, people, event_id, issuer, report, f"http://127.0.0.1:{bare_port}",
                                pids, seed=k))
            report.note(f"N={n}: load average after the day {_load()}")
            report.write()  # after every N: a long run that is stopped still leaves the figures so far
    finally:
        if bare is not None:
            bare.terminate()
            bare.wait(timeout=10)
        stack.stop_all()
        if database_url:
            _drop_databases(database_url)
    return 0


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _raise_open_files() -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))


def _drop_databases(url: str) -> None:
    from sqlalchemy import create_engine, text

    prefix = url.rsplit("/", 1)[1]
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"), {"p": prefix + "%"})
        for (name,) in list(names):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    raise SystemExit(main())
