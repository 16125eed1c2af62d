"""Helpers for the live-update tests: the real stack's people and tokens, and a Server-Sent Events reader."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from deploy.local.stack import Stack

METRIC_LINE = re.compile(r'^(?P<name>[a-z_]+)(?:\{(?P<labels>[^}]*)\})? (?P<value>\S+)$')


@dataclass
class Tokens:
    """Dev-issuer tokens on a running stack: the gateway's service token and people's sign-in tokens."""

    stack: Stack
    _cache: dict[str, str] = field(default_factory=dict)

    @property
    def identity(self) -> str:
        return f"http://127.0.0.1:{self.stack.ports.http('identity')}"

    def service(self) -> str:
        if "" not in self._cache:
            resp = httpx.post(f"{self.identity}/dev/token", data={"grant_type": "client_credentials"},
                              auth=("samla-gateway", self.stack.client_secret()), timeout=10)
            resp.raise_for_status()
            self._cache[""] = str(resp.json()["access_token"])
        return self._cache[""]

    def person(self, person_id: str) -> str:
        if person_id not in self._cache:
            resp = httpx.post(f"{self.identity}/dev/sign-in", json={"person_id": person_id},
                              headers={"authorization": f"Bearer {self.service()}"}, timeout=10)
            resp.raise_for_status()
            self._cache[person_id] = str(resp.json()["access_token"])
        return self._cache[person_id]

    def add_people(self, people: list[dict[str, Any]]) -> None:
        with httpx.Client(base_url=self.identity, headers={"authorization": f"Bearer {self.service()}"},
                          timeout=10) as client:
            for person in people:
                client.put(f"/people/{person['id']}", json=person).raise_for_status()


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def sse_events(response: httpx.Response) -> AsyncIterator[dict[str, str]]:
    """Parses a text/event-stream: yields each event's fields (`event`, `id`, `data`, `retry`), not comments."""
    event: dict[str, str] = {}
    async for line in response.aiter_lines():
        if not line:
            if event:
                yield event
            event = {}
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        event[name] = f"{event[name]}\n{value}" if name == "data" and name in event else value


class Listener:
    """Holds one SSE connection open in a task and keeps every event it receives."""

    def __init__(self, client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> None:
        self.client, self.url, self.headers = client, url, headers
        self.events: list[dict[str, str]] = []
        self.status = 0
        self.content_type = ""
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Listener:
        self._task = asyncio.create_task(self._read())
        await self.wait_for(lambda e: True, what="the first event")
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _read(self) -> None:
        async with self.client.stream("GET", self.url, headers=self.headers) as response:
            self.status = response.status_code
            self.content_type = response.headers.get("content-type", "")
            async for event in sse_events(response):
                self.events.append(event)

    def named(self, name: str) -> list[dict[str, Any]]:
        """The JSON of every `name` event so far."""
        return [json.loads(e["data"]) for e in self.events if e.get("event") == name]

    async def wait_for(self, check: Callable[[dict[str, str]], bool], *, what: str, since: int = 0,
                       timeout: float = 30) -> dict[str, str]:
        """The first event from the `since`-th on (received before or after the call) for which `check` holds."""
        async with asyncio.timeout(timeout):
            while True:
                for event in self.events[since:]:
                    if check(event):
                        return event
                if self._task is not None and self._task.done():
                    self._task.result()
                    raise AssertionError(f"the stream ended before {what}")
                await asyncio.sleep(0.02)


def metric(text: str, name: str, **labels: str) -> float:
    """A sample's value from a Prometheus text page (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        match = METRIC_LINE.match(line)
        if match and match["name"] == name and (match["labels"] or "") == wanted:
            return float(match["value"])
    return 0.0
