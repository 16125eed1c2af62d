"""Group matching runs: build, check feasibility, bound, search, verify and explain; plus manual swaps."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from samla_network.matching.anneal import search
from samla_network.matching.bound import upper_bound
from samla_network.matching.construct import initial_groups
from samla_network.matching.evaluate import check_groups, describe_groups, objective
from samla_network.matching.feasibility import check_feasible
from samla_network.matching.model import (
    GroupRules,
    History,
    MatchingInfeasible,
    MatchingResult,
    MatchWeights,
    Person,
    ProgressCallback,
    Relaxation,
    SwapPreview,
)
from samla_network.matching.problem import Problem, build_problem
from samla_network.matching.swaps import penalty_weight
from samla_network.matching.texts import text

BOUND_SHARE = 0.15


def run_matching(*, problem: Problem, time_budget_s: float = 5.0, progress: ProgressCallback | None = None,
                 stop: threading.Event | None = None, seed: int = 0, bound_time_s: float | None = None,
                 temperatures: tuple[float, float] | None = None) -> MatchingResult:
    """Forms groups for a prepared problem within the budget (the bound takes 15 % of it unless told).

    `progress(fraction, best_objective)` is called about every 0.1 s; setting `stop` returns the best grouping
    so far (`stopped=True`, possibly with violations). Without a valid grouping at the deadline the run keeps
    repairing for up to 3 × budget + 5 s, then raises MatchingInfeasible.
    """
    started = time.monotonic()
    check_feasible(problem=problem)
    rng = np.random.default_rng(seed)
    start = initial_groups(problem=problem, rng=rng)

    def tick(best: float) -> None:
        if progress is not None:
            progress(min((time.monotonic() - started) / max(time_budget_s, 1e-9), 1.0), best)

    # Report the constructed grouping before the bound, so a caller can stop even during the LP.
    first = [np.flatnonzero(start == g).tolist() for g in range(len(problem.sizes))]
    tick(objective(problem=problem, groups=first))
    bound_s = BOUND_SHARE * time_budget_s if bound_time_s is None else bound_time_s
    bound, method = upper_bound(problem=problem, time_limit_s=bound_s, stop=stop)
    remaining = max(time_budget_s - (time.monotonic() - started), 0.0)
    outcome = search(problem=problem, start=start, budget_s=remaining, big=penalty_weight(problem=problem),
                     rng=rng, stop=stop, on_tick=tick, target=bound, temperatures=temperatures)
    groups = [list(map(int, np.flatnonzero(outcome.group == g))) for g in range(len(problem.sizes))]
    violations = check_groups(problem=problem, groups=groups)
    if violations and not outcome.stopped:
        cap = problem.rules.max_per_administration + 1
        raise MatchingInfeasible(
            text("search_failed", count=len(violations)),
            Relaxation(rules=replace(problem.rules, max_per_administration=cap),
                       description=text("relax_cap", cap=cap)))
    value = objective(problem=problem, groups=groups)
    if progress is not None:
        progress(1.0, value)
    return MatchingResult(groups=describe_groups(problem=problem, groups=groups), objective=value,
                          upper_bound=bound, bound_method=method,
                          violations=violations, elapsed_s=time.monotonic() - started,
                          stopped=outcome.stopped, iterations=outcome.iterations)


def form_groups(*, people: Sequence[Person], rules: GroupRules | None = None,
                weights: MatchWeights | None = None, history: History | None = None,
                directory: Sequence[Person] = (), time_budget_s: float = 5.0,
                progress: ProgressCallback | None = None, stop: threading.Event | None = None,
                seed: int = 0) -> MatchingResult:
    """Forms peer groups from a population; raises MatchingInfeasible (with a relaxation) on conflicts."""
    problem = build_problem(people=people, rules=rules or GroupRules(), weights=weights, history=history,
                            directory=directory)
    return run_matching(problem=problem, time_budget_s=time_budget_s, progress=progress, stop=stop, seed=seed)


def form_groups_relaxed(*, people: Sequence[Person], rules: GroupRules | None = None,
                        weights: MatchWeights | None = None, history: History | None = None,
                        directory: Sequence[Person] = (), time_budget_s: float = 5.0, seed: int = 0,
                        max_relaxations: int = 3) -> tuple[MatchingResult, tuple[Relaxation, ...]]:
    """Forms groups, applying each suggested relaxation in turn until the rules can be met."""
    current = rules or GroupRules()
    applied: list[Relaxation] = []
    while True:
        try:
            result = form_groups(people=people, rules=current, weights=weights, history=history,
                                 directory=directory, time_budget_s=time_budget_s, seed=seed)
            return replace(result, notes=tuple(r.description for r in applied)), tuple(applied)
        except MatchingInfeasible as infeasible:
            if infeasible.relaxation is None or len(applied) >= max_relaxations:
                raise
            applied.append(infeasible.relaxation)
            current = infeasible.relaxation.rules


def _index_groups(*, problem: Problem, result: MatchingResult) -> list[list[int]]:
    """Maps a result's member ids back to problem indices."""
    return [[problem.index[m] for m in g.members] for g in result.groups]


def _swapped(*, problem: Problem, groups: list[list[int]], person_a: str, person_b: str) -> list[list[int]]:
    """Returns the groups with two people exchanged; raises ValueError for unknown or same-group people."""
    a, b = problem.index.get(person_a), problem.index.get(person_b)
    if a is None or b is None:
        raise ValueError(f"unknown person: {person_a if a is None else person_b}")
    where = {k: gi for gi, g in enumerate(groups) for k in g}
    if where[a] == where[b]:
        raise ValueError(f"{person_a} and {person_b} are already in the same group")
    swapped = [list(g) for g in groups]
    swapped[where[a]][swapped[where[a]].index(a)] = b
    swapped[where[b]][swapped[where[b]].index(b)] = a
    return swapped


def preview_swap(*, problem: Problem, result: MatchingResult, person_a: str, person_b: str) -> SwapPreview:
    """Shows what swapping two people between their groups would change, without applying it."""
    before = _index_groups(problem=problem, result=result)
    after = _swapped(problem=problem, groups=before, person_a=person_a, person_b=person_b)
    old_v, new_v = check_groups(problem=problem, groups=before), check_groups(problem=problem, groups=after)
    new_objective = objective(problem=problem, groups=after)
    return SwapPreview(person_a=person_a, person_b=person_b,
                       objective_delta=new_objective - objective(problem=problem, groups=before),
                       new_objective=new_objective,
                       new_violations=tuple(v for v in new_v if v not in old_v),
                       resolved_violations=tuple(v for v in old_v if v not in new_v))


def apply_swap(*, problem: Problem, result: MatchingResult, person_a: str, person_b: str) -> MatchingResult:
    """Applies a manual swap (an admin may override rules) and returns the re-checked, re-explained result."""
    after = _swapped(problem=problem, groups=_index_groups(problem=problem, result=result),
                     person_a=person_a, person_b=person_b)
    return replace(result, groups=describe_groups(problem=problem, groups=after),
                   objective=objective(problem=problem, groups=after),
                   violations=check_groups(problem=problem, groups=after))
