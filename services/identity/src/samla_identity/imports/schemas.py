"""API shapes of spreadsheet imports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Problem(BaseModel):
    row: int | None = Field(description="Row as numbered in the spreadsheet (headings are usually row 1)")
    column: str | None = Field(description="The column's heading as written in the file")
    code: str
    message: str = Field(description="Swedish")
    message_en: str


class ImportOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "0b5c2d0e-8a51-4a57-9d0c-6f1f3f0a9a11", "filename": "chefer.csv", "format": "csv", "status": "previewed",
        "valid": False, "rows_total": 412,
        "summary": {"create": 3, "update": 12, "unchanged": 396, "deactivate": 0, "org_units_create": 1},
        "errors": [{"row": 14, "column": "E-post", "code": "invalid_email",
                    "message": "Rad 14, kolumn E-post: 'anna@' är ingen giltig e-postadress",
                    "message_en": "Row 14, column E-post: 'anna@' is not a valid e-mail address"}],
        "errors_total": 1, "warnings": [],
        "preview": [{"row": 2, "action": "create", "id": "p-1042", "name": "Karin Lindqvist",
                     "email": "karin.lindqvist@kommun.example", "level": "enhetschef"}],
        "created_at": "2026-11-26T08:00:00Z", "committed_at": None}]})

    id: str
    filename: str
    format: str
    status: str = Field(description="previewed or imported")
    valid: bool
    rows_total: int
    summary: dict[str, int]
    errors: list[Problem]
    errors_total: int
    warnings: list[Problem]
    preview: list[dict[str, Any]] = Field(description="The first 50 rows as they would be imported")
    created_at: datetime
    committed_at: datetime | None
