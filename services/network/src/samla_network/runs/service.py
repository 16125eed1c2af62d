"""Matching runs: create with frozen inputs, start, progress, finish, stop, review swaps."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict
from samla_network.errors import invalid, not_found
from samla_network.matching import MatchingInfeasible, SwapPreview, apply_swap, build_problem, preview_swap
from samla_network.runs import inputs as run_inputs
from samla_network.runs.models import DONE, DRAFT, FAILED, PUBLISHED, RUNNING, MatchingRun
from samla_network.runs.schemas import RunIn
from samla_network.runs.solve import from_json, to_json
from samla_network.topics import utcnow


def create(*, session: Session, data: RunIn, by: str, max_budget: float) -> MatchingRun:
    """Creates a draft run: resolves the population and freezes the matcher's inputs."""
    p = data.parameters
    if p.time_budget_seconds > max_budget:
        raise invalid("parameters.time_budget_seconds", f"must be at most {max_budget:g} seconds")
    population = data.population.model_dump()
    ids = run_inputs.population_ids(session=session, population=population)
    named = {x for pair in (*p.together, *p.apart) for x in pair} | set(p.mentor_ids) | set(p.preferences) | {
        x for ranking in p.preferences.values() for x in ranking}
    outside = sorted(named - set(ids))
    if outside:
        raise invalid("parameters", f"names people outside the population: {', '.join(outside[:10])}")
    if data.kind == "mentors" and not p.mentor_ids:
        raise invalid("parameters.mentor_ids", "a mentor run needs at least one mentor")
    _check_preferences(data)
    event_id = population.get("event_id") if population["kind"] == "event" else None
    frozen, excluded = run_inputs.build_inputs(session=session, person_ids=ids, event_id=event_id,
                                               min_group_size=p.min_size if data.kind == "groups" else None)
    if len(frozen["people"]) < 2:
        raise invalid("population", f"has {len(frozen['people'])} people who can be matched; at least 2 are needed "
                                    f"({len(excluded)} left out: opted out, inactive, not in the directory or "
                                    f"above everyone else in the reporting line)")
    run = MatchingRun(id=str(uuid.uuid4()), name=data.name, kind=data.kind, status=DRAFT, population=population,
                      parameters=p.model_dump(mode="json"), inputs=frozen, excluded=excluded, progress=0.0,
                      stop_requested=False, created_by=by, created_at=utcnow())
    session.add(run)
    session.flush()
    return run


def _check_preferences(data: RunIn) -> None:
    """Rankings belong to stable mentor runs, and each person ranks only people on the other side."""
    p = data.parameters
    if p.mentor_method == "stable" and data.kind != "mentors":
        raise invalid("parameters.mentor_method", "stable matching pairs mentors and mentees; use kind mentors")
    if p.preferences and p.mentor_method != "stable":
        raise invalid("parameters.preferences", "rankings are used only by stable mentor runs "
                                                "(kind mentors, mentor_method stable)")
    mentors = set(p.mentor_ids)
    for person, ranking in p.preferences.items():
        same_side = [x for x in ranking if (x in mentors) == (person in mentors)]
        if same_side:
            side = "mentors" if person in mentors else "mentees"
            raise invalid(f"parameters.preferences.{person}",
                          f"ranks {', '.join(same_side[:5])}, who are {side} too; rank only the other side")


def get(*, session: Session, run_id: str, lock: bool = False) -> MatchingRun:
    """A run by id; NotFound otherwise."""
    run = session.get(MatchingRun, run_id, with_for_update=lock)
    if run is None:
        raise not_found("matching run", run_id)
    return run


def listing(*, session: Session) -> list[MatchingRun]:
    """Every run, newest first."""
    return list(session.scalars(select(MatchingRun).order_by(MatchingRun.created_at.desc())))


def start(*, session: Session, run_id: str) -> MatchingRun:
    """Marks a run as running (the caller then launches the worker); a running or published run cannot restart."""
    run = get(session=session, run_id=run_id, lock=True)
    if run.status == RUNNING:
        raise Conflict("The run is already running. Wait for it, or stop it first.")
    if run.status == PUBLISHED:
        raise Conflict("The run is published; create a new run to match again.")
    run.status, run.progress, run.stop_requested = RUNNING, 0.0, False
    run.best_objective = run.upper_bound = None
    run.result = run.error = None
    run.started_at, run.finished_at = utcnow(), None
    session.flush()
    return run


