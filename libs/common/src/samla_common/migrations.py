"""Alembic glue: each service's migrations/env.py calls `run_env`; `upgrade` is the prestart step."""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool

from samla_common.db import ensure_database, make_engine


def service_dir(service: str) -> Path:
    """services/<svc>/ next to the package source (editable install) or /app/services/<svc> in images."""
    pkg = importlib.import_module(f"samla_{service}")
    return Path(pkg.__file__).resolve().parents[2]  # type: ignore[arg-type]


def alembic_config(service: str, database_url: str) -> Config:
    root = service_dir(service)
    cfg = Config(str(root / "alembic.ini"))
    cfg.set_main_option("script_location", str(root / "migrations"))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(service: str, database_url: str, revision: str = "head") -> None:
    """Creates the database if needed (PostgreSQL) and runs the service's migrations."""
    ensure_database(database_url)
    command.upgrade(alembic_config(service, database_url), revision)


def run_env(metadata: MetaData, default_url: str) -> None:
    """Body of a service's migrations/env.py."""
    url = context.config.attributes.get("database_url") or default_url
    engine = make_engine(url, poolclass=pool.NullPool) if not url.startswith("sqlite") else make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=url.startswith("sqlite"), compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def create_platform_tables() -> None:
    """For a service's first migration: creates `outbox` and `inbox` exactly as samla_common defines them."""
    from alembic import op

    from samla_common.db import define_platform_tables, new_metadata

    outbox, _ = define_platform_tables(new_metadata())
    outbox.metadata.create_all(op.get_bind())


def create_directory_people_table() -> None:
    """For a consuming service's migration: the read model of identity.person.v1 (samla_common.directory)."""
    from alembic import op

    from samla_common.db import new_metadata
    from samla_common.directory import define_people_table

    define_people_table(new_metadata()).create(op.get_bind())
