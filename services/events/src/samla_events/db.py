"""The events database: its metadata (for migrations), the platform tables, the read models of identity and a
UTC timestamp type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import Column, DateTime, Integer, String, Table
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from samla_common.db import define_platform_tables, new_metadata
from samla_common.directory import define_people_table

metadata = new_metadata()


class UtcDateTime(TypeDecorator[datetime]):
    """A moment, always aware and in UTC in Python. SQLite keeps no offset, so naive values read back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = metadata
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime}


define_platform_tables(metadata)
people = define_people_table(metadata)
# The read model of identity.orgunit.v1: enough of the tree to find the administration a person belongs to.
org_units = Table(
    "directory_org_units",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("parent_id", String(200)),
    Column("source_seq", Integer, nullable=False, default=0),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
