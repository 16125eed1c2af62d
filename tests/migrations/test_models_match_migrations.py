"""Each service's Alembic migrations produce exactly the schema its models describe (SQLite and PostgreSQL)."""

from __future__ import annotations

import importlib

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from samla_common.db import make_engine
from samla_common.migrations import upgrade

pytestmark = pytest.mark.integration
SERVICES = ("identity", "events", "feedback", "network")


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_match_the_models(service: str, database_url: str) -> None:
    importlib.import_module(f"samla_{service}.main")  # registers every model of the service on its metadata
    metadata = importlib.import_module(f"samla_{service}.db").metadata
    upgrade(service, database_url)
    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    engine.dispose()
    # Index differences are reported by autogenerate as ("add_index"/"remove_index", ...): they count too.
    assert diff == [], f"{service}: models and migrations differ: {diff}"
