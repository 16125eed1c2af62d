"""HTTP API for a day's seating (`/events/{id}/seating`): plan, read with quality and mix, late changes, swaps,
publish."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session

from samla_common.db import unit_of_work
from samla_common.deps import SessionDep
from samla_events.access import Admin, Staff
from samla_events.directory import org_units
from samla_events.localtime import utcnow
from samla_events.seatingplans import service
from samla_events.seatingplans.models import StoredPlan
from samla_events.seatingplans.schemas import (
    AdministrationCount,
    ChangesIn,
    ChangesOut,
    LevelCount,
    MoveOut,
    PlanIn,
    PlanOut,
    QualityReportOut,
    RoundOut,
    SwapDoneOut,
    SwapIn,
    SwapOut,
    TableOut,
)

router = APIRouter(prefix="/events/{event_id}/seating", tags=["seating"])
PROBLEMS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such day, or no plan yet (problem+json)"},
    409: {"description": "The day has ended, or check-in has not started (problem+json)"},
    422: {"description": "Seating is not possible: every reason in Swedish and English, one per error "
                         "(problem+json)"}}


def plan_out(session: Session, stored: StoredPlan) -> PlanOut:
    """The plan with each table's mix of administrations and levels."""
    people = {p.id: p for p in service.people_of(stored)}
    names = org_units.names(session=session, unit_ids={p.administration_id for p in people.values()} - {""})
    rounds = []
    for round_no, tables in sorted(service.rounds_of(stored).items()):
        out = []
        for table_id, members in tables.items():
            admins = Counter(people[m].administration_id for m in members if m in people)
            levels = Counter(people[m].level for m in members if m in people)
            out.append(TableOut(
                table_id=table_id, person_ids=members,
                administrations=[AdministrationCount(id=a, name=names.get(a, a), count=n)
                                 for a, n in sorted(admins.items(), key=lambda kv: (-kv[1], kv[0]))],
                levels=[LevelCount(level=lv, count=n) for lv, n in sorted(levels.items(), key=lambda kv: (-kv[1],
                                                                                                       kv[0]))]))
        rounds.append(RoundOut(round=round_no, tables=out))
    return PlanOut(event_id=stored.event_id, strategy=stored.strategy, version=stored.version,
                   published=stored.published, published_at=stored.published_at, created_at=stored.created_at,
                   updated_at=stored.updated_at, rounds=rounds, report=QualityReportOut.model_validate(stored.report))


@router.post("", response_model=PlanOut, responses=PROBLEMS,
             summary="Plan the seating: registered people before the day, checked-in people once it is on; "
                     "facilitators host a table each. Replaces the plan; participants see it once published. "
                     "Roles: samla-admin.")
def plan_seating(event_id: str, request: Request, principal: Admin, body: PlanIn | None = None) -> PlanOut:
    body = body or PlanIn()
    state, now = request.app.state, utcnow()
    # Read, plan, then write in a short transaction of its own: the planner runs for up to seconds, and on SQLite
    # a write transaction held that long would stop every registration and check-in of the service meanwhile.
    with state.read_session_factory() as reading:
        wanted = service.request_for(session=reading, event_id=event_id, now=now)
    planned = service.make_plan(request=wanted, seed=body.seed, time_limit=body.time_limit_seconds)
    with unit_of_work(state.session_factory) as session:
        stored = service.store(session=session, event_id=event_id, request=wanted, plan=planned, by=principal.sub,
                               now=now)
        return plan_out(session, stored)


@router.get("", response_model=PlanOut, responses=PROBLEMS,
            summary="The plan, its quality report and each table's mix of administrations and levels. "
                    "Roles: samla-admin, samla-facilitator.")
def get_seating(event_id: str, session: SessionDep, _: Staff) -> PlanOut:
    return plan_out(session, service.get(session=session, event_id=event_id))


@router.post("/changes", response_model=ChangesOut, responses=PROBLEMS,
             summary="No-shows and walk-ins: free and fill seats in every round, moving as few people as possible; "
                     "returns who moves. A published plan publishes the rounds that changed. Roles: samla-admin.")
def post_changes(event_id: str, body: ChangesIn, session: SessionDep, _: Admin) -> ChangesOut:
    changes = service.absorb(session=session, event_id=event_id, no_shows=body.no_shows, walk_ins=body.walk_ins,
                             from_check_in=body.from_check_in, now=utcnow())
    return ChangesOut(moves=[MoveOut.model_validate(m) for m in changes.moves],
                      placed=[MoveOut.model_validate(m) for m in changes.placed], plan=plan_out(session, changes.plan))


@router.post("/swap/preview", response_model=SwapOut, responses=PROBLEMS,
             summary="What exchanging two people's seats in a round would change: repeated pairs, broken rules, "
                     "mix. Changes nothing. Roles: samla-admin.")
def preview_swap(event_id: str, body: SwapIn, session: SessionDep, _: Admin) -> SwapOut:
    return SwapOut.model_validate(service.swap_consequences(
        session=session, event_id=event_id, round_no=body.round_no, person_a=body.person_a, person_b=body.person_b))


@router.post("/swap", response_model=SwapDoneOut, responses=PROBLEMS,
             summary="Exchange two people's seats in a round (refused when it would break a rule). A published "
                     "plan publishes the round. Roles: samla-admin.")
def post_swap(event_id: str, body: SwapIn, session: SessionDep, _: Admin) -> SwapDoneOut:
    done = service.swap(session=session, event_id=event_id, round_no=body.round_no, person_a=body.person_a,
                        person_b=body.person_b, now=utcnow())
    return SwapDoneOut(consequences=SwapOut.model_validate(done),
                       plan=plan_out(session, service.get(session=session, event_id=event_id)))


@router.post("/publish", response_model=PlanOut, responses=PROBLEMS,
             summary="Publish the plan: badges, lists and my day show it, and events.seating.v1 carries every "
                     "round. Roles: samla-admin.")
def publish(event_id: str, session: SessionDep, _: Admin) -> PlanOut:
    return plan_out(session, service.publish(session=session, event_id=event_id, now=utcnow()))
