"""Uploaded spreadsheets, kept from preview to commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from samla_identity.db import Base


class DirectoryImport(Base):
    __tablename__ = "directory_imports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # a uuid; the client's file name is never a key
    filename: Mapped[str] = mapped_column(String(255))  # for display only
    format: Mapped[str] = mapped_column(String(10))  # csv, xlsx
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    deactivate_missing: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))  # previewed, imported
    valid: Mapped[bool] = mapped_column(Boolean)
    rows_total: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)  # summary, errors, warnings, preview
    uploaded_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    committed_by: Mapped[str | None] = mapped_column(String(200))
    committed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
