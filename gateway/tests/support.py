"""Test helpers: the real identity service (dev sign-in, a small directory), the real events service (the
chefsdag), and gateways built on them.

Gateway tests run the gateway in-process (Starlette's TestClient) against real identity and events processes, so
sign-in, tokens, gRPC lookups, directory and chefsdag pages are the real ones; only the broker is left out (the
relays and consumers are off).
"""

from __future__ import annotations

import re
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from deploy.local.stack import Ports, Stack
from samla_common import migrations
from samla_gateway.config import Settings

UNITS: list[dict[str, Any]] = [
    {"id": "ou-kommun", "name": "Testby kommunkoncern", "kind": "kommunkoncern", "parent_id": None},
    {"id": "ou-utb", "name": "Utbildningsförvaltningen", "kind": "forvaltning", "parent_id": "ou-kommun"},
    {"id": "ou-skola", "name": "Norra skolan", "kind": "enhet", "parent_id": "ou-utb"},
    {"id": "ou-ks", "name": "Kommunstyrelseförvaltningen", "kind": "forvaltning", "parent_id": "ou-kommun"},
    {"id": "ou-hr", "name": "HR-avdelningen", "kind": "avdelning", "parent_id": "ou-ks"},
]
PEOPLE: list[dict[str, Any]] = [
    {"id": "p-forv", "name": "Fredrik Förvaltningschef", "title": "Förvaltningschef", "level": "forvaltningschef",
     "org_unit_id": "ou-utb", "email": "fredrik@testby.se"},
    {"id": "p-chef", "name": "Maja Chef", "title": "Rektor", "level": "enhetschef", "org_unit_id": "ou-skola",
     "manager_id": "p-forv", "email": "maja@testby.se"},
    {"id": "p-admin", "name": "Astrid Admin", "title": "HR-strateg", "level": "avdelningschef",
     "org_unit_id": "ou-hr", "roles": ["samla-admin"], "email": "astrid@testby.se"},
    {"id": "p-facilitator", "name": "Frida Processledare", "title": "Utvecklingsledare", "level": "enhetschef",
     "org_unit_id": "ou-hr", "roles": ["samla-facilitator"], "email": "frida@testby.se"},
    {"id": "p-ledning", "name": "Leif Ledning", "title": "Kommundirektör", "level": "kommundirektor",
     "org_unit_id": "ou-kommun", "roles": ["samla-leadership"], "email": "leif@testby.se"},
    {"id": "p-gone", "name": "Gunnar Gått", "title": "Rektor", "level": "enhetschef", "org_unit_id": "ou-skola",
     "email": "gunnar@testby.se"},
]
# The person each role of the authorization matrix signs in as ("manager": every signed-in person).
ROLE_PEOPLE = {"manager": "p-chef", "samla-admin": "p-admin", "samla-facilitator": "p-facilitator",
               "samla-leadership": "p-ledning"}
# Every page carries the token in the header htmx sends with its requests.
CSRF_TOKEN = re.compile(r'"X-CSRF-Token": "([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(check: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise TimeoutError(f"timed out waiting for {what}")


@dataclass
class Identity:
    stack: Stack

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.stack.ports.http('identity')}"

    @property
    def grpc_target(self) -> str:
        return f"127.0.0.1:{self.stack.ports.grpc('identity')}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/dev"

    def service_token(self, client_id: str = "samla-gateway") -> str:
        resp = httpx.post(f"{self.issuer}/token", data={"grant_type": "client_credentials"},
                          auth=(client_id, self.stack.client_secret()), timeout=10)
        resp.raise_for_status()
        return str(resp.json()["access_token"])

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.stack.ports.http('events')}"

    def stop(self) -> None:
        self.stack.stop_all()


