"""Database engine, sessions and the platform tables (outbox, inbox) every service carries.

Every service owns its own database. SQLite is the embedded default; PostgreSQL when DATABASE_URL says so.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
import time
import traceback
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    text,
)
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# Explicit constraint names so that Alembic migrations are the same on SQLite and PostgreSQL (STYLE 6).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite has no BIGINT autoincrement; BIGINT elsewhere so outbox positions never wrap.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def new_metadata() -> MetaData:
    """A MetaData with the project's naming convention, one per service."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def define_platform_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Adds the `outbox` and `inbox` tables to a service's metadata (for its migrations)."""
    outbox = Table(
        "outbox",
        metadata,
        # The position: the relay publishes in this order, which per aggregate is also `seq` order.
        Column("id", BigId, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("type", String(200), nullable=False),
        Column("source", String(200), nullable=False),
        Column("time", DateTime(timezone=True), nullable=False),
        Column("data", JSON, nullable=False),
        Column("traceparent", String(100), nullable=True),
        Column("tracestate", String(500), nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("last_error", Text, nullable=True),
        # Two writers racing on one aggregate collide here instead of publishing out of order.
        UniqueConstraint("key", "seq", "topic", name="uq_outbox_key_seq"),
        Index("ix_outbox_pending", "sent_at", "id"),
        Index("ix_outbox_time", "time"),
    )
    inbox = Table(
        "inbox",
        metadata,
        Column("consumer", String(200), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("topic", String(200), nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False),
    )
    return outbox, inbox


SQLITE_POOL_SIZE = 40  # = anyio's default number of worker threads, which run the sync endpoints


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Creates an engine; for SQLite enables WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if "poolclass" not in kwargs and path != ":memory:":
            # A burst of requests should queue on the write lock, not on the pool. The pool keeps as many connections
            # as HTTP requests can run at once (anyio's 40 worker threads; gRPC workers, the relay and the consumer
            # use the overflow): an overflow connection is closed when it comes back, and opening one costs ~1.6 ms
            # of CPU (the pragmas below and SQLite reading the schema again), which a burst above 10 kept
            # connections paid on almost every request.
            kwargs.setdefault("pool_size", SQLITE_POOL_SIZE)
            kwargs.setdefault("max_overflow", 20)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        # pysqlite's own transaction handling defers BEGIN; emit it ourselves so that a write
        # transaction takes the lock at its first statement (BEGIN IMMEDIATE avoids deadlock-on-upgrade).
        # Read-only sessions (see make_session_factory) begin deferred: WAL lets them read a snapshot without
        # queueing behind writers, so a burst of answers does not stall the board that shows them.
        @event.listens_for(engine, "connect")
        def _no_pysqlite_tx(dbapi_conn: Any, _: Any) -> None:
            dbapi_conn.isolation_level = None

        turn = WriterTurn()

        _TURNS[engine] = turn

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            options = conn.get_execution_options()
            if options.get(READ_ONLY):
                conn.exec_driver_sql("BEGIN")
                return
            if options.get(TURN_HELD):  # a request that waited for the turn before it started (samla_common.deps)
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            turn.take(conn.info)
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            except BaseException:
                turn.give_back(conn.info)
                raise

        # The turn ends with the transaction, and at the latest when the connection goes back to the pool or
        # breaks, so a failure path can never keep it. The transaction is ended here, before the turn is given
        # back (SQLAlchemy's own COMMIT would come after this hook and find nothing left to do), so the next
        # writer never finds the lock still held.
        @event.listens_for(engine, "commit")
        def _commit(conn: Any) -> None:
            _end(conn, "COMMIT")

        @event.listens_for(engine, "rollback")
        def _rollback(conn: Any) -> None:
            _end(conn, "ROLLBACK")

        def _end(conn: Any, statement: str) -> None:
            raw = conn.connection.driver_connection
            if raw is not None and raw.in_transaction:
                raw.execute(statement)
            turn.give_back(conn.info)
        def _returned(_dbapi: Any, record: Any, *_: Any) -> None:
            if record is not None:
                turn.give_back(record.info)

        # "reset" is listened to with its three named arguments: SQLAlchemy takes a listener it cannot match to
        # that signature for the old two-argument one and warns on every return of a connection to the pool
        # (a Python warning per request, ~3 % of a hot write's CPU).
        def _reset(dbapi_connection: Any, connection_record: Any, reset_state: Any) -> None:
            _returned(dbapi_connection, connection_record)

        event.listen(engine.pool, "reset", _reset)
        for name in ("checkin", "close", "invalidate", "soft_invalidate"):
            event.listen(engine.pool, name, _returned)

        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


class WriterTurn:
    """One SQLite write transaction at a time in this process, handed over as the last one ends.

    Without it, concurrent writers wait in SQLite's busy handler, which polls with sleeps: under a burst some
    writers keep missing the moments the lock is free and give up after the busy timeout ("database is locked")
    while others go through. Waiting on a lock here wakes the next writer at once. Other processes (the `samla`
    CLI) still meet the busy timeout, as before.
    """

    KEY = "samla_writer_turn"

    def __init__(self, timeout: float = 30.0) -> None:
        self._lock = threading.Lock()
        self.timeout = timeout
        # What a timeout reports: (thread id, since, request). A request holds the turn across threads, so for it
        # the request (method and path) is named; the thread that took the turn serves others by then.
        self._holder: tuple[int, float, str] | None = None

    def take(self, info: dict[Any, Any]) -> None:
        if info.get(self.KEY):
            return  # this connection holds it already (a savepoint or a nested begin)
        if not self._lock.acquire(timeout=self.timeout):
            self._report_holder()
            raise OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError(
                f"database is locked: no turn to write within {self.timeout:.0f} s"))
        info[self.KEY] = True
        self._holder = (threading.get_ident(), time.monotonic(), "")

    def give_back(self, info: dict[Any, Any]) -> None:
        if info.pop(self.KEY, False):
            self._holder = None
            self._lock.release()

    def acquire_for_request(self, request: str = "a request") -> bool:
        """Waits for the turn on behalf of a whole request (see samla_common.deps.get_session); False on timeout.
        `request` names it ("POST /prompts/…/responses") in the report a waiter's timeout writes."""
        if not self._lock.acquire(timeout=self.timeout):
            self._report_holder()
            return False
        self._holder = (threading.get_ident(), time.monotonic(), request)
        return True

    def release_for_request(self) -> None:
        self._holder = None
        self._lock.release()

    def _report_holder(self) -> None:
        """Logs where the transaction that keeps the turn started and where its thread is now (a stuck writer
        is a bug: this is what finds it)."""
        holder = self._holder
        if holder is None:
            return
        thread_id, since, request = holder
        if request:
            log.error("a write transaction has kept the database for %.0f s; it belongs to the request %s",
                      time.monotonic() - since, request)
            return
        frame = sys._current_frames().get(thread_id)
        where = "".join(traceback.format_stack(frame)[-12:]) if frame is not None else "(thread gone)"
        log.error("a write transaction has kept the database for %.0f s; its thread is at:\n%s",
                  time.monotonic() - since, where)


def ensure_database(url: str) -> None:
    """Creates the PostgreSQL database named in `url` when it does not exist (dev and tests)."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if u.get_backend_name() != "postgresql":
        return
    admin = create_engine(u.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": u.database}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{u.database}"'))
    finally:
        admin.dispose()


READ_ONLY = "samla_read_only"
TURN_HELD = "samla_turn_held"
_TURNS: weakref.WeakKeyDictionary[Engine, WriterTurn] = weakref.WeakKeyDictionary()


def writer_turn(engine: Engine) -> WriterTurn | None:
    """The SQLite engine's writer turn; None on PostgreSQL, where writers need none."""
    return _TURNS.get(engine)


def make_session_factory(engine: Engine, *, read_only: bool = False) -> sessionmaker[Session]:
    """Sessions on `engine`. `read_only` sessions are for requests that only read (GET): on SQLite they do not take
    the write lock. A write in one still works, but may fail with "database is locked" if another writer committed
    since its first read, so only reading requests should get one."""
    bind = engine.execution_options(**{READ_ONLY: True}) if read_only else engine
    return sessionmaker(bind=bind, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: Callable[[], Session]) -> Iterator[Session]:
    """One transaction: commits once at the end, rolls back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
