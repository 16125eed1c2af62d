"""The feedback database: its metadata (for migrations) and the platform tables."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from samla_common.db import define_platform_tables, new_metadata
from samla_common.directory import define_people_table

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


define_platform_tables(metadata)
people = define_people_table(metadata)
