"""People and org units, as the directory knows them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_identity.db import Base


class OrgUnit(Base):
    __tablename__ = "org_units"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))  # kommunkoncern, forvaltning, bolag, avdelning, enhet
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Person(Base):
    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the IdP's sub
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    level: Mapped[str | None] = mapped_column(String(60))
    org_unit_id: Mapped[str | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    manager_id: Mapped[str | None] = mapped_column(String(200), index=True)
    location: Mapped[str | None] = mapped_column(String(200))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
