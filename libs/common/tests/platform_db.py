"""A tiny database with the platform tables and one effect table, used by samla_common's tests."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import define_platform_tables, make_engine, make_session_factory, new_metadata

TEST_TYPE = "se.samla.identity.orgunit.removed.v1"  # a real contract type with a tiny schema


def build(url: str) -> tuple[sessionmaker[Session], Table]:
    metadata: MetaData = new_metadata()
    define_platform_tables(metadata)
    effects = Table("effects", metadata,
                    Column("id", Integer, primary_key=True, autoincrement=True),
                    Column("event_id", String(64), nullable=False),
                    Column("key", String(200), nullable=False),
                    Column("seq", Integer, nullable=False))
    engine = make_engine(url)
    metadata.create_all(engine)  # tests only; services use their Alembic migrations
    return make_session_factory(engine), effects


def event_data(n: int) -> dict[str, str]:
    return {"id": f"ou-{n}", "removed_at": "2026-11-26T09:00:00Z"}