def record_progress(*, session: Session, run_id: str, fraction: float, best_objective: float,
                    upper_bound: float | None) -> bool:
    """Stores progress; returns True when someone asked the run to stop."""
    run = get(session=session, run_id=run_id)
    run.progress = min(max(fraction, 0.0), 1.0)
    run.best_objective, run.upper_bound = best_objective, upper_bound
    return run.stop_requested


def infeasible_error(exc: MatchingInfeasible) -> dict[str, Any]:
    relaxation = None
    if exc.relaxation is not None:
        rules = asdict(exc.relaxation.rules)
        relaxation = {"description": exc.relaxation.description,
                      "parameters": {"min_size": rules["min_size"], "max_size": rules["max_size"],
                                     "target_size": rules["target_size"],
                                     "max_per_administration": rules["max_per_administration"],
                                     "together": sorted(list(p) for p in rules["together"])}}
    return {"detail": exc.explanation, "relaxation": relaxation}


def finish(*, session: Session, run_id: str, result: dict[str, Any] | None, error: dict[str, Any] | None) -> None:
    """Stores a run's outcome: its result (done) or why it failed."""
    run = get(session=session, run_id=run_id, lock=True)
    run.status = DONE if result is not None else FAILED
    run.result, run.error, run.finished_at = result, error, utcnow()
    if result is not None:
        run.progress, run.best_objective, run.upper_bound = 1.0, result["objective"], result["upper_bound"]


def request_stop(*, session: Session, run_id: str) -> MatchingRun:
    """Asks a running run to stop (it keeps its best grouping); stopping a finished run does nothing."""
    run = get(session=session, run_id=run_id, lock=True)
    if run.status == RUNNING:
        run.stop_requested = True
    return run


def _problem(run: MatchingRun):
    return build_problem(people=run_inputs.to_people(run.inputs), rules=run_inputs.rules(run.parameters),
                         weights=run_inputs.weights(run.parameters), history=run_inputs.history(run.inputs),
                         directory=run_inputs.directory(run.inputs))


def _reviewable(run: MatchingRun) -> dict[str, Any]:
    if run.status != DONE or run.result is None:
        raise Conflict(f"Only a finished run can be reviewed; this one is {run.status}.")
    if run.kind != "groups":
        raise Conflict("Mentor pairs are optimal as a whole; run again with must/never-together pairs instead.")
    return run.result


def _check_pair(run: MatchingRun, person_a: str, person_b: str) -> None:
    where = {m: k for k, g in enumerate(run.result["groups"] if run.result else []) for m in g["members"]}
    for field, pid in (("person_a", person_a), ("person_b", person_b)):
        if pid not in where:
            raise invalid(field, f"{pid} is not in any group of this run")
    if where[person_a] == where[person_b]:
        raise invalid("person_b", f"{person_a} and {person_b} are already in the same group")


def preview(*, session: Session, run_id: str, person_a: str, person_b: str) -> SwapPreview:
    """What swapping two people between their groups would change, without changing anything."""
    run = get(session=session, run_id=run_id)
    stored = _reviewable(run)
    _check_pair(run, person_a, person_b)
    return preview_swap(problem=_problem(run), result=from_json(stored), person_a=person_a, person_b=person_b)


def swap(*, session: Session, run_id: str, person_a: str, person_b: str) -> MatchingRun:
    """Swaps two people between groups and re-checks and re-explains the result (an admin may break a rule)."""
    run = get(session=session, run_id=run_id, lock=True)
    stored = _reviewable(run)
    _check_pair(run, person_a, person_b)
    after = apply_swap(problem=_problem(run), result=from_json(stored), person_a=person_a, person_b=person_b)
    run.result = {**to_json(after), "stopped": stored["stopped"], "elapsed_seconds": stored["elapsed_seconds"],
                  "notes": [*stored["notes"], f"manuellt byte: {person_a} ↔ {person_b}"]}
    run.best_objective = after.objective
    session.flush()
    return run

