"""API shapes for the live board and its change feed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from samla_feedback.prompts.schemas import PromptOut
from samla_feedback.questions.schemas import QuestionOut
from samla_feedback.texts import Text

RESULTS_EXAMPLE: dict[str, Any] = {
    "prompt_id": "5f0c6f1e-8a53-4d5e-9a43-2f6f1d1c0a11", "event_id": "chefsdag-2026-11", "kind": "scale",
    "audience": "individual", "status": "closed", "k": 5, "respondents": 212, "suppressed": False,
    "summary": {"answers": 212, "people": 212, "distribution": {"1": 4, "2": 17, "3": 60, "4": 88, "5": 43},
                "labels": {"1": "Inte alls", "5": "Mycket väl"}, "mean": 3.69},
    "groups": {"administration": [
        {"id": "ou-utb", "name": "Utbildningsförvaltningen", "suppressed": False,
         "summary": {"answers": 71, "people": 71, "distribution": {"1": 1, "2": 5, "3": 20, "4": 30, "5": 15},
                     "labels": {}, "mean": 3.75}},
        {"id": "ou-kultur", "name": "Kulturförvaltningen", "suppressed": True, "summary": None}]},
    "groups_shown": "after_close", "notice": None}


class BoardPrompt(BaseModel):
    prompt: PromptOut
    results: dict[str, Any] = Field(description="The k-protected results, as GET /prompts/{id}/results")


class BoardOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "event_id": "chefsdag-2026-11", "cursor": 1841, "k": 5, "prompts": [], "questions": [],
        "notice": {"sv": "Det du skriver kan bli en allmän handling ...", "en": "What you write may become ..."}}]})

    event_id: str
    cursor: int = Field(description="Pass as `since` to /board/changes to hear about what changes next")
    k: int
    prompts: list[BoardPrompt]
    questions: list[QuestionOut]
    notice: Text


class ChangeOut(BaseModel):
    seq: int
    kind: str = Field(description="prompt | results | question | theme")
    id: str = Field(description="The prompt, question or theme that changed; refetch it")
    at: datetime


class ChangesOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "event_id": "chefsdag-2026-11", "cursor": 1843, "reset": False, "more": False,
        "changes": [{"seq": 1842, "kind": "results", "id": "5f0c6f1e-8a53-4d5e-9a43-2f6f1d1c0a11",
                     "at": "2026-11-26T10:21:03Z"},
                    {"seq": 1843, "kind": "question", "id": "9d3c7e2a-6c1b-4f0e-8a54-1e2d3c4b5a69",
                     "at": "2026-11-26T10:21:04Z"}]}]})

    event_id: str
    cursor: int = Field(description="The next `since`")
    reset: bool = Field(description="The cursor was unknown: refetch the whole board, then follow from `cursor`")
    more: bool = Field(description="More changes are waiting; ask again at once")
    changes: list[ChangeOut]