def start_identity_process(var_dir: Path, extra_env: dict[str, str] | None = None) -> Stack:
    """Identity alone on free ports (dev sign-in unless `extra_env` says otherwise), migrated, answering."""
    # A whole port set checked free, below the ephemeral range: four services' ports counted up from two single
    # free ports could overlap (events once failed to start on identity's gRPC port).
    ports = Ports.free()
    env = {"SAMLA_IDENTITY_RELAY_ENABLED": "false", "SAMLA_IDENTITY_KAFKA_CONSUMER_ENABLED": "false"}
    stack = Stack(var_dir=var_dir, ports=ports, color=False, log_file=var_dir / "identity.log",
                  extra_env=env | (extra_env or {}))
    var_dir.mkdir(parents=True, exist_ok=True)
    migrations.upgrade("identity", f"sqlite:///{var_dir / 'db' / 'identity.db'}")  # where identity will look
    stack.start_service("identity")
    url = f"http://127.0.0.1:{ports.http('identity')}/healthz"

    def up() -> bool:
        try:
            return httpx.get(url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(up, timeout=60, what="identity to answer")
    except TimeoutError:
        stack.stop_all()
        raise
    return stack


def start_identity(var_dir: Path) -> Identity:
    """Identity with dev sign-in and the small directory loaded."""
    identity = Identity(start_identity_process(var_dir))
    load_directory(identity)
    return identity


def start_events(identity: Identity) -> None:
    """The events service beside identity (same stack, its own database), answering; no broker, no mail jobs."""
    stack = identity.stack
    stack.extra_env.update({"SAMLA_EVENTS_RELAY_ENABLED": "false", "SAMLA_EVENTS_KAFKA_CONSUMER_ENABLED": "false",
                            "SAMLA_EVENTS_JOBS_ENABLED": "false"})
    migrations.upgrade("events", f"sqlite:///{stack.var_dir / 'db' / 'events.db'}")
    stack.start_service("events")

    def up() -> bool:
        try:
            return httpx.get(f"{identity.events_url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, timeout=60, what="events to answer")


# What each service runs beside its API that needs a broker or sends mail: off in gateway tests.
BACKGROUND = {"events": ("RELAY", "KAFKA_CONSUMER", "JOBS"), "feedback": ("RELAY", "KAFKA_CONSUMER", "WEBHOOK_SENDER"),
              "network": ("RELAY", "KAFKA_CONSUMER", "MAIL_SENDER")}


def start_beside(identity: Identity, name: str) -> str:
    """Another service beside identity (same stack, its own SQLite database, no background work), answering; its URL.

    Started once per stack: a second call finds it running.
    """
    stack = identity.stack
    url = f"http://127.0.0.1:{stack.ports.http(name)}"
    running = stack.procs.get(name)
    if running is None or running.poll() is not None:
        stack.extra_env.update({f"SAMLA_{name.upper()}_{part}_ENABLED": "false" for part in BACKGROUND[name]})
        migrations.upgrade(name, f"sqlite:///{stack.var_dir / 'db' / f'{name}.db'}")
        stack.start_service(name)

    def up() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, timeout=60, what=f"{name} to answer")
    return url


def load_directory(identity: Identity) -> None:
    headers = {"authorization": f"Bearer {identity.service_token()}"}
    with httpx.Client(base_url=identity.url, headers=headers, timeout=10) as client:
        for unit in UNITS:
            client.put(f"/org-units/{unit['id']}", json=unit).raise_for_status()
        for person in PEOPLE:
            client.put(f"/people/{person['id']}", json=person).raise_for_status()
        client.post("/people/p-gone/deactivate").raise_for_status()


def gateway_settings(identity: Identity, var_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "env": "test", "auth_mode": "dev", "var_dir": var_dir,
        "database_url": f"sqlite:///{var_dir / 'gateway.db'}",
        "oidc_issuer": identity.issuer, "client_secret": identity.stack.client_secret(),
        "identity_url": identity.url, "identity_grpc_target": identity.grpc_target,
        # Nothing listens here: the gateway's pages never need feedback or network.
        "events_url": identity.events_url, "feedback_url": "http://127.0.0.1:9", "network_url": "http://127.0.0.1:9",
        "kafka_bootstrap_servers": "127.0.0.1:9", "upstream_retries": 0,
        "rate_limit_ip_burst": 10_000, "rate_limit_person_burst": 10_000,
    }
    return Settings(**(values | overrides))


class Browser:
    """A TestClient that behaves like a person's browser: cookies, forms with their CSRF token."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def csrf(self, path: str = "/") -> str:
        match = CSRF_TOKEN.search(self.client.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, person_id: str, next_path: str = "/") -> httpx.Response:
        token = self.csrf("/")
        return self.client.post("/logga-in", data={"csrf_token": token, "person_id": person_id, "next": next_path},
                                follow_redirects=False)

    def set_session_cookie(self, value: str) -> None:
        """Puts a session cookie in the jar as if the browser had kept (or been given) it."""
        self.client.cookies.delete("samla_session")
        self.client.cookies.set("samla_session", value, domain="testserver.local")

    def session_cookie(self) -> str:
        for name in ("samla_session", "__Host-samla_session"):
            value = self.client.cookies.get(name)
            if value:
                return str(value)
        return ""


class ServerThread:
    """Serves an app over real HTTP from this process (for redirects through a real IdP), stopped cleanly."""

    def __init__(self, app: Any, port: int) -> None:
        import threading

        import uvicorn

        self.port = port
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, name=f"gateway-{port}", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        self.thread.start()
        wait_until(lambda: self.server.started or not self.thread.is_alive(), timeout=30, what="the gateway")
        if not self.server.started:
            raise RuntimeError("the gateway did not start")
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
