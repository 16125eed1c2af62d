"""The real stack as `make run` starts it, on PostgreSQL with databases of its own, for the fault tests.

The stack is shared by the module's tests (starting it is the expensive part); each test runs its own burst and
fault and then checks the whole ledger of acknowledged operations, so any test can also run alone.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from deploy.local.stack import Ports, Stack
from tests.fault.day import Day, prepare_day

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


def drop_databases(prefix: str) -> None:
    """Drops every database of this test session (`<prefix>_<service>`), whoever is still connected."""
    admin = create_engine(f"{PG_SERVER.replace('postgresql://', 'postgresql+psycopg://')}/postgres",
                          isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE :p"),
                                 {"p": f"{prefix}\\_%"}).scalars().all()
            for name in names:
                conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def fault_stack() -> Iterator[Stack]:
    prefix = f"samla_fault_{uuid.uuid4().hex[:10]}"
    # Not under pytest's basetemp: a concurrent pytest run prunes old basetemps, and with them this stack's
    # signing key and client secret while it runs.
    with tempfile.TemporaryDirectory(prefix="samla-fault-") as tmp:
        stack = Stack(var_dir=Path(tmp) / "var", ports=Ports.free(), database_url=f"{PG_SERVER}/{prefix}",
                      color=False, log_file=Path(tmp) / "stack.log")
        try:
            stack.start_all(ready_timeout=120)
            yield stack
        finally:
            stack.stop_all()
            drop_databases(prefix)


@pytest.fixture(scope="session")
def day(fault_stack: Stack) -> Day:
    """A chefsdag with registration and check-in open, an open prompt and approved questions to vote on."""
    return prepare_day(fault_stack)
