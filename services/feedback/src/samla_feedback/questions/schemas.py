"""API shapes for questions to leadership."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from samla_feedback.texts import Text

_QUESTION_EXAMPLE: dict[str, Any] = {
    "id": "9d3c7e2a-6c1b-4f0e-8a54-1e2d3c4b5a69", "event_id": "chefsdag-2026-11",
    "text": "Hur ska vi prioritera när budgetramarna minskar?", "anonymous": True, "author_name": None,
    "status": "approved", "votes": 37, "voted_by_me": False, "answer_mode": "stage", "answer_text": None,
    "answered_at": "2026-11-26T14:05:00Z", "assignee_id": "p-0001", "assignee_name": "Eva Kommundirektör",
    "follow_up": "decided", "follow_up_note": "Tas upp i budgetberedningen i januari.", "merged_into_id": None,
    "reason_code": None, "reason": None, "asked_at": "2026-11-26T11:42:00Z"}


class QuestionIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"text": "Hur ska vi prioritera när budgetramarna minskar?", "anonymous": True}]})

    text: str = Field(min_length=1, max_length=5000, description="At most 1,000 characters after cleaning")
    anonymous: bool = Field(False, description="Ask without your name; the question then keeps no link to you")


class QuestionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_QUESTION_EXAMPLE]})

    id: str
    event_id: str
    text: str | None = Field(description="None when hidden (outside moderation views) or deleted by gallring")
    anonymous: bool
    author_name: str | None = Field(description="Only for named questions")
    status: str
    votes: int
    voted_by_me: bool
    answer_mode: str | None
    answer_text: str | None
    answered_at: datetime | None
    assignee_id: str | None
    assignee_name: str | None
    follow_up: str
    follow_up_note: str | None
    merged_into_id: str | None
    reason_code: str | None
    reason: str | None
    asked_at: datetime


class WallOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "event_id": "chefsdag-2026-11", "sort": "votes", "notice": {"sv": "Det du skriver kan bli ...",
                                                                    "en": "What you write may become ..."},
        "questions": [_QUESTION_EXAMPLE]}]})

    event_id: str
    sort: str
    notice: Text = Field(description="Shown before someone writes a question: it may become a public document")
    questions: list[QuestionOut]


class VoteOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"question_id": "9d3c7e2a-6c1b-4f0e-8a54-1e2d3c4b5a69", "counted": True, "votes": 38}]})

    question_id: str
    counted: bool = Field(description="False when this vote was already counted (a retry changes nothing)")
    votes: int


class HideIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"reason_code": "personal_data", "reason": "Frågan namngav en enskild medarbetare."}]})

    reason_code: Literal["duplicate", "off_topic", "personal_data", "offensive", "other"]
    reason: str | None = Field(None, max_length=500, description="Shown in the public moderation log")


class MergeIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"into_id": "9d3c7e2a-6c1b-4f0e-8a54-1e2d3c4b5a69"}]})

    into_id: str = Field(min_length=1, max_length=36)


class AnswerIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"mode": "stage"}, {"mode": "written", "text": "Vi återkommer med en plan i januari."}]})

    mode: Literal["stage", "written"]
    text: str | None = Field(None, max_length=5000)


class AssignIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"person_id": "p-0001"}]})

    person_id: str = Field(min_length=1, max_length=200)


class FollowUpIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"status": "decided", "note": "Tas upp i budgetberedningen i januari."}]})

    status: Literal["received", "answered", "decided", "done"]
    note: str | None = Field(None, max_length=2000)


class ModerationEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        "question_id": "1a2b3c4d-0000-4000-8000-000000000001", "action": "hidden", "reason_code": "personal_data",
        "reason": "Frågan namngav en enskild medarbetare.", "excerpt": None, "merged_into_id": None,
        "at": "2026-11-26T11:50:00Z"}]})

    question_id: str
    action: str
    reason_code: str | None
    reason: str | None
    excerpt: str | None = Field(description="The question's words, unless hidden for personal data or offence")
    merged_into_id: str | None
    at: datetime
