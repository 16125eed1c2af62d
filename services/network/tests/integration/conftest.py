"""The network service in-process on SQLite and PostgreSQL, with real token checks (as feedback's tests do).

One app and database per test module and backend; tests keep apart by using people and events of their own.
Identity and events are not running: their events are applied through the service's own consumer handlers.
"""

from __future__ import annotations

import functools
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from samla_common.auth import ADMIN, FACILITATOR, LEADERSHIP, SERVICE
from samla_common.db import unit_of_work
from samla_common.messaging.envelope import Envelope
from tests.support.fixtures import PG_SERVER

ISSUER = "https://idp.test/realms/samla"
ROLES = {"admin": [ADMIN], "facilitator": [FACILITATOR], "leader": [LEADERSHIP], "service": [SERVICE], "": []}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], Any], *, deadline: float = 60.0) -> Any:
    """Polls until `condition()` is truthy (a deadline, not a timed assert: a slow machine only waits longer)."""
    end = time.monotonic() + deadline
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < end, "condition not met before the deadline"
        time.sleep(0.05)


@dataclass
class Network:
    client: TestClient
    app: Any
    factory: sessionmaker[Session]
    key: rsa.RSAPrivateKey
    grpc_target: str
    backend: str
    _seq: dict[str, int] = field(default_factory=dict)

    def token(self, sub: str, role: str = "") -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": "samla", "sub": sub, "iat": now, "exp": now + 600,
                  "realm_access": {"roles": ROLES[role]}}
        if role == "service":
            claims["azp"] = sub  # a client-credentials token: the client is its own subject
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "test"})

    def call(self, method: str, path: str, *, as_: str = "admin-1", role: str = "admin", expect: int | None = None,
             **kwargs: Any) -> Any:
        response = self.client.request(method, path, headers={"authorization": f"Bearer {self.token(as_, role)}"},
                                       **kwargs)
        if expect is not None:
            assert response.status_code == expect, response.text
        return response

    def deliver(self, event_type: str, data: dict[str, Any], key: str) -> None:
        """Applies an event through the consumer's own handlers, as the Kafka loop would."""
        from samla_network.main import build_registry

        handler = build_registry().get(event_type)
        assert handler is not None, event_type
        self._seq[key] = self._seq.get(key, 0) + 1
        env = Envelope(id=str(uuid.uuid4()), type=event_type, source="/test", subject=key,
                       time=datetime.now(UTC), data=data, sequence=self._seq[key])
        with unit_of_work(self.factory) as session:
            handler(session, env)

    def org_unit(self, unit_id: str, name: str, kind: str, parent_id: str | None = None) -> None:
        self.deliver("se.samla.identity.orgunit.upserted.v1", {
            "id": unit_id, "name": name, "kind": kind, "parent_id": parent_id,
            "updated_at": "2026-11-26T08:00:00Z"}, unit_id)

    def person(self, person_id: str, *, org_unit_id: str, level: str = "enhetschef", manager_id: str | None = None,
               email: str | None = None) -> None:
        self.deliver("se.samla.identity.person.upserted.v1", {
            "id": person_id, "name": f"Namn {person_id}", "email": email or f"{person_id}@kommun.example",
            "org_unit_id": org_unit_id, "level": level, "manager_id": manager_id, "active": True,
            "updated_at": "2026-11-26T08:00:00Z"}, person_id)

    def attend(self, event_id: str, person_id: str, *, checked_in: bool = True) -> None:
        data = {"event_id": event_id, "person_id": person_id, "occurred_at": "2026-11-26T08:00:00Z",
                "walk_in": False, "from_waiting_list": False}
        self.deliver("se.samla.events.registration.registered.v1", data, event_id)
        if checked_in:
            self.deliver("se.samla.events.registration.checked_in.v1", {
                "event_id": event_id, "person_id": person_id, "occurred_at": "2026-11-26T08:05:00Z",
                "method": "qr", "checked_in_at": "2026-11-26T08:05:00Z"}, event_id)

    def municipality(self, prefix: str, *, administrations: int, per_administration: int) -> list[str]:
        """An org tree with `administrations` förvaltningar and that many managers in each; returns their ids."""
        self.org_unit(f"{prefix}-k", "Kommunen", "kommun")
        ids = []
        for a in range(administrations):
            unit = f"{prefix}-a{a}"
            self.org_unit(unit, f"Förvaltning {prefix} {a}", "forvaltning", f"{prefix}-k")
            for k in range(per_administration):
                pid = f"{prefix}-p{a}-{k}"
                self.person(pid, org_unit_id=unit)
                ids.append(pid)
        return ids

    def run_to_end(self, run_id: str) -> dict[str, Any]:
        self.call("POST", f"/runs/{run_id}/start", expect=202)
        wait_for(lambda: self.call("GET", f"/runs/{run_id}/status").json()["status"] in ("done", "failed"))
        return dict(self.call("GET", f"/runs/{run_id}", expect=200).json())


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _serving(directory: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _database(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'network.db'}"
        return
    name = f"samla_test_net_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def open_network(url: str, tmp: Path, backend: str, **overrides: str) -> Iterator[Network]:
    """The network app on `url` with tokens checked against a key made here; relay and consumer off unless
    overridden."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = {**json.loads(RSAAlgorithm.to_jwk(key.public_key())), "kid": "test", "use": "sig", "alg": "RS256"}
    (tmp / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
    grpc_port = free_port()
    with _serving(tmp) as jwks_base, pytest.MonkeyPatch.context() as env:
        settings = {"SAMLA_VAR_DIR": str(tmp), "SAMLA_NETWORK_DATABASE_URL": url,
                    "SAMLA_NETWORK_GRPC_PORT": str(grpc_port), "SAMLA_NETWORK_RELAY_ENABLED": "false",
                    "SAMLA_NETWORK_KAFKA_CONSUMER_ENABLED": "false", "SAMLA_NETWORK_MAIL_SENDER_ENABLED": "false",
                    "SAMLA_NETWORK_PROGRESS_WRITE_SECONDS": "0.05", "OIDC_ISSUER": ISSUER,
                    "OIDC_JWKS_URL": f"{jwks_base}/jwks.json", **overrides}
        for name, value in settings.items():
            env.setenv(name, value)
        from samla_common.migrations import upgrade
        from samla_network import config
        from samla_network.main import create

        config.get_settings.cache_clear()
        upgrade("network", url)
        app = create()
        try:
            with TestClient(app) as client:
                yield Network(client=client, app=app, factory=app.state.session_factory, key=key,
                              grpc_target=f"127.0.0.1:{grpc_port}", backend=backend)
        finally:
            config.get_settings.cache_clear()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def network(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    tmp = tmp_path_factory.mktemp("network")
    for url in _database(request.param, tmp):
        with open_network(url, tmp, request.param) as n:
            yield n


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(url, backend) of an empty database for a test that opens apps of its own (restarts, settings)."""
    for url in _database(request.param, tmp_path):
        yield url, request.param


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex[:6]
