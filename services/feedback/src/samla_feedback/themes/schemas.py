"""API shapes for themes and insights."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ThemeIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "title": "Tid för dialog med medarbetarna", "description": "Chefer vill ha utrymme att samtala om målen.",
        "response_ids": ["0b6a2b0e-58f1-4b8f-9a1c-6a1d3c1f4a20", "7c1d2e3f-0000-4000-8000-000000000002"]}]})

    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(None, max_length=2000)
    response_ids: list[str] = Field(default_factory=list, max_length=5000)


class ThemeResponsesIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "response_ids": ["0b6a2b0e-58f1-4b8f-9a1c-6a1d3c1f4a20"]}]})

    response_ids: list[str] = Field(max_length=5000)


class PublishIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"process_id": "budget-2027"}]})

    process_id: str | None = Field(None, max_length=200, description="The budget or vision process it feeds")


class SpreadOut(BaseModel):
    administration_id: str
    name: str
    answers: int


class ThemeOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "3e4f5a6b-0000-4000-8000-000000000003", "event_id": "chefsdag-2026-11",
        "title": "Tid för dialog med medarbetarna", "description": None, "status": "published",
        "process_id": "budget-2027", "published_at": "2026-11-27T09:00:00Z", "answers": 46, "people": 46,
        "suppressed": False, "quotes": ["Vi behöver tid för att samtala med medarbetarna om målen."],
        "spread": [{"administration_id": "ou-utb", "name": "Utbildningsförvaltningen", "answers": 21}],
        "suppressed_groups": 2, "response_ids": None}]})

    id: str
    event_id: str
    title: str
    description: str | None
    status: str
    process_id: str | None
    published_at: datetime | None
    answers: int
    people: int
    suppressed: bool = Field(description="True while fewer than k people are in the theme: no quotes or spread")
    quotes: list[str]
    spread: list[SpreadOut] = Field(description="Administrations with at least k answers (after suppression)")
    suppressed_groups: int
    response_ids: list[str] | None = Field(description="Only for facilitators")


class SuggestionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "size": 12, "terms": ["tid", "dialog", "medarbet"], "cohesion": 0.61,
        "response_ids": ["0b6a2b0e-58f1-4b8f-9a1c-6a1d3c1f4a20"],
        "samples": ["Vi behöver tid för dialog med medarbetarna."]}]})

    size: int
    terms: list[str] = Field(description="Stems that weigh most in the cluster, for a working title")
    cohesion: float
    response_ids: list[str]
    samples: list[str]
