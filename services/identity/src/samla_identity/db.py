"""The identity database: its metadata (for migrations) and the platform tables."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from samla_common.db import define_platform_tables, new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


define_platform_tables(metadata)
