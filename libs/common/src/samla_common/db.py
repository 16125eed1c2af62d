"""Database engine, sessions and the platform tables (outbox, inbox) every service carries.

Every service owns its own database. SQLite is the embedded default; PostgreSQL when DATABASE_URL says so.
"""

from __future__ import annotations

from collections.abc import Iterator
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
from sqlalchemy.orm import Session, sessionmaker

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


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Creates an engine; for SQLite enables WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
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
        @event.listens_for(engine, "connect")
        def _no_pysqlite_tx(dbapi_conn: Any, _: Any) -> None:
            dbapi_conn.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin_immediate(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


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


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
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
