"""API shapes of matching runs: what an admin asks for and what they review."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PersonId = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._@:\-]+$")]


class EventPopulation(BaseModel):
    kind: Literal["event"]
    event_id: str = Field(min_length=1, max_length=64)
    checked_in_only: bool = Field(True, description="Only people who checked in; false: everyone registered")


class OrgUnitPopulation(BaseModel):
    kind: Literal["org_unit"]
    org_unit_id: str = Field(min_length=1, max_length=200, description="This unit and every unit below it")


class PeoplePopulation(BaseModel):
    kind: Literal["people"]
    person_ids: list[PersonId] = Field(min_length=1, max_length=20000)


class EveryonePopulation(BaseModel):
    kind: Literal["everyone"]


Population = Annotated[EventPopulation | OrgUnitPopulation | PeoplePopulation | EveryonePopulation,
                       Field(discriminator="kind")]


class WeightsIn(BaseModel):
    """Goal weights (0 switches a goal off); unset ones keep the defaults shown."""

    model_config = ConfigDict(extra="forbid")

    mix_administrations: float = Field(1.0, ge=0, le=10)
    mix_levels: float = Field(0.5, ge=0, le=10)
    shared_challenges: float = Field(1.0, ge=0, le=10)
    history: float = Field(2.0, ge=0, le=10, description="Prefer people who have not met (or, keep_table: have)")
    history_mode: Literal["avoid", "keep_table"] = "avoid"
    same_location: float = Field(0.5, ge=0, le=10)
    common_language: float = Field(1.0, ge=0, le=10)
    common_availability: float = Field(0.5, ge=0, le=10)
    mentor_experience: float = Field(0.1, ge=0, le=10)


class ParametersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_size: int = Field(4, ge=2, le=20)
    max_size: int = Field(6, ge=2, le=20)
    target_size: int | None = Field(None, ge=2, le=20, description="Default: the middle of the range")
    max_per_administration: int = Field(2, ge=1, le=20, description="At most this many from one administration")
    weights: WeightsIn = Field(default_factory=WeightsIn)
    together: list[tuple[PersonId, PersonId]] = Field(default_factory=list, max_length=500,
                                                      description="Pairs that must share a group")
    apart: list[tuple[PersonId, PersonId]] = Field(default_factory=list, max_length=500,
                                                   description="Pairs that must not share a group")
    avoid_previous_partners: bool = Field(True, description="Re-matching: never repeat a partner from an earlier "
                                                            "network when it can be avoided")
    time_budget_seconds: float = Field(5.0, gt=0, le=3600)
    mentor_ids: list[PersonId] = Field(default_factory=list, max_length=10000,
                                       description="Mentor runs: who of the population are mentors")
    mentor_method: Literal["optimal", "stable"] = Field(
        "optimal", description="Mentor runs: optimal = the highest total pair score; stable = from ranked "
                               "preferences, so no mentor and mentee both prefer each other to their partners")
    preferences: dict[PersonId, list[PersonId]] = Field(
        default_factory=dict, max_length=20000,
        description="Stable mentor runs: each person's ranking of people on the other side, best first; only "
                    "ranked people are acceptable partners. People without a ranking rank everyone on the other "
                    "side by the pair scores (their profiles).")
    seed: int = Field(0, ge=0, le=2**31 - 1)

    @model_validator(mode="after")
    def _sizes(self) -> ParametersIn:
        if self.min_size > self.max_size:
            raise ValueError("min_size must not be larger than max_size")
        if self.target_size is not None and not self.min_size <= self.target_size <= self.max_size:
            raise ValueError("target_size must lie within min_size..max_size")
        for person, ranking in self.preferences.items():
            if len(set(ranking)) != len(ranking):
                raise ValueError(f"preferences of {person} list someone twice")
        return self


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "name": "Chefsdagen 2026: nätverk", "kind": "groups",
        "population": {"kind": "event", "event_id": "chefsdag-2026", "checked_in_only": True},
        "parameters": {"min_size": 4, "max_size": 6, "max_per_administration": 2, "time_budget_seconds": 10,
                       "weights": {"shared_challenges": 2.0}, "together": [], "apart": [["p-1", "p-2"]]}}]})

    name: str = Field(min_length=1, max_length=200)
    kind: Literal["groups", "mentors"] = "groups"
    population: Population
    parameters: ParametersIn = Field(default_factory=ParametersIn)


class MemberOut(BaseModel):
    person_id: str
    name: str
    administration: str
    level: str
    role: str = "member"


class GroupResultOut(BaseModel):
    index: int
    members: list[MemberOut]
    score: float
    explanation: str


class ViolationOut(BaseModel):
    kind: str
    people: list[str]
    detail: str


class ResultOut(BaseModel):
    groups: list[GroupResultOut]
    objective: float
    upper_bound: float | None
    bound_method: str
    gap: float | None = Field(description="Certified relative gap (bound − objective) / bound")
    violations: list[ViolationOut]
    stopped: bool
    elapsed_seconds: float
    notes: list[str]
    unmatched: list[str] = Field(description="Mentor runs: people left without a partner")


class ExcludedOut(BaseModel):
    person_id: str
    reason: Literal["opted_out", "not_in_directory", "inactive", "reporting_line"] = Field(
        description="reporting_line: above so many of the others (group runs) that no group of the minimum size "
                    "could hold them")


class RunOut(BaseModel):
    id: str
    name: str
    kind: str
    status: Literal["draft", "running", "done", "failed", "published", "interrupted"]
    population: dict[str, Any]
    parameters: dict[str, Any]
    population_size: int
    excluded: list[ExcludedOut]
    progress: float
    best_objective: float | None
    upper_bound: float | None
    stop_requested: bool
    result: ResultOut | None
    error: dict[str, Any] | None = Field(description="Why the run failed: detail, and a suggested relaxation")
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    published_at: datetime | None


class RunSummaryOut(BaseModel):
    id: str
    name: str
    kind: str
    status: str
    population_size: int
    progress: float
    created_at: datetime


class StatusOut(BaseModel):
    id: str
    status: str
    progress: float
    best_objective: float | None
    upper_bound: float | None
    stop_requested: bool


class SwapIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"person_a": "p-1",
                                                                              "person_b": "p-9"}]})

    person_a: PersonId
    person_b: PersonId


class SwapPreviewOut(BaseModel):
    person_a: str
    person_b: str
    objective_delta: float
    new_objective: float
    new_violations: list[ViolationOut]
    resolved_violations: list[ViolationOut]
