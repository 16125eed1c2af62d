"""HTTP API of spreadsheet imports (`/imports`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, UploadFile

from samla_common.auth import ADMIN, Principal, require_roles
from samla_common.deps import SessionDep
from samla_identity.imports import reading, service
from samla_identity.imports.schemas import ImportOut

router = APIRouter(prefix="/imports", tags=["directory import"])
Admin = Annotated[Principal, Depends(require_roles(ADMIN))]


@router.post("", response_model=ImportOut, status_code=201,
             summary="Upload a CSV or XLSX of people: every row is checked and a preview returned; nothing is "
                     "imported until commit. Roles: samla-admin.",
             responses={413: {"description": "Larger than 20 MB"}, 415: {"description": "Not CSV or XLSX"},
                        422: {"description": "The file cannot be read (encoding, empty, too many rows, damaged)"}})
def upload_import(file: UploadFile, session: SessionDep, principal: Admin,
                  deactivate_missing: Annotated[bool, Query(
                      description="Also deactivate people an earlier import created who are not in this file")] = False
                  ) -> ImportOut:
    data = file.file.read(reading.MAX_BYTES + 1)  # one byte over is enough to refuse it
    record = service.upload(session=session, filename=file.filename, data=data, uploaded_by=principal.sub,
                            deactivate_missing=deactivate_missing)
    return service.to_out(record)


@router.get("/{import_id}", response_model=ImportOut, summary="One import and its preview. Roles: samla-admin.")
def get_import(import_id: str, session: SessionDep, _: Admin) -> ImportOut:
    return service.to_out(service.get(session=session, import_id=import_id))


@router.post("/{import_id}/commit", response_model=ImportOut,
             summary="Import every row in one transaction, or nothing if any row is invalid. Roles: samla-admin.",
             responses={409: {"description": "Rows are invalid (nothing imported), or already imported"}})
def commit_import(import_id: str, session: SessionDep, principal: Admin) -> ImportOut:
    return service.to_out(service.commit(session=session, import_id=import_id, committed_by=principal.sub))
