"""API shapes of network pulses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PERIOD = r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$"


class PulseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "run_id": "0b6c3f9e-2a41-4c55-9d1e-7f3a2b8c4d10", "period": "2027-Q1", "free_text": True}]})

    run_id: str = Field(min_length=1, max_length=36, description="The cohort: the matching run whose active "
                                                                 "networks are asked")
    period: str = Field(pattern=PERIOD, examples=["2027-Q1", "2027-03"])
    free_text: bool = Field(True, description="Add the optional free-text question")


class PulseQuestionOut(BaseModel):
    question: str = Field(description="met, value or comment")
    prompt_id: str = Field(description="The feedback prompt to answer (POST /prompts/{id}/responses in feedback)")
    kind: str
    title: str


class GroupResultOut(BaseModel):
    id: str
    name: str
    suppressed: bool
    summary: dict[str, Any] | None


class PulseResultOut(BaseModel):
    question: str
    prompt_id: str
    respondents: int
    suppressed: bool = Field(description="True when fewer than k answered: nothing is shown")
    summary: dict[str, Any] | None = Field(description="As feedback's results: options with counts (met), "
                                                       "distribution and mean (value)")
    networks: list[GroupResultOut] = Field(description="Per network, once the pulse is closed; below k (or what "
                                                       "would reveal one) suppressed")
    administrations: list[GroupResultOut]
    texts: list[str] = Field(description="Free text, only when at least k answered")


class PulseOut(BaseModel):
    id: str
    run_id: str
    run_name: str
    period: str
    status: str = Field(description="open (members answer) or closed (final results kept)")
    people: int
    networks: int
    feedback_event_id: str = Field(description="Members fetch their answer token in feedback at "
                                               "POST /events/{feedback_event_id}/eligibility-tokens/mine")
    questions: list[PulseQuestionOut]
    k: int | None = Field(None, description="Smallest group feedback shows")
    results: list[PulseResultOut] | None = Field(None, description="Only on GET /pulses/{id} and close: live "
                                                                   "while open, final once closed")
    created_at: datetime
    closed_at: datetime | None


class MyPulseOut(BaseModel):
    pulse_id: str
    period: str
    group_id: str
    group_name: str
    feedback_event_id: str
    questions: list[PulseQuestionOut]


class PulseSummaryOut(BaseModel):
    pulse_id: str
    period: str
    respondents: int | None = Field(description="Null below k")
    met_rate: float | None = Field(description="Share answering that the network met; null below k")
    value_mean: float | None = Field(description="Mean of 'how valuable' (1–5); null below k")
