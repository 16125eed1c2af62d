"""HTTP API of the network health view (k-anonymous counts for HR)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from samla_common.deps import SessionDep
from samla_network.access import Admin
from samla_network.deps import SettingsDep
from samla_network.health import service
from samla_network.problems import problems
from samla_network.pulses import service as pulses
from samla_network.pulses.schemas import PulseSummaryOut
from samla_network.pulses.views import summary_out

router = APIRouter(tags=["network health"])


class CohortHealthOut(BaseModel):
    run_id: str
    name: str
    people: int
    groups: int
    groups_meeting: int = Field(description="Networks with a logged meeting or a member answering yes")
    check_in_answers: int | None = Field(description="Hidden (null) below k answers")
    check_in_met_rate: float | None = Field(description="Share of answers saying the network met; null below k")
    pulse: PulseSummaryOut | None = Field(None, description="The cohort's latest closed pulse (of the period, when "
                                                            "given), k-protected by feedback")


class HealthOut(BaseModel):
    k: int
    period: str | None
    people: int | None = Field(description="Everyone in active networks; null below k")
    groups: int
    groups_meeting: int
    cohorts: list[CohortHealthOut]
    hidden_cohorts: int = Field(description="Cohorts not shown because they (or what they would reveal) are below k")


@router.get("/health-view", response_model=HealthOut, responses=problems(422),
            summary="Are networks meeting? k-anonymous counts per cohort (matching run). Roles: samla-admin.")
def health_view(session: SessionDep, _: Admin, settings: SettingsDep,
                period: Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")] = None
                ) -> HealthOut:
    k = settings.health_k
    rows = service.rows(session=session, period=period)
    shown, hidden = service.suppress(rows, k=k)
    people = sum(r.people for r in rows)

    # Only cohorts that are shown get their pulse: a hidden cohort stays hidden whatever feedback would show.
    latest = pulses.latest_closed(session=session, run_ids=[r.key for r in shown], period=period)

    def rate(r: service.Row) -> float | None:
        return round(r.met_answers / r.answers, 3) if r.answers >= k else None

    return HealthOut(k=k, period=period, people=people if people >= k else None,
                     groups=sum(r.groups for r in rows), groups_meeting=sum(r.groups_meeting for r in rows),
                     cohorts=[CohortHealthOut(run_id=r.key, name=r.name, people=r.people, groups=r.groups,
                                              groups_meeting=r.groups_meeting,
                                              check_in_answers=r.answers if r.answers >= k else None,
                                              check_in_met_rate=rate(r),
                                              pulse=summary_out(latest[r.key]) if r.key in latest else None)
                             for r in shown],
                     hidden_cohorts=len(hidden))
