"""API shapes for prompts."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from samla_feedback.texts import Text

Kind = Literal["open_text", "choice", "multi_choice", "scale", "word_cloud", "ranking", "priority"]
Dimension = Literal["table", "administration", "level"]


class OptionIn(BaseModel):
    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")
    label: str = Field(min_length=1, max_length=300)


class ScaleIn(BaseModel):
    min: int = Field(1, ge=0, le=10)
    max: int = Field(5, ge=1, le=10)
    labels: dict[str, str] = Field(default_factory=dict, description="Labels by scale value, e.g. {'1': 'Inte alls'}")


class PromptIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"kind": "scale", "title": "Hur väl känner du till budgetprocessen?", "round_no": 1,
         "scale": {"min": 1, "max": 5, "labels": {"1": "Inte alls", "5": "Mycket väl"}}},
        {"kind": "open_text", "title": "Vad behöver ni för att leda förändringen?", "round_no": 2,
         "audience": "table"},
        {"kind": "priority", "title": "Fördela 100 poäng på det som är viktigast i budgeten", "points_total": 100,
         "options": [{"id": "skola", "label": "Skolan"}, {"id": "omsorg", "label": "Äldreomsorgen"},
                     {"id": "klimat", "label": "Klimatomställningen"}]},
    ]})

    kind: Kind
    title: str = Field(min_length=1, max_length=500)
    description: str | None = Field(None, max_length=2000)
    round_no: int | None = Field(None, ge=0, le=50, description="The dialogue round (table seating of that round)")
    audience: Literal["individual", "table"] = Field(
        "individual", description="individual: one answer per person; table: one shared answer per table")
    anonymous: bool = Field(False, description="Answers keep no person id; answering needs an eligibility token")
    options: list[OptionIn] = Field(default_factory=list, max_length=30)
    theme_ids: list[str] = Field(default_factory=list, max_length=30,
                                 description="Use these published themes as the options (priority, ranking, choice)")
    scale: ScaleIn | None = None
    max_phrases: int | None = Field(None, ge=1, le=5, description="Word cloud: phrases per person (default 3)")
    points_total: int | None = Field(None, ge=10, le=1000, description="Priority: points to allocate (default 100)")
    breakdowns: list[Dimension] | None = Field(
        None, description="Groups answers remember and results may be broken down by "
                          "(default: table, administration, level; anonymous: administration; table: table)")


class EvaluationIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "include_hme": True,
        "prompts": [{"kind": "scale", "title": "Hur nöjd är du med dagen som helhet?"},
                    {"kind": "open_text", "title": "Vad tar du med dig tillbaka till din verksamhet?"}]}]})

    include_hme: bool = Field(False, description="Add SKR's nine HME statements (motivation, ledarskap, styrning)")
    prompts: list[PromptIn] = Field(default_factory=list, max_length=40)


class OptionOut(BaseModel):
    id: str
    label: str


class PromptOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "5f0c6f1e-8a53-4d5e-9a43-2f6f1d1c0a11", "event_id": "chefsdag-2026-11", "section": "dialogue",
        "round_no": 2, "position": 3, "kind": "open_text", "audience": "table", "anonymous": False,
        "title": "Vad behöver ni för att leda förändringen?", "description": None, "options": [],
        "scale": None, "max_phrases": None, "points_total": None, "breakdowns": ["table"], "template": None,
        "status": "open", "max_text_length": 2000, "k": 5,
        "notice": {"sv": "Det du skriver kan bli en allmän handling ...", "en": "What you write may become ..."},
        "anonymous_notice": None, "opened_at": "2026-11-26T10:15:00Z", "closed_at": None}]})

    id: str
    event_id: str
    section: str
    round_no: int | None
    position: int
    kind: str
    audience: str
    anonymous: bool
    title: str
    description: str | None
    options: list[OptionOut]
    scale: ScaleIn | None
    max_phrases: int | None
    points_total: int | None
    breakdowns: list[str]
    template: str | None
    status: str
    max_text_length: int
    k: int = Field(description="Smallest group whose results are shown")
    notice: Text | None = Field(description="Shown before free text: it may become a public document")
    anonymous_notice: Text | None = Field(description="Shown before an anonymous answer")
    opened_at: datetime | None
    closed_at: datetime | None
