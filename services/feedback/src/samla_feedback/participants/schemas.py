"""API shapes for table rosters and a participant's context."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

PERSON_ID = r"^[A-Za-z0-9._@:\-]+$"


class TableMembersIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "round_no": 1, "members": ["p-1042", "p-1043", "p-1044", "p-1045", "p-1046", "p-1047", "p-1048"],
        "scribe_id": "p-1043"}]})

    round_no: int = Field(0, ge=0, le=50, description="The dialogue round; 0 for the whole day")
    members: list[str] = Field(max_length=40, description="Person ids (the IdP's sub) at the table")
    scribe_id: str | None = Field(None, max_length=200, description="Who writes the table's shared answers")


class TableOut(BaseModel):
    round_no: int
    table_id: str
    members: list[str]
    scribe_id: str | None


class ContextOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "event_id": "chefsdag-2026-11", "round_no": 1, "table_id": "T12", "scribe": False,
        "administration_id": "ou-utb", "level": "enhetschef"}]})

    event_id: str
    round_no: int | None
    table_id: str | None
    scribe: bool
    administration_id: str | None
    level: str | None
