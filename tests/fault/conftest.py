"""The real stack as `make run` starts it, on PostgreSQL with databases of its own, for the fault tests.

The stack is shared by the module's tests (starting it is the expensive part); each test runs its own burst and
fault and then checks the whole ledger of acknowledged operations, so any test can also run alone.
"""

from __future__ import annotations

import signal
import tempfile
import time
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from deploy.local.stack import Ports, Stack
from tests.fault.day import Day, prepare_day

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
LOG_LINES_BEFORE_FAILURE = 200
_stacks: list[Stack] = []  # the running fault stack, for the failure report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed fault test reports what the stack was doing: every service process writes all its threads' stacks
    to the log (SIGQUIT, docs/runbook.md) and the end of the log goes into the report. The stack's log lives in a
    temporary directory that is gone once the run ends, and a fault that shows once in many runs must be
    diagnosable from CI's output alone."""
    report: pytest.TestReport = yield
    if report.when in ("setup", "call") and report.failed and _stacks:
        report.sections.append(("stack log (end, with every thread's stack)", _stack_dump(_stacks[-1])))
    return report


def _stack_dump(stack: Stack) -> str:
    if stack.log_file is None or not stack.log_file.exists():
        return "(no stack log)"
    before = stack.log_file.read_text(errors="replace").splitlines()
    for name, proc in stack.procs.items():
        if name != "broker" and proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)
    time.sleep(1)  # the dumps pass through the log pump
    dumps = stack.log_file.read_text(errors="replace").splitlines()[len(before):]
    return "\n".join([*before[-LOG_LINES_BEFORE_FAILURE:], "--- every thread's stack (SIGQUIT) ---", *dumps])


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
            _stacks.append(stack)
            yield stack
        finally:
            if stack in _stacks:
                _stacks.remove(stack)
            stack.stop_all()
            drop_databases(prefix)


@pytest.fixture(scope="session")
def day(fault_stack: Stack) -> Day:
    """A chefsdag with registration and check-in open, an open prompt and approved questions to vote on."""
    return prepare_day(fault_stack)
