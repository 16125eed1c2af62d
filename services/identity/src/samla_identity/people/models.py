"""People and org units, as the directory knows them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_identity.db import Base


class OrgUnit(Base):
    __tablename__ = "org_units"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(300), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))  # kommunkoncern, forvaltning, bolag, avdelning, enhet
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Person(Base):
    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)  # the IdP's sub
    # How directories name the person: SCIM userName / Keycloak username, the source system's id, HR's number.
    user_name: Mapped[str | None] = mapped_column(String(300), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(300), index=True)
    employee_number: Mapped[str | None] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(20), default="api")  # api, scim, keycloak, import, demo
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped on every change; SCIM ETags use it
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


class PersonPlacement(Base):
    """Where a person sat in the organisation and when, so past events show the org unit people had then."""

    __tablename__ = "person_placements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    org_unit_id: Mapped[str | None] = mapped_column(String(200))
    manager_id: Mapped[str | None] = mapped_column(String(200))
    level: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str | None] = mapped_column(String(300))
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # None: the current placement
