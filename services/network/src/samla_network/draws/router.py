"""HTTP API of 'meet the leadership' draws. Admins only."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from samla_common.deps import SessionDep
from samla_network.access import Admin
from samla_network.draws import service
from samla_network.draws.models import LeadershipDraw
from samla_network.problems import problems
from samla_network.runs.schemas import EveryonePopulation, Population

router = APIRouter(prefix="/leadership-draws", tags=["meet the leadership"])


class DrawIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "period": "2027-Q1", "group_count": 2, "group_size": 5, "population": {"kind": "everyone"}}]})

    period: str = Field(min_length=1, max_length=20)
    group_count: int = Field(ge=1, le=50)
    group_size: int = Field(5, ge=2, le=12)
    population: Population = Field(default_factory=lambda: EveryonePopulation(kind="everyone"))
    seed: int = Field(0, ge=0, le=2**31 - 1)


class DrawOut(BaseModel):
    id: str
    period: str
    groups: list[list[str]]
    drawn_by: str
    drawn_at: datetime


def _out(d: LeadershipDraw) -> DrawOut:
    return DrawOut(id=d.id, period=d.period, groups=d.groups, drawn_by=d.drawn_by, drawn_at=d.drawn_at)


@router.post("", response_model=DrawOut, status_code=201, responses=problems(400, 404, 422),
             summary="Draw first-line managers into groups to meet the municipal director. Roles: samla-admin.")
def create_draw(body: DrawIn, session: SessionDep, admin: Admin) -> DrawOut:
    return _out(service.draw(session=session, period=body.period, group_count=body.group_count,
                             group_size=body.group_size, population=body.population.model_dump(), by=admin.sub,
                             seed=body.seed))


@router.get("", response_model=list[DrawOut], responses=problems(),
            summary="Earlier draws, newest first. Roles: samla-admin.")
def list_draws(session: SessionDep, _: Admin) -> list[DrawOut]:
    return [_out(d) for d in service.listing(session=session)]
