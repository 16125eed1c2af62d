"""API shapes of pulses: short anonymous surveys for named groups of people outside any event (network pulses)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from samla_feedback.prompts.schemas import PromptIn, PromptOut

PERSON_ID = r"^[A-Za-z0-9._@:\-]+$"


class PulseGroupIn(BaseModel):
    id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:\-]+$",
                    description="The group's id (a network); results may be broken down by it")
    members: list[str] = Field(min_length=1, max_length=40, description="Person ids (the IdP's sub)")


class PulseIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "groups": [{"id": "0b6c3f9e-2a41-4c55-9d1e-7f3a2b8c4d10", "members": ["p-1", "p-2", "p-3", "p-4"]}],
        "prompts": [{"kind": "choice", "title": "Har ni träffats?",
                     "options": [{"id": "ja", "label": "Ja"}, {"id": "nej", "label": "Nej"}]},
                    {"kind": "scale", "title": "Hur värdefullt är nätverket för dig?",
                     "scale": {"min": 1, "max": 5}}]}]})

    groups: list[PulseGroupIn] = Field(min_length=1, max_length=5000)
    prompts: list[PromptIn] = Field(min_length=1, max_length=10,
                                    description="Asked anonymously; each group member answers once with a token")


class PulseOut(BaseModel):
    pulse_id: str
    event_id: str = Field(description="Where members answer: fetch a token at POST /events/{event_id}/"
                                      "eligibility-tokens/mine, then answer each prompt with it")
    status: str = Field(description="open, or closed once every prompt is closed")
    people: int
    prompts: list[PromptOut]


class PulseResultsOut(BaseModel):
    pulse_id: str
    event_id: str
    k: int
    results: list[dict[str, Any]] = Field(description="Per prompt, as GET /prompts/{id}/results: groups below k "
                                                      "and differencing suppressed; groups ('table') after close")
