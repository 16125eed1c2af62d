"""API shapes for seating plans: the plan with its quality report and each table's mix, changes, swaps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from samla_events.schematypes import PersonId

_PLAN_EXAMPLE: dict[str, Any] = {
    "event_id": "3f1c9a52-7d0e-4b8a-9c61-5a2e8f0b7d14", "strategy": "design", "version": 1, "published": False,
    "published_at": None, "created_at": "2026-11-20T09:12:00Z", "updated_at": "2026-11-20T09:12:00Z",
    "rounds": [{"round": 1, "tables": [{
        "table_id": "1", "person_ids": ["p-0007", "p-1042", "p-2210"],
        "administrations": [{"id": "ou-utb", "name": "Utbildningsförvaltningen", "count": 1},
                            {"id": "ou-soc", "name": "Socialförvaltningen", "count": 2}],
        "levels": [{"level": "enhetschef", "count": 2}, {"level": "avdelningschef", "count": 1}]}]}],
}


class PlanIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"seed": 0}]})

    seed: int = Field(0, ge=0, le=2**31 - 1, description="Another seed gives another plan of the same quality")
    time_limit_seconds: float | None = Field(None, gt=0, le=120,
                                             description="How long the planner may search; by default it scales "
                                                         "with the number of people (about a second for 500)")


class ViolationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    round_no: int
    table_id: str | None
    person_ids: list[str]
    detail: str


class RoundFiguresOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    round_no: int
    tables_used: int
    same_administration_pairs: int
    same_administration_pairs_bound: int
    same_level_pairs: int
    same_level_pairs_bound: int


class QualityReportOut(BaseModel):
    """How good a plan is, measured against what any plan could reach (the bounds)."""

    model_config = ConfigDict(from_attributes=True)

    people: int
    rounds: int
    hard_violations: int = Field(description="Broken rules; a stored plan normally has none")
    repeated_pairs: int = Field(description="Pairs who share a table in more than one round")
    repeated_pairs_bound: int
    repeat_free_round_limit: int
    same_administration_pairs: int
    same_administration_pairs_bound: int
    per_round: list[RoundFiguresOut]
    contacts_min: int
    contacts_mean: float
    contacts_max_possible: int
    violations: list[ViolationOut]
    tables_without_host: int


class AdministrationCount(BaseModel):
    id: str
    name: str
    count: int


class LevelCount(BaseModel):
    level: str
    count: int


class TableOut(BaseModel):
    table_id: str
    person_ids: list[str]
    administrations: list[AdministrationCount] = Field(description="The table's mix of administrations")
    levels: list[LevelCount] = Field(description="The table's mix of levels")


class RoundOut(BaseModel):
    round: int
    tables: list[TableOut]


class PlanOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_PLAN_EXAMPLE]})

    event_id: str
    strategy: str = Field(description="design (repeat-free), design+repair, or greedy")
    version: int
    published: bool = Field(description="Whether participants see this plan (badges, lists, my day)")
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    rounds: list[RoundOut]
    report: QualityReportOut


class ChangesIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"no_shows": ["p-1042"], "walk_ins": ["p-3310"]},
                                                              {"from_check_in": True}]})

    no_shows: list[PersonId] = Field(default_factory=list, max_length=2000, description="Seated people who did "
                                     "not come: their seats are freed in every round")
    walk_ins: list[PersonId] = Field(default_factory=list, max_length=2000, description="Registered people not in "
                                     "the plan (walk-ins at the door): seated in every round")
    from_check_in: bool = Field(False, description="Once the day is on: take the no-shows and walk-ins from "
                                "check-in (added to any listed)")


class MoveOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    round_no: int
    person_id: str
    from_table: str | None = Field(description="None: a walk-in seated for the first time")
    to_table: str | None = Field(description="None: a no-show taken off the table")


class ChangesOut(BaseModel):
    moves: list[MoveOut] = Field(description="Seated people who now sit elsewhere: what to tell people in the hall")
    placed: list[MoveOut] = Field(description="Walk-ins seated and no-shows removed")
    plan: PlanOut


class SwapIn(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"round_no": 2, "person_a": "p-1042",
                                                               "person_b": "p-2210"}]})

    round_no: int = Field(ge=1, le=20)
    person_a: PersonId
    person_b: PersonId


class SwapOut(BaseModel):
    """What exchanging two seats in a round changes."""

    model_config = ConfigDict(from_attributes=True)

    round_no: int
    person_a: str
    person_b: str
    table_a: str
    table_b: str
    new_repeated_pairs: list[tuple[str, str]]
    resolved_repeated_pairs: list[tuple[str, str]]
    new_violations: list[ViolationOut]
    resolved_violations: list[ViolationOut]
    same_administration_pairs_delta: int
    same_level_pairs_delta: int


class SwapDoneOut(BaseModel):
    consequences: SwapOut
    plan: PlanOut
