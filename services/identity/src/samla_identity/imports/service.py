"""Spreadsheet imports: upload (read, check, keep the file, show a preview), then commit everything or nothing."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from samla_common.errors import Conflict, NotFound
from samla_identity.imports import reading, validation
from samla_identity.imports.models import DirectoryImport
from samla_identity.imports.schemas import ImportOut
from samla_identity.orgunits import service as orgunits
from samla_identity.people import service as people

PROBLEMS_KEPT = 1000  # per list in a stored report; errors_total counts them all


def display_name(raw: str | None) -> str:
    """The client's file name reduced to something safe to show; it never names anything on disk."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()[:200]
    return name if name.strip(".") else "upload"


def upload(*, session: Session, filename: str | None, data: bytes, uploaded_by: str,
           deactivate_missing: bool = False) -> DirectoryImport:
    """Reads and checks an upload and keeps it for commit; a file that cannot be read at all raises FileRejected."""
    name = display_name(filename)
    sheet = reading.read(filename=name, data=data)
    checked = validation.check(session=session, sheet=sheet, deactivate_missing=deactivate_missing)
    record = DirectoryImport(
        id=str(uuid.uuid4()), filename=name, format=sheet.format, size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(), content=data, deactivate_missing=deactivate_missing,
        status="previewed", valid=not checked.errors, rows_total=checked.rows_total, report=_report(checked),
        uploaded_by=uploaded_by, created_at=datetime.now(UTC))
    session.add(record)
    session.flush()
    return record


def get(*, session: Session, import_id: str) -> DirectoryImport:
    """Gets one import by id."""
    record = session.get(DirectoryImport, import_id)
    if record is None:
        raise NotFound(f"No import with id {import_id!r}.")
    return record


def commit(*, session: Session, import_id: str, committed_by: str) -> DirectoryImport:
    """Applies an import in the caller's transaction. The file is checked again against today's directory, and
    if any row is invalid nothing is written (Conflict with the errors); a second commit is a Conflict too."""
    record = session.get(DirectoryImport, import_id, with_for_update=True)
    if record is None:
        raise NotFound(f"No import with id {import_id!r}.")
    if record.status == "imported":
        raise Conflict(f"This file was already imported ({_iso(record.committed_at)}); upload it again to re-import.")
    sheet = reading.read(filename=record.filename, data=record.content)
    checked = validation.check(session=session, sheet=sheet, deactivate_missing=record.deactivate_missing)
    if checked.errors:
        raise Conflict(f"Nothing was imported: {len(checked.errors)} problems in the file. Fix them and upload "
                       "the file again.", errors=checked.errors[:PROBLEMS_KEPT])
    for unit in checked.units:
        orgunits.upsert(session=session, data=unit)
    for data, action in checked.people:
        if action != "unchanged":
            people.upsert(session=session, data=data, source=validation.SOURCE, active=True)
    for person_id in checked.deactivate:
        people.deactivate(session=session, person_id=person_id, source=validation.SOURCE)
    record.status = "imported"
    record.report = _report(checked)
    record.committed_by = committed_by
    record.committed_at = datetime.now(UTC)
    session.flush()
    return record


def to_out(record: DirectoryImport) -> ImportOut:
    """The API view of an import."""
    r = record.report
    return ImportOut(id=record.id, filename=record.filename, format=record.format, status=record.status,
                     valid=record.valid, rows_total=record.rows_total, summary=r["summary"], errors=r["errors"],
                     errors_total=r["errors_total"], warnings=r["warnings"], preview=r["preview"],
                     created_at=record.created_at, committed_at=record.committed_at)


def _report(checked: validation.Checked) -> dict[str, Any]:
    return {"summary": checked.summary(), "errors": checked.errors[:PROBLEMS_KEPT], "errors_total": len(checked.errors),
            "warnings": checked.warnings[:PROBLEMS_KEPT], "preview": checked.preview}


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value else "earlier"
