"""API shapes for anonymity rules, eligibility tokens and gallring."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class PolicyIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"k": 5, "retention_days": 365, "premoderate_questions": True}]})

    k: int = Field(5, description="Smallest group whose results are shown; never below 3")
    retention_days: int | None = Field(None, ge=0, le=3650,
                                       description="Days after a prompt closes until its free text is deleted")
    premoderate_questions: bool = Field(True, description="Questions wait for a moderator before the wall")


class PolicyOut(PolicyIn):
    event_id: str


class TokenBatchIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"count": 460}]})

    count: int = Field(ge=1, le=2000)


class TokenBatchOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "event_id": "chefsdag-2026-11", "tokens": ["q3Xb0v9Vt2m1JfFf0aJmX5YwWc0e8rS0nQ6cYk1yC2A"]}]})

    event_id: str
    tokens: list[str] = Field(description="Shown once; the service keeps only their hashes")


class TokenOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "event_id": "chefsdag-2026-11", "token": "q3Xb0v9Vt2m1JfFf0aJmX5YwWc0e8rS0nQ6cYk1yC2A"}]})

    event_id: str
    token: str = Field(description="Keep it on the phone: it is shown once and answers each anonymous prompt once")


class RetentionRunOut(BaseModel):
    model_config = ConfigDict(from_attributes=True, json_schema_extra={"examples": [{
        "event_id": "chefsdag-2026-11", "run_at": "2027-12-01T08:00:00Z", "run_by": "p-hr-1",
        "cutoff": "2026-12-01T08:00:00Z", "prompts": ["5f0c6f1e-8a53-4d5e-9a43-2f6f1d1c0a11"],
        "responses_cleared": 412, "questions_cleared": 17}]})

    event_id: str
    run_at: datetime
    run_by: str
    cutoff: datetime
    prompts: list[str]
    responses_cleared: int
    questions_cleared: int
