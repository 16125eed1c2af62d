"""Fixtures shared across the workspace: a real broker, SQLite and PostgreSQL databases, an OTLP receiver."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.support.broker import Broker, free_port

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@pytest.fixture(scope="session")
def broker() -> Iterator[Broker]:
    """One real broker for the session. Tests use unique topic names, so they do not see each other."""
    b = Broker(port=free_port()).start()
    yield b
    b.stop()


def _pg_database() -> Iterator[str]:
    name = f"samla_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database on SQLite and, in a second run of the test, on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        yield from _pg_database()


@pytest.fixture
def pg_database_url() -> Iterator[str]:
    yield from _pg_database()
