"""The feedback service in-process on SQLite and PostgreSQL, with real token checks.

One app and database per test module and backend (migrations are the slow part); tests keep apart by using an
event id of their own. Tokens are signed with a key made here and checked by the service's own verifier against a
key set served on loopback, so no identity provider has to run.
"""

from __future__ import annotations

import functools
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
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


@dataclass
class Feedback:
    client: TestClient
    factory: sessionmaker[Session]
    key: rsa.RSAPrivateKey
    grpc_target: str
    backend: str
    _seq: dict[str, int] = field(default_factory=dict)

    def token(self, sub: str, role: str = "", name: str = "") -> str:
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": "samla", "sub": sub, "iat": now, "exp": now + 600, "name": name,
                  "realm_access": {"roles": ROLES[role]}}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "test"})

    def auth(self, sub: str, role: str = "") -> dict[str, str]:
        return {"authorization": f"Bearer {self.token(sub, role)}"}

    def call(self, method: str, path: str, *, as_: str, role: str = "", expect: int | None = None,
             **kwargs: Any) -> Any:
        response = self.client.request(method, path, headers=self.auth(as_, role), **kwargs)
        if expect is not None:
            assert response.status_code == expect, response.text
        return response

    def deliver(self, event_type: str, data: dict[str, Any]) -> None:
        """Applies an identity event through the consumer's own handlers, as the Kafka loop would."""
        from samla_feedback.main import build_registry

        handler = build_registry().get(event_type)
        assert handler is not None
        self._seq[data["id"]] = self._seq.get(data["id"], 0) + 1
        env = Envelope(id=str(uuid.uuid4()), type=event_type, source="/samla/identity", subject=data["id"],
                       time=datetime.now(UTC), data=data, sequence=self._seq[data["id"]])
        with unit_of_work(self.factory) as session:
            handler(session, env)

    def org_unit(self, unit_id: str, name: str, kind: str, parent_id: str | None = None) -> None:
        self.deliver("se.samla.identity.orgunit.upserted.v1", {
            "id": unit_id, "name": name, "kind": kind, "parent_id": parent_id, "updated_at": "2026-11-26T08:00:00Z"})

    def person(self, person_id: str, name: str, org_unit_id: str | None = None, level: str | None = None) -> None:
        self.deliver("se.samla.identity.person.upserted.v1", {
            "id": person_id, "name": name, "org_unit_id": org_unit_id, "level": level, "active": True,
            "updated_at": "2026-11-26T08:00:00Z"})


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _serving(directory: Path) -> Iterator[str]:
    """Serves `directory` over HTTP on loopback; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _database(backend: str, tmp: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'feedback.db'}"
        return
    name = f"samla_test_fb_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def feedback(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Feedback]:
    tmp = tmp_path_factory.mktemp("feedback")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = {**json.loads(RSAAlgorithm.to_jwk(key.public_key())), "kid": "test", "use": "sig", "alg": "RS256"}
    (tmp / "jwks.json").write_text(json.dumps({"keys": [jwk]}))
    grpc_port = free_port()
    for url in _database(request.param, tmp):
        with _serving(tmp) as jwks_base, pytest.MonkeyPatch.context() as env:
            env.setenv("SAMLA_VAR_DIR", str(tmp))
            env.setenv("SAMLA_FEEDBACK_DATABASE_URL", url)
            env.setenv("SAMLA_FEEDBACK_GRPC_PORT", str(grpc_port))
            env.setenv("SAMLA_FEEDBACK_RELAY_ENABLED", "false")
            env.setenv("SAMLA_FEEDBACK_KAFKA_CONSUMER_ENABLED", "false")
            env.setenv("SAMLA_FEEDBACK_LONG_POLL_INTERVAL_SECONDS", "0.05")
            env.setenv("OIDC_ISSUER", ISSUER)
            env.setenv("OIDC_JWKS_URL", f"{jwks_base}/jwks.json")
            from samla_common.migrations import upgrade
            from samla_common.service import create_app
            from samla_feedback import config
            from samla_feedback.main import build

            config.get_settings.cache_clear()
            upgrade("feedback", url)
            app = create_app(build())
            with TestClient(app) as client:
                yield Feedback(client=client, factory=app.state.session_factory, key=key,
                               grpc_target=f"127.0.0.1:{grpc_port}", backend=request.param)
            config.get_settings.cache_clear()


@pytest.fixture
def event_id() -> str:
    return f"ev-{uuid.uuid4().hex[:10]}"
