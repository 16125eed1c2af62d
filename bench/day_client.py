"""The `day` benchmark's clients: metered requests that can be replayed against the baseline, phones holding the
board's Server-Sent Events stream, the big screen that reads it, the bare baseline app and the process watcher."""

from __future__ import annotations

import asyncio
import json
import re
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import httpx
import psutil
from fastapi import FastAPI, Request

from bench.day_stats import Call, ProcessLoad

SHARED_TLS = ssl.create_default_context()  # one context for thousands of clients (each would build its own)
CONNECT_SECONDS, READ_SECONDS = 30, 60
TIMEOUT = httpx.Timeout(CONNECT_SECONDS, read=READ_SECONDS)


class Answer:
    """What a metered request got back: its status and body."""

    def __init__(self, status_code: int, content: bytes) -> None:
        self.status_code, self.content = status_code, content

    @property
    def text(self) -> str:
        return self.content.decode(errors="replace")

    def json(self) -> Any:
        return json.loads(self.content)


class Participant:
    """One phone in the day: its own keep-alive connection (at most two) and its own bearer token.

    aiohttp, not httpx: the load generator shares the two cores with the stack it measures, and httpx spends
    0.75–1 ms of CPU per request against aiohttp's 0.1–0.2 ms (`make bench ONLY=proxy-client`). Every request of a
    day (and of its replay against the bare app) goes through here, so the generator's own cost shows less in the
    latencies. An idle connection is let go after 4 s, before the gateway closes it (uvicorn: 5 s): see
    `participant_client`."""

    def __init__(self, token: str) -> None:
        self.headers = {"authorization": f"Bearer {token}"}
        self._session: aiohttp.ClientSession | None = None

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:  # made on first use: aiohttp wants the running event loop
            self._session = aiohttp.ClientSession(
                headers=self.headers, cookie_jar=aiohttp.DummyCookieJar(),
                connector=aiohttp.TCPConnector(limit=2, keepalive_timeout=4.0, ssl=SHARED_TLS),
                timeout=aiohttp.ClientTimeout(total=None, connect=CONNECT_SECONDS, sock_read=READ_SECONDS))
        return self._session

    async def request(self, method: str, url: str, body: Any = None) -> Answer:
        async with self._open().request(method, url, json=body, allow_redirects=False) as resp:  # as httpx
            return Answer(resp.status, await resp.read())

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def participant_client(token: str) -> httpx.AsyncClient:
    """One phone as an httpx client (the live-burst benchmark, the big screen): its own keep-alive connection and its
    own bearer token.

    An idle connection is let go after 4 s, before the gateway closes it (uvicorn: 5 s). At equal times a request
    could go out on a connection the server is closing and end as a ReadError that a browser would have retried
    on a new connection without telling anyone (measured: 2 of 3,740 requests in a 460 day)."""
    return httpx.AsyncClient(headers={"authorization": f"Bearer {token}"}, timeout=TIMEOUT, verify=SHARED_TLS,
                             limits=httpx.Limits(max_connections=2, max_keepalive_connections=2,
                                                 keepalive_expiry=4.0))


@dataclass(frozen=True)
class Planned:
    """A request as sent, so the same pattern can be replayed against the bare app."""

    phase: str
    offset: float
    client: int
    op: str
    method: str
    path: str
    body: Any


@dataclass
class Meter:
    base: str
    calls: list[Call] = field(default_factory=list)
    plan: list[Planned] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    phase: str = ""
    phase_start: float = 0.0

    def start_phase(self, name: str) -> None:
        self.phase, self.phase_start = name, time.perf_counter()

    async def request(self, client: Participant, who: int, op: str, method: str, path: str,
                      body: Any = None) -> Answer | None:
        sent = time.perf_counter()
        self.plan.append(Planned(self.phase, sent - self.phase_start, who, op, method, path, body))
        resp: Answer | None = None
        try:
            resp = await client.request(method, self.base + path, body)
            status = str(resp.status_code)
        except (aiohttp.ClientError, TimeoutError) as exc:
            status = type(exc).__name__
        self.calls.append(Call(op, sent, (time.perf_counter() - sent) * 1000, status))
        if resp is not None and not status.startswith("2"):
            self.failures.append(f"{op} {status}: {resp.text[:160]}")
        return resp if status.startswith("2") else None


async def replay(plan: list[Planned], meter: Meter, clients: dict[int, Participant]) -> None:
    """Sends every planned request to `meter.base` at the same offset within its phase, phase after phase."""
    phases: dict[str, list[Planned]] = {}
    for p in plan:
        phases.setdefault(p.phase, []).append(p)
    for name, items in phases.items():
        meter.start_phase(name)

        async def one(p: Planned) -> None:
            await asyncio.sleep(max(0.0, meter.phase_start + p.offset - time.perf_counter()))
            await meter.request(clients[p.client], p.client, p.op, p.method, p.path, p.body)

        await asyncio.gather(*(one(p) for p in items))


ID_LINE = re.compile(rb"\nid: (\d+)")


