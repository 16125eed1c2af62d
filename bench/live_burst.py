"""`live-burst`: N participants answer one prompt within 5 seconds through the gateway while the board is watched.

Everything is real and runs on this machine: the Tansu broker, identity, events, feedback (SQLite, or PostgreSQL
with --database postgresql), network and the gateway as `make run` starts them, on free ports. For N = 460 and
N = 5,000 it reports acknowledged answers, lost and double-counted ones (from feedback's results after the burst),
acknowledgement latency, and how long the board's Server-Sent Events stream took to show each answer. The same
burst against a bare FastAPI endpoint (no work) in the same run is the baseline. Then it opens 5,000 SSE streams
(the phones' open-prompt lists) and counts how many the gateway holds, and how fast a newly opened prompt reaches
all of them.

Participants' tokens are signed with the dev issuer's own key (what its /dev/sign-in returns), so the directory
need not hold thousands of people: an individual dialogue answer needs only a verified person.
Load generator and stack share the machine's cores, so latencies include that contention.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
from fastapi import FastAPI

from bench.day_client import participant_client
from bench.harness import Report
from deploy.local.stack import ROOT, Ports, Stack, wait_for_port

WINDOW_SECONDS = 5.0
EVENT = "chefsdag-bench"
bare_app = FastAPI()  # the baseline: `uvicorn bench.live_burst:bare_app`


@bare_app.post("/answer")
async def bare_answer() -> dict[str, bool]:
    return {"ok": True}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Issuer:
    """Mints tokens as the stack's dev issuer does (same key, issuer and claims)."""

    stack: Stack
    _key: Any = None

    def token(self, sub: str, roles: tuple[str, ...] = ()) -> str:
        if self._key is None:
            from samla_identity.devauth.keys import load_or_create

            self._key = load_or_create(self.stack.var_dir / "dev-keys" / "identity-signing.pem")
        now = int(time.time())
        body = {"iss": f"http://127.0.0.1:{self.stack.ports.http('identity')}/dev", "aud": "samla", "sub": sub,
                "iat": now, "nbf": now, "exp": now + 3600, "jti": str(uuid.uuid4()), "name": f"Deltagare {sub}",
                "azp": "samla-gateway", "realm_access": {"roles": list(roles)}, "scope": "openid profile"}
        return jwt.encode(body, self._key.private_pem, algorithm="RS256", headers={"kid": self._key.kid})


@dataclass
class Burst:
    sent: list[float] = field(default_factory=list)
    acked: list[float] = field(default_factory=list)  # ack times of 2xx answers
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)


async def burst(url_of: Any, tokens: list[str], body: dict[str, Any]) -> Burst:
    """Every token posts once from a phone of its own, spread evenly over the window; records send and
    acknowledgement times."""
    result = Burst()
    # A phone of its own per participant, as in the day benchmark. (One shared client queued thousands of requests
    # in httpcore's pool, whose bookkeeping grows with the queue: the load generator then set the pace.)
    clients = [participant_client(token) for token in tokens]
    start = time.perf_counter() + 0.2

    async def one(i: int) -> None:
        await asyncio.sleep(max(0.0, start + i * WINDOW_SECONDS / len(tokens) - time.perf_counter()))
        sent = time.perf_counter()
        try:
            resp = await clients[i].post(url_of(i), json=body)
            status = str(resp.status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        done = time.perf_counter()
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status.startswith("2"):
            result.sent.append(sent)
            result.acked.append(done)
            result.latencies_ms.append((done - sent) * 1000)

    try:
        await asyncio.gather(*(one(i) for i in range(len(tokens))))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return result


class BoardWatcher:
    """The big screen: one SSE connection to the board; records when it showed how many respondents."""

    def __init__(self, client: httpx.AsyncClient, url: str, token: str, prompt_id: str) -> None:
        self.shown: list[tuple[float, int]] = []
        self.events = 0
        self._args = (client, url, token, prompt_id)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._read())
        async with asyncio.timeout(60):
            while not self.shown:
                await asyncio.sleep(0.02)

    async def wait_for(self, respondents: int, timeout: float) -> bool:
        try:
            async with asyncio.timeout(timeout):
                while not self.shown or self.shown[-1][1] < respondents:
                    await asyncio.sleep(0.02)
            return True
        except TimeoutError:
            return False

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _read(self) -> None:
        client, url, token, prompt_id = self._args
        async with client.stream("GET", url, headers={"authorization": f"Bearer {token}"}) as resp:
            resp.raise_for_status()
            async for line in resp.aiter_lines():
                if line.startswith("data: "):
                    board = json.loads(line[6:])
                    count = next((p["results"]["respondents"] for p in board["prompts"]
                                  if p["prompt"]["id"] == prompt_id), 0)
                    self.events += 1
                    self.shown.append((time.perf_counter(), int(count)))

    def time_showing(self, count: int) -> float | None:
        return next((t for t, n in self.shown if n >= count), None)


