"""The gateway over real HTTP on a free port, in front of real identity, events, feedback and network processes.

The services run as `make run` starts them (each its own process and SQLite database, on free ports; no broker, so
relays, consumers and mail jobs are off); the gateway runs in this process (uvicorn in a thread) with dev sign-in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI

from gateway.tests.support import (
    ServerThread,
    free_port,
    gateway_settings,
    start_beside,
    start_events,
    start_identity,
)
from samla_gateway.main import create_app

ADMIN = "p-admin"  # has samla-admin in gateway.tests.support.PEOPLE
CSRF_TOKEN = re.compile(r'"X-CSRF-Token": "([^"]+)"')  # every page carries it for htmx


@dataclass
class RunningGateway:
    url: str
    app: FastAPI

    def sign_in(self, person_id: str = ADMIN) -> dict[str, str]:
        """A fresh session through the real dev sign-in: the headers a signed-in browser sends (cookie, CSRF)."""
        with httpx.Client(base_url=self.url, timeout=30) as browser:
            pre = CSRF_TOKEN.search(browser.get("/").text)
            assert pre, "the start page carries no CSRF token"
            resp = browser.post("/logga-in", data={"csrf_token": pre.group(1), "person_id": person_id, "next": "/"})
            session = browser.cookies.get("samla_session")
            assert resp.status_code == 303 and session, f"dev sign-in failed: {resp.status_code} {resp.text[:200]}"
            token = CSRF_TOKEN.search(browser.get("/").text)  # the session's own token, not the pre-sign-in one
            assert token, "the start page carries no CSRF token after signing in"
        return {"cookie": f"samla_session={session}", "x-csrf-token": token.group(1)}

    def seed_event(self, admin: dict[str, str]) -> str:
        """A chefsdag (a draft, as an admin creates it) for the pages to find; its id."""
        day = {"title": "Fuzzdagen", "date": "2026-11-26", "starts_at": "08:30", "ends_at": "16:00",
               "venue": "Stadshuset", "capacity": 40}
        resp = httpx.post(f"{self.url}/api/events/events", json=day, headers=admin, timeout=30)
        assert resp.status_code == 201, f"creating the chefsdag failed: {resp.status_code} {resp.text[:300]}"
        return str(resp.json()["id"])

    def still_signed_in(self, headers: dict[str, str]) -> bool:
        return httpx.get(f"{self.url}/auth/session", headers=headers, timeout=30).status_code == 200


@contextmanager
def running_gateway(var_dir: Path) -> Iterator[RunningGateway]:
    identity = start_identity(var_dir / "stack")
    server = None
    try:
        start_events(identity)
        urls = {"feedback_url": start_beside(identity, "feedback"), "network_url": start_beside(identity, "network"),
                "network_grpc_target": f"127.0.0.1:{identity.stack.ports.grpc('network')}"}
        (var_dir / "gateway").mkdir(parents=True, exist_ok=True)
        settings = gateway_settings(identity, var_dir / "gateway", **urls)
        app = create_app(settings)
        server = ServerThread(app, free_port()).start()
        yield RunningGateway(server.url, app)
    finally:
        if server is not None:
            server.stop()
        identity.stop()
