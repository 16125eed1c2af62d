"""Brings the sessions table up to date at start (SAMLA_GATEWAY_MIGRATE_ON_START, on by default).

Replicas starting together on PostgreSQL take turns behind an advisory lock, so one migrates and the others
find the work done.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url

from samla_common import migrations
from samla_common.db import ensure_database, make_engine

LOCK_ID = 0x5A4D4C41  # "SMLA": any constant the gateway alone uses


def upgrade(database_url: str) -> None:
    if make_url(database_url).get_backend_name() != "postgresql":
        migrations.upgrade("gateway", database_url)
        return
    ensure_database(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": LOCK_ID})
            try:
                migrations.upgrade("gateway", database_url)
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": LOCK_ID})
    finally:
        engine.dispose()
