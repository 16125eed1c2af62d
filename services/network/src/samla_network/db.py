"""The network database: its metadata (for migrations), the platform tables and the read models of identity."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table
from sqlalchemy.orm import DeclarativeBase

from samla_common.db import define_platform_tables, new_metadata
from samla_common.directory import define_people_table

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


def define_org_units_table(metadata: MetaData) -> Table:
    """The read model of identity.orgunit.v1: the tree, for administrations and "this unit and below"."""
    return Table(
        "directory_org_units",
        metadata,
        Column("id", String(200), primary_key=True),
        Column("name", String(300), nullable=False),
        Column("kind", String(40), nullable=False),
        Column("parent_id", String(200)),
        Column("source_seq", Integer, nullable=False, default=0),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )


define_platform_tables(metadata)
people = define_people_table(metadata)
org_units = define_org_units_table(metadata)