class Phone:
    """A participant's open board stream over a raw socket (light for the load generator): counts frames and
    remembers the last frame's id (the board's cursor) without parsing the JSON."""

    def __init__(self, port: int, path: str, token: str) -> None:
        self.port, self.path, self.token = port, path, token
        self.frames = 0
        self.last_id = -1
        self.first_frame_ms: float | None = None
        self.closed = False
        self.error = ""
        self._task: asyncio.Task[None] | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        started = time.perf_counter()
        try:
            reader, self._writer = await asyncio.open_connection("127.0.0.1", self.port)
            self._writer.write(f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                               f"Authorization: Bearer {self.token}\r\n\r\n".encode())
            tail = b""
            while True:
                chunk = await reader.read(65536)
                if not chunk:
                    self.closed = True
                    return
                if self.frames == 0 and tail == b"" and not chunk.startswith(b"HTTP/1.1 200"):
                    self.error = chunk.split(b"\r\n", 1)[0].decode(errors="replace")
                    self.closed = True
                    return
                data = tail + chunk
                new = data.count(b"event: board") - tail.count(b"event: board")
                if new and self.first_frame_ms is None:
                    self.first_frame_ms = (time.perf_counter() - started) * 1000
                self.frames += new
                ids = ID_LINE.findall(data)
                if ids:
                    self.last_id = int(ids[-1])
                tail = data[-64:]
        except (OSError, asyncio.IncompleteReadError) as exc:
            self.error = type(exc).__name__
            self.closed = True

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


class BigScreen:
    """Reads the board stream fully: per frame its time, cursor, respondents per prompt and votes per question."""

    def __init__(self, client: httpx.AsyncClient, url: str) -> None:
        self.client, self.url = client, url
        self.frames: list[tuple[float, int, dict[str, int], dict[str, int]]] = []
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._read())
        async with asyncio.timeout(60):
            while not self.frames:
                await asyncio.sleep(0.02)

    async def _read(self) -> None:
        async with self.client.stream("GET", self.url) as resp:
            resp.raise_for_status()
            async for line in resp.aiter_lines():
                if line.startswith("data: "):
                    board = json.loads(line[6:])
                    answers = {p["prompt"]["id"]: int(p["results"].get("respondents") or 0)
                               for p in board["prompts"]}
                    votes = {q["id"]: int(q["votes"]) for q in board["questions"]}
                    self.frames.append((time.perf_counter(), int(board["cursor"]), answers, votes))

    def answers_shown(self, prompt_id: str) -> list[tuple[float, int]]:
        return [(t, a.get(prompt_id, 0)) for t, _, a, _ in self.frames]

    def votes_shown(self, question_id: str) -> list[tuple[float, int]]:
        return [(t, v[question_id]) for t, _, _, v in self.frames if question_id in v]

    @property
    def cursor(self) -> int:
        return self.frames[-1][1] if self.frames else -1

    async def wait(self, done: Any, timeout: float) -> bool:
        """Until done(self) holds (a board showing everything acknowledged), or the timeout."""
        try:
            async with asyncio.timeout(timeout):
                while not done(self):
                    await asyncio.sleep(0.05)
            return True
        except TimeoutError:
            return False

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


bare_app = FastAPI()  # the baseline: `uvicorn bench.day_client:bare_app`, the same routes doing no work


@bare_app.api_route("/api/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
async def bare(path: str, request: Request) -> dict[str, Any]:
    if request.method in ("POST", "PUT", "PATCH"):
        await request.body()
    return {"ok": True, "id": "bare", "path": path}


class ProcessWatch:
    """CPU seconds (process and children) over a window and the peak resident memory, sampled twice a second."""

    def __init__(self, pids: dict[str, int], own_only: set[str]) -> None:
        """`own_only`: processes measured without their children (the load generator started the stack)."""
        self.procs = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.own_only = {self.procs[name].pid for name in own_only}
        self.peak: dict[str, float] = dict.fromkeys(pids, 0.0)
        self.cpu_start = {name: self._cpu(p) for name, p in self.procs.items()}
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _tree(self, p: psutil.Process) -> list[psutil.Process]:
        if p.pid in self.own_only:
            return [p]
        try:
            return [p, *p.children(recursive=True)]
        except psutil.Error:
            return [p]

    def _cpu(self, p: psutil.Process) -> float:
        total = 0.0
        for q in self._tree(p):
            try:
                t = q.cpu_times()
                total += t.user + t.system
            except psutil.Error:
                continue
        return total

    def _rss(self, p: psutil.Process) -> float:
        total = 0
        for q in self._tree(p):
            try:
                total += q.memory_info().rss
            except psutil.Error:
                continue
        return total / 2**20

    def _run(self) -> None:
        while not self.stop_flag.wait(0.5):
            for name, p in self.procs.items():
                self.peak[name] = max(self.peak[name], self._rss(p))

    def finish(self) -> list[ProcessLoad]:
        self.stop_flag.set()
        self.thread.join(timeout=5)
        return [ProcessLoad(name, self._cpu(p) - self.cpu_start[name], max(self.peak[name], self._rss(p)))
                for name, p in self.procs.items()]