class Stage:
    """The running stack plus what the bench needs on it."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.issuer = Issuer(stack)
        self.facilitator = self.issuer.token("bench-facilitator", ("samla-facilitator",))
        self.base = stack.gateway_url

    def open_prompt(self, title: str) -> str:
        headers = {"authorization": f"Bearer {self.facilitator}"}
        resp = httpx.post(f"{self.base}/api/feedback/events/{EVENT}/prompts", headers=headers, timeout=30,
                          json={"kind": "scale", "title": title, "scale": {"min": 1, "max": 5}})
        resp.raise_for_status()
        prompt_id = str(resp.json()["id"])
        httpx.post(f"{self.base}/api/feedback/prompts/{prompt_id}/open", headers=headers, timeout=30)\
            .raise_for_status()
        return prompt_id

    def respondents(self, prompt_id: str) -> int:
        """How many answers feedback stored; asked again while it is still working through the burst."""
        deadline = time.monotonic() + 300
        while True:
            try:
                resp = httpx.get(f"{self.base}/api/feedback/prompts/{prompt_id}/results", timeout=120,
                                 headers={"authorization": f"Bearer {self.facilitator}"})
                resp.raise_for_status()
                return int(resp.json()["respondents"])
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)

    def gauge(self, name: str, **labels: str) -> float:
        wanted = name + ("{" + ",".join(f'{k}="{v}"' for k, v in labels.items()) + "}" if labels else "")
        for line in httpx.get(f"{self.base}/metrics", timeout=30).text.splitlines():
            if line.startswith(wanted + " "):
                return float(line.split()[-1])
        return 0.0

    def wait_for_kafka(self) -> bool:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.gauge("samla_gateway_live_kafka_active") == 1:
                return True
            time.sleep(0.3)
        return False


async def live_burst(stage: Stage, n: int, report: Report, bare_url: str) -> None:
    prompt_id = stage.open_prompt(f"Bänkprov med {n} deltagare")
    tokens = [stage.issuer.token(f"bench-{n}-{i}") for i in range(n)]
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=1000)
    async with httpx.AsyncClient(timeout=httpx.Timeout(30, read=120), limits=limits) as client:
        baseline = await burst(lambda i: bare_url, tokens, {"scale": 3})
        watcher = BoardWatcher(client, f"{stage.base}/live/events/{EVENT}/board", stage.facilitator, prompt_id)
        await watcher.start()
        if not await asyncio.to_thread(stage.wait_for_kafka):  # the consumer starts with the first stream
            report.note(f"N={n}: the gateway's Kafka consumer was not active; changes came from the change feed")
        answers = await burst(lambda i: f"{stage.base}/api/feedback/prompts/{prompt_id}/responses", tokens,
                              {"scale": 3})
        acked = len(answers.acked)
        shown_all = await watcher.wait_for(acked, timeout=120)
        await watcher.stop()
    stored = stage.respondents(prompt_id)
    # Answers are counted, not named, on the board: the r-th acknowledgement is on screen once the board shows r.
    order = sorted(range(acked), key=lambda i: answers.acked[i])
    to_board = [(t - answers.sent[i]) * 1000 for rank, i in enumerate(order, 1)
                if (t := watcher.time_showing(rank)) is not None]
    p = f"N={n}"
    report.add(f"{p} acknowledged", acked, "answers", reference=n, target="all", meets=acked == n)
    report.add(f"{p} lost (acknowledged, not stored)", max(0, acked - stored), "answers", target="0",
               meets=acked <= stored)
    report.add(f"{p} double-counted", max(0, stored - n), "answers", target="0", meets=stored <= n)
    target = 250 if n <= 460 else 1000
    for q in (50, 95, 99):
        value, base = percentile(answers.latencies_ms, q), percentile(baseline.latencies_ms, q)
        report.add(f"{p} ack latency p{q} (ref: bare FastAPI)", value, "ms", reference=base,
                   target=f"p99 ≤ {target} ms" if q == 99 else "", meets=value <= target if q == 99 else None)
    report.add(f"{p} submission → board p95", percentile(to_board, 95), "ms", target="≤ 2000 ms",
               meets=shown_all and percentile(to_board, 95) <= 2000)
    report.add(f"{p} board events during burst", watcher.events, "events",
               target="≤ 2/s (coalesced)")
    report.note(f"{p}: statuses {answers.statuses}, baseline statuses {baseline.statuses}, stored {stored}, "
                f"board showed all: {shown_all}")
    print(f"{p}: acked {acked}/{n}, stored {stored}, p99 {percentile(answers.latencies_ms, 99):.0f} ms "
          f"(bare {percentile(baseline.latencies_ms, 99):.0f} ms)", flush=True)


async def held_streams(stage: Stage, count: int, report: Report) -> None:
    """Opens `count` prompt-list streams (raw sockets: the load generator stays light), counts what the gateway
    holds, then opens a prompt and times until every held stream has shown it."""
    tokens = [stage.issuer.token(f"phone-{i}") for i in range(count)]
    port = stage.stack.ports.gateway
    path = f"/live/events/{EVENT}/prompts"
    conns: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def connect(token: str) -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                         f"Authorization: Bearer {token}\r\n\r\n".encode())
            buffer = b""
            async with asyncio.timeout(120):
                while b"event: prompts" not in buffer:
                    chunk = await reader.read(65536)
                    if not chunk:
                        return
                    buffer += chunk
            if buffer.startswith(b"HTTP/1.1 200"):
                conns.append((reader, writer))
        except (OSError, TimeoutError):
            return

    started = time.perf_counter()
    for first in range(0, count, 250):
        await asyncio.gather(*(connect(t) for t in tokens[first:first + 250]))
    opened_in = time.perf_counter() - started
    held = await asyncio.to_thread(stage.gauge, "samla_gateway_live_connections", stream="prompts")
    report.add(f"held SSE connections (of {count} opened)", held, "streams", reference=count,
               target="≥ 5,000 on one node" if count >= 5000 else "all", meets=held >= count)
    report.add("time to open them", opened_in, "s")

    prompt_id = await asyncio.to_thread(stage.open_prompt, "Ny fråga till alla telefoner")
    opened_at = time.perf_counter()

    async def sees(reader: asyncio.StreamReader) -> float | None:
        buffer = b""
        try:
            async with asyncio.timeout(60):
                while prompt_id.encode() not in buffer:
                    chunk = await reader.read(65536)
                    if not chunk:
                        return None
                    buffer = buffer[-100:] + chunk
        except TimeoutError:
            return None
        return (time.perf_counter() - opened_at) * 1000

    delays = [d for d in await asyncio.gather(*(sees(r) for r, _ in conns)) if d is not None]
    report.add("prompt opened → shown on every held phone p95", percentile(delays, 95), "ms",
               target="≤ 2000 ms", meets=len(delays) == len(conns) and percentile(delays, 95) <= 2000)
    report.add("phones that saw the new prompt", len(delays), "streams", reference=len(conns))
    for _, writer in conns:
        writer.close()
    deadline = time.monotonic() + 60
    left = held
    while time.monotonic() < deadline and left > 0:
        await asyncio.sleep(0.5)
        left = await asyncio.to_thread(stage.gauge, "samla_gateway_live_connections", stream="prompts")
    report.add("connections left 60 s after the phones closed", left, "streams", target="0", meets=left == 0)


def start_bare(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "bench.live_burst:bare_app", "--host", "127.0.0.1",
                             "--port", str(port), "--no-access-log", "--log-level", "warning"], cwd=ROOT,
                            start_new_session=True)
    wait_for_port(port, timeout=30)
    return proc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench live-burst", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="N = 50 and 200, 300 held streams (smoke test)")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--sizes", type=lambda v: tuple(int(n) for n in v.split(",")),
                        help="burst sizes instead of 460,5000 (e.g. --sizes 460 to look at one)")
    parser.add_argument("--held", type=int, help="phone streams to hold instead of 5,000 (0: none)")
    args, _ = parser.parse_known_args(argv)
    sizes, held = ((50, 200), 300) if args.quick else ((460, 5000), 5000)
    sizes = args.sizes or sizes
    held = held if args.held is None else args.held
    _raise_open_files()
    report = Report(name="live-burst")
    var = Path(tempfile.mkdtemp(prefix="samla-live-burst-"))
    database_url = _database(args.database)
    stack = Stack(var_dir=var, ports=Ports.free(), color=False, log_file=var / "stack.log",
                  database_url=database_url)
    bare_port = Ports.free().gateway
    bare = None
    try:
        stack.start_all(ready_timeout=180)
        bare = start_bare(bare_port)
        stage = Stage(stack)
        for n in sizes:
            asyncio.run(live_burst(stage, n, report, f"http://127.0.0.1:{bare_port}/answer"))
        if held:
            asyncio.run(held_streams(stage, held, report))
        report.note(f"database: {args.database}; gateway, feedback and load generator share {_cpus()} cores; "
                    f"answers spread evenly over {WINDOW_SECONDS:.0f} s; stack log {var / 'stack.log'}")
    finally:
        if bare is not None:
            bare.terminate()
            bare.wait(timeout=10)
        stack.stop_all()
    report.write()
    return 0


def _database(kind: str) -> str:
    if kind == "sqlite":
        return ""
    return "postgresql://postgres@127.0.0.1:5432/samla_bench_" + uuid.uuid4().hex[:6]


def _raise_open_files() -> None:
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))


def _cpus() -> int:
    import os

    return os.cpu_count() or 1



if __name__ == "__main__":
    sys.exit(main())
