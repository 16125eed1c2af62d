"""Fixtures for the events service: a migrated database per module (SQLite and PostgreSQL), a token issuer,
identity's gRPC API served from an in-memory directory, and the app itself."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import make_engine, make_session_factory
from samla_common.migrations import upgrade
from services.events.tests.support.directory import Directory, free_port, start_fake_identity
from services.events.tests.support.issuer import SERVICE_SECRET, LocalIssuer

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated events database per test module and backend; tests keep apart by using their own days."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('events-db') / 'events.db'}"
        upgrade("events", url)
        yield url
        return
    name = f"samla_test_events_{uuid.uuid4().hex[:10]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        upgrade("events", f"{PG_SERVER}/{name}")
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="session")
def issuer() -> Iterator[LocalIssuer]:
    i = LocalIssuer()
    yield i
    i.stop()


@pytest.fixture(scope="session")
def directory(issuer: LocalIssuer) -> Iterator[tuple[Directory, str]]:
    """identity's IdentityService over real gRPC with real token checks, answering from an in-memory directory."""
    d = Directory()
    d.units = {"ou-k": ("Kommunkoncernen", ""), "ou-utb": ("Utbildningsförvaltningen", "ou-k"),
               "ou-utb-g": ("Grundskola", "ou-utb"), "ou-soc": ("Socialförvaltningen", "ou-k")}
    server, target = start_fake_identity(issuer.url, d)
    yield d, target
    server.stop(0)


class Api:
    """The events app over HTTP (TestClient), calling as whoever a test names."""

    def __init__(self, client: TestClient, issuer: LocalIssuer, app: Any) -> None:
        self.client, self.issuer, self.app = client, issuer, app

    def headers(self, sub: str, roles: list[str]) -> dict[str, str]:
        return {"authorization": f"Bearer {self.issuer.token(sub=sub, roles=roles)}"}

    def call(self, method: str, path: str, *, sub: str = "admin-1", roles: list[str] | None = None,
             **kwargs: Any) -> Any:
        roles = ["samla-admin"] if roles is None else roles
        return self.client.request(method, path, headers=self.headers(sub, roles), **kwargs)


@contextmanager
def open_api(db_url: str, issuer: LocalIssuer, identity_target: str, var_dir: Path, **overrides: str) -> Iterator[Api]:
    """The events app on `db_url`: gRPC server on a free port, relay and consumer off, jobs off unless overridden."""
    env = {"SAMLA_EVENTS_DATABASE_URL": db_url, "SAMLA_VAR_DIR": str(var_dir),
           "SAMLA_EVENTS_GRPC_PORT": str(free_port()), "SAMLA_EVENTS_RELAY_ENABLED": "false",
           "SAMLA_EVENTS_KAFKA_CONSUMER_ENABLED": "false", "SAMLA_EVENTS_JOBS_ENABLED": "false",
           "SAMLA_EVENTS_IDENTITY_GRPC_TARGET": identity_target, "SAMLA_CLIENT_SECRET": SERVICE_SECRET,
           "OIDC_ISSUER": issuer.url, "SAMLA_AUTH": "oidc", "SAMLA_EVENTS_SMTP_HOST": "",
           "SAMLA_EVENTS_PUBLIC_BASE_URL": "https://samla.kommun.example", **overrides}
    from samla_events import config, main

    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        config.get_settings.cache_clear()
        app = main.create()
        try:
            with TestClient(app) as client:
                yield Api(client, issuer, app)
        finally:
            app.state.identity.close()
            config.get_settings.cache_clear()


@pytest.fixture(scope="module")
def api(db_url: str, issuer: LocalIssuer, directory: tuple[Directory, str],
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """The events app on the module's database, with jobs off (tests run them when they need them)."""
    with open_api(db_url, issuer, directory[1], tmp_path_factory.mktemp("var")) as a:
        yield a
