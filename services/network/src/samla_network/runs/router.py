"""HTTP API of matching runs: create, start, poll, stop, review with swaps, publish. Admins only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from samla_common.deps import SessionDep
from samla_network.access import Admin
from samla_network.deps import ExecutorDep, SettingsDep
from samla_network.groups import service as groups
from samla_network.groups import views
from samla_network.groups.schemas import GroupOut
from samla_network.matching import Violation
from samla_network.problems import problems
from samla_network.runs import service
from samla_network.runs.models import MatchingRun
from samla_network.runs.schemas import (
    ExcludedOut,
    GroupResultOut,
    MemberOut,
    ResultOut,
    RunIn,
    RunOut,
    RunSummaryOut,
    StatusOut,
    SwapIn,
    SwapPreviewOut,
    ViolationOut,
)

router = APIRouter(prefix="/runs", tags=["matching runs"])
RunId = Annotated[str, Path(min_length=1, max_length=36, examples=["0b6c3f9e-2a41-4c55-9d1e-7f3a2b8c4d10"])]


def _result(run: MatchingRun) -> ResultOut | None:
    r = run.result
    if r is None:
        return None
    info = {p["id"]: p for p in run.inputs["people"]}
    roles = ["mentor", "mentee"] if run.kind == "mentors" else None

    def member(pid: str, k: int) -> MemberOut:
        p = info.get(pid, {})
        return MemberOut(person_id=pid, name=p.get("name", ""), administration=p.get("administration", ""),
                         level=p.get("level", ""), role=roles[k] if roles else "member")

    bound = r["upper_bound"]
    gap = None if bound is None else (bound - r["objective"]) / abs(bound) if bound else 0.0
    return ResultOut(
        groups=[GroupResultOut(index=i, members=[member(pid, k) for k, pid in enumerate(g["members"])],
                               score=g["score"], explanation=g["explanation"]) for i, g in enumerate(r["groups"])],
        objective=r["objective"], upper_bound=bound, bound_method=r["bound_method"], gap=gap,
        violations=[ViolationOut(**v) for v in r["violations"]], stopped=r["stopped"],
        elapsed_seconds=r["elapsed_seconds"], notes=r["notes"], unmatched=r["unmatched"])


def run_out(run: MatchingRun) -> RunOut:
    return RunOut(id=run.id, name=run.name, kind=run.kind, status=run.status,
                  population=run.population, parameters=run.parameters,
                  population_size=len(run.inputs["people"]),
                  excluded=[ExcludedOut(**e) for e in run.excluded], progress=run.progress,
                  best_objective=run.best_objective, upper_bound=run.upper_bound, stop_requested=run.stop_requested,
                  result=_result(run), error=run.error, created_by=run.created_by, created_at=run.created_at,
                  started_at=run.started_at, finished_at=run.finished_at, published_at=run.published_at)


def status_out(run: MatchingRun) -> StatusOut:
    return StatusOut(id=run.id, status=run.status, progress=run.progress, best_objective=run.best_objective,
                     upper_bound=run.upper_bound, stop_requested=run.stop_requested)


def _violations(items: tuple[Violation, ...]) -> list[ViolationOut]:
    return [ViolationOut(kind=v.kind, people=list(v.people), detail=v.detail) for v in items]


@router.post("", response_model=RunOut, status_code=201, responses=problems(400, 404, 422),
             summary="Create a matching run (a draft): population, kind and parameters. Roles: samla-admin.")
def create_run(body: RunIn, session: SessionDep, admin: Admin, settings: SettingsDep) -> RunOut:
    return run_out(service.create(session=session, data=body, by=admin.sub,
                                  max_budget=settings.max_time_budget_seconds))


@router.get("", response_model=list[RunSummaryOut], responses=problems(),
            summary="Every matching run, newest first. Roles: samla-admin.")
def list_runs(session: SessionDep, _: Admin) -> list[RunSummaryOut]:
    return [RunSummaryOut(id=r.id, name=r.name, kind=r.kind, status=r.status, progress=r.progress,
                          population_size=len(r.inputs["people"]), created_at=r.created_at)
            for r in service.listing(session=session)]


@router.get("/{run_id}", response_model=RunOut, responses=problems(404),
            summary="A run with its result (groups, objective, bound, gap, violations, explanations). "
                    "Roles: samla-admin.")
def get_run(run_id: RunId, session: SessionDep, _: Admin) -> RunOut:
    return run_out(service.get(session=session, run_id=run_id))


@router.post("/{run_id}/start", response_model=StatusOut, status_code=202, responses=problems(404, 409),
             summary="Start (or re-run) a run in the background; poll /status. Roles: samla-admin.")
def start_run(run_id: RunId, session: SessionDep, _: Admin, executor: ExecutorDep) -> StatusOut:
    run = service.start(session=session, run_id=run_id)
    out = status_out(run)
    session.commit()  # the worker reads the run in its own transaction
    executor.launch(run_id)
    return out


@router.get("/{run_id}/status", response_model=StatusOut, responses=problems(404),
            summary="A run's progress: fraction, best objective so far, upper bound. Roles: samla-admin.")
def get_status(run_id: RunId, session: SessionDep, _: Admin) -> StatusOut:
    return status_out(service.get(session=session, run_id=run_id))


@router.post("/{run_id}/stop", response_model=StatusOut, responses=problems(404),
             summary="Stop a running run early; it keeps the best grouping found. Roles: samla-admin.")
def stop_run(run_id: RunId, session: SessionDep, _: Admin, executor: ExecutorDep) -> StatusOut:
    run = service.request_stop(session=session, run_id=run_id)
    executor.stop(run_id)
    return status_out(run)


@router.post("/{run_id}/swaps/preview", response_model=SwapPreviewOut, responses=problems(400, 404, 409, 422),
             summary="What swapping two people between groups would change, without changing it. "
                     "Roles: samla-admin.")
def preview_swap(run_id: RunId, body: SwapIn, session: SessionDep, _: Admin) -> SwapPreviewOut:
    p = service.preview(session=session, run_id=run_id, person_a=body.person_a, person_b=body.person_b)
    return SwapPreviewOut(person_a=p.person_a, person_b=p.person_b, objective_delta=p.objective_delta,
                          new_objective=p.new_objective, new_violations=_violations(p.new_violations),
                          resolved_violations=_violations(p.resolved_violations))


@router.post("/{run_id}/swaps", response_model=RunOut, responses=problems(400, 404, 409, 422),
             summary="Swap two people between groups (re-checked and re-explained). Roles: samla-admin.")
def apply_swap(run_id: RunId, body: SwapIn, session: SessionDep, _: Admin) -> RunOut:
    return run_out(service.swap(session=session, run_id=run_id, person_a=body.person_a, person_b=body.person_b))


@router.post("/{run_id}/publish", response_model=list[GroupOut], responses=problems(404, 409),
             summary="Publish a finished run without violations as networks; members are notified. "
                     "Roles: samla-admin.")
def publish_run(run_id: RunId, session: SessionDep, _: Admin, settings: SettingsDep) -> list[Any]:
    created = groups.publish_run(session=session, run_id=run_id, base_url=settings.public_base_url,
                                 after_days=settings.first_meeting_after_days)
    return [views.group_out(session=session, group=g) for g in created]
