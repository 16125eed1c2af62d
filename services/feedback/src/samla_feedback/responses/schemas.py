"""API shapes for answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AnswerIn(BaseModel):
    """Fill the field that fits the prompt's kind; anonymous prompts also need the eligibility token."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"scale": 4},
        {"choice": "b"},
        {"choices": ["a", "c"]},
        {"text": "Vi behöver tid för att samtala med medarbetarna om målen."},
        {"phrases": ["tillit", "samverkan", "tid för dialog"]},
        {"ranking": ["skola", "omsorg", "klimat"]},
        {"points": {"skola": 50, "omsorg": 30, "klimat": 20}},
        {"scale": 5, "eligibility_token": "q3Xb0v9Vt2m1JfFf0aJmX5YwWc0e8rS0nQ6cYk1yC2A"},
    ]})

    choice: str | None = Field(None, max_length=40)
    choices: list[str] | None = Field(None, max_length=30)
    scale: int | None = None
    # The hard cap only protects the parser; the prompt's own limit (a 422 with the field) is far lower.
    text: str | None = Field(None, max_length=20000)
    phrases: list[str] | None = Field(None, max_length=5)
    ranking: list[str] | None = Field(None, max_length=30)
    points: dict[str, int] | None = Field(None, max_length=30)
    eligibility_token: str | None = Field(None, max_length=100, description="Anonymous prompts: the answer token")


class ResponseOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "prompt_id": "5f0c6f1e-8a53-4d5e-9a43-2f6f1d1c0a11", "anonymous": False, "table_id": "T12",
        "value": {"scale": 4}, "text": None, "editable": True, "updated_at": "2026-11-26T10:21:00Z"}]})

    prompt_id: str
    anonymous: bool
    table_id: str | None = Field(description="For a table's shared answer: the table")
    value: dict[str, Any] | None
    text: str | None
    editable: bool = Field(description="Named and table answers can be changed while the prompt is open")
    updated_at: datetime | None


class ReceiptOut(BaseModel):
    """What an answer returns. An anonymous answer returns nothing that could find it again."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"prompt_id": "5f0c6f1e-8a53-4d5e-9a43-2f6f1d1c0a11", "outcome": "created", "anonymous": True,
         "respondents": 41}]})

    prompt_id: str
    outcome: str = Field(description="created or updated")
    anonymous: bool
    respondents: int = Field(description="How many answers the prompt has now")


class TextOut(BaseModel):
    response_id: str
    text: str
    table_id: str | None = Field(description="Only for a table's shared answer")


class TextsOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "prompt_id": "5f0c6f1e-8a53-4d5e-9a43-2f6f1d1c0a11", "suppressed": False, "respondents": 38,
        "texts": [{"response_id": "0b6a2b0e-58f1-4b8f-9a1c-6a1d3c1f4a20",
                   "text": "Vi behöver tid för att samtala med medarbetarna om målen.", "table_id": None}]}]})

    prompt_id: str
    suppressed: bool = Field(description="True while fewer than k people have answered: no text is shown")
    respondents: int | None
    texts: list[TextOut]
