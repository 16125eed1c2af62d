"""API shapes for org units."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OrgUnitIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"id": "ou-utb", "name": "Utbildningsförvaltningen", "kind": "forvaltning", "parent_id": "ou-kommun"}]})

    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:\-]+$")
    name: str = Field(min_length=1, max_length=300)
    kind: str = Field(description="kommunkoncern, forvaltning, bolag, avdelning or enhet")
    parent_id: str | None = Field(None, max_length=200)


class OrgUnitOut(OrgUnitIn):
    model_config = ConfigDict(from_attributes=True)
