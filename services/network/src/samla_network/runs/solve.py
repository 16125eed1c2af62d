"""Runs the matcher on a run's frozen inputs and turns its result into the JSON stored with the run.

The bound is computed here, before the search, so every progress report can carry it (the proto's
`upper_bound`); the library's own bound step then gets no time and the tighter of the two is kept.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from samla_network.matching import (
    MatchingResult,
    Violation,
    assign_mentors,
    build_problem,
    check_feasible,
    rematch,
    run_matching,
    upper_bound,
)
from samla_network.matching.groups import BOUND_SHARE
from samla_network.matching.rematch import previous_pairs
from samla_network.runs import inputs as run_inputs
from samla_network.runs.stable import stable_pairs

# progress(fraction 0..1, best objective so far, upper bound or None)
Progress = Callable[[float, float, float | None], None]


def solve(*, kind: str, inputs: dict[str, Any], parameters: dict[str, Any], stop: threading.Event,
          progress: Progress) -> dict[str, Any]:
    """The stored result of a run; raises MatchingInfeasible when its rules cannot be met."""
    if kind == "mentors":
        return _mentors(inputs=inputs, parameters=parameters)
    people = run_inputs.to_people(inputs)
    rules, weights = run_inputs.rules(parameters), run_inputs.weights(parameters)
    directory = run_inputs.directory(inputs)
    budget = float(parameters.get("time_budget_seconds", 5.0))
    seed = int(parameters.get("seed", 0))
    if parameters.get("avoid_previous_partners", True) and inputs["previous_groups"]:
        # Previous partners become a hard rule when that is possible (rematch falls back to a penalty).
        history = run_inputs.history(inputs, with_previous_groups=False)
        result = rematch(people=people, previous_groups=inputs["previous_groups"], rules=rules, weights=weights,
                         history=history, directory=directory, time_budget_s=budget, stop=stop, seed=seed,
                         progress=lambda f, best: progress(f, best, None))
        return to_json(result)
    problem = build_problem(people=people, rules=rules, weights=weights, history=run_inputs.history(inputs),
                            directory=directory)
    check_feasible(problem=problem)
    started = time.monotonic()
    bound, method = upper_bound(problem=problem, time_limit_s=BOUND_SHARE * budget, stop=stop)
    bound_share = min((time.monotonic() - started) / budget, 0.5)
    remaining = max(budget - (time.monotonic() - started), 0.05)
    result = run_matching(problem=problem, time_budget_s=remaining, stop=stop, seed=seed, bound_time_s=0.0,
                          progress=lambda f, best: progress(bound_share + (1 - bound_share) * f, best, bound))
    if bound < result.upper_bound:
        result = replace(result, upper_bound=bound, bound_method=method)
    return to_json(result)


def _violation(v: Violation) -> dict[str, Any]:
    return {"kind": v.kind, "people": list(v.people), "detail": v.detail}


def to_json(result: MatchingResult) -> dict[str, Any]:
    return {"kind": "groups",
            "groups": [{"members": list(g.members), "score": g.score, "explanation": g.explanation}
                       for g in result.groups],
            "objective": result.objective, "upper_bound": result.upper_bound, "bound_method": result.bound_method,
            "violations": [_violation(v) for v in result.violations], "stopped": result.stopped,
            "elapsed_seconds": result.elapsed_s, "notes": list(result.notes), "unmatched": []}


def from_json(stored: dict[str, Any]) -> MatchingResult:
    """A stored result as the library's value (for swaps)."""
    from samla_network.matching import Group

    return MatchingResult(
        groups=tuple(Group(members=tuple(g["members"]), score=g["score"], explanation=g["explanation"])
                     for g in stored["groups"]),
        objective=stored["objective"], upper_bound=stored["upper_bound"], bound_method=stored["bound_method"],
        violations=tuple(Violation(kind=v["kind"], people=tuple(v["people"]), detail=v["detail"])
                         for v in stored["violations"]),
        elapsed_s=stored["elapsed_seconds"], stopped=stored["stopped"], notes=tuple(stored["notes"]))


def _mentors(*, inputs: dict[str, Any], parameters: dict[str, Any]) -> dict[str, Any]:
    everyone = run_inputs.to_people(inputs)
    mentor_ids = set(parameters.get("mentor_ids", []))
    mentors = [p for p in everyone if p.id in mentor_ids]
    mentees = [p for p in everyone if p.id not in mentor_ids]
    history = run_inputs.history(inputs)
    rules = run_inputs.rules(parameters)
    if parameters.get("avoid_previous_partners", True):
        rules = replace(rules, apart=rules.apart | previous_pairs(groups=inputs["previous_groups"]))
    names = {p["id"]: p["name"] for p in inputs["people"]}
    if parameters.get("mentor_method") == "stable":
        return stable_pairs(mentors=mentors, mentees=mentees, preferences=parameters.get("preferences", {}),
                            rules=rules, weights=run_inputs.weights(parameters), history=history,
                            directory=run_inputs.directory(inputs), names=names)
    result = assign_mentors(mentors=mentors, mentees=mentees, rules=rules, weights=run_inputs.weights(parameters),
                            history=history, directory=run_inputs.directory(inputs))
    return {"kind": "mentors",
            "groups": [{"members": [p.mentor, p.mentee], "score": p.score,
                        "explanation": f"{names[p.mentor]} är mentor för {names[p.mentee]}"} for p in result.pairs],
            "objective": result.objective, "upper_bound": result.objective, "bound_method": "optimal assignment",
            "violations": [], "stopped": False, "elapsed_seconds": result.elapsed_s, "notes": [],
            "unmatched": [*result.unmatched_mentors, *result.unmatched_mentees]}
