"""Up-front checks that explain why rules cannot be met and propose the smallest relaxation that helps."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import numpy as np

from samla_network.matching.model import GroupRules, MatchingInfeasible, Relaxation
from samla_network.matching.problem import Problem, group_sizes
from samla_network.matching.texts import text


def _sizes_relaxation(*, n: int, rules: GroupRules) -> Relaxation | None:
    """Returns the nearest size range (widened by as little as possible) that can split n people."""
    for widen in range(1, n + 1):
        for low, high in ((rules.min_size - widen, rules.max_size), (rules.min_size, rules.max_size + widen),
                          (rules.min_size - widen, rules.max_size + widen)):
            low = max(low, 1)
            candidate = replace(rules, min_size=low, max_size=high,
                                target_size=min(max(rules.target_size, low), high))
            if group_sizes(n=n, rules=candidate):
                description = text("relax_sizes", min_size=low, max_size=high)
                return Relaxation(rules=candidate, description=description)
    return None


def _check_sizes(*, problem: Problem) -> None:
    """Raises when no balanced split of the population fits the size range."""
    rules, n = problem.rules, problem.n
    if problem.sizes:
        return
    if n < rules.min_size:
        explanation = text("too_few", n=n, min_size=rules.min_size)
    else:
        explanation = text("no_sizes", n=n, min_size=rules.min_size, max_size=rules.max_size)
    raise MatchingInfeasible(explanation, _sizes_relaxation(n=n, rules=rules) if n else None)


def _check_units(*, problem: Problem) -> None:
    """Raises when a must-together unit is too large, holds a forbidden pair, or breaks the cap by itself."""
    rules = problem.rules
    for unit in problem.units:
        if len(unit) == 1:
            continue
        ids = [problem.people[k].id for k in unit]
        drop = frozenset(p for p in rules.together if p[0] in ids or p[1] in ids)
        release = Relaxation(rules=replace(rules, together=rules.together - drop),
                             description=text("relax_together", people=", ".join(ids)))
        if len(unit) > rules.max_size:
            raise MatchingInfeasible(
                text("unit_too_big", people=", ".join(ids), count=len(unit), max_size=rules.max_size),
                release)
        clash = np.argwhere(problem.forbidden[np.ix_(unit, unit)] == 1)
        if clash.size:
            a, b = ids[clash[0][0]], ids[clash[0][1]]
            raise MatchingInfeasible(text("unit_forbidden", a=a, b=b), release)
        admin, count = Counter(int(problem.admin[k]) for k in unit).most_common(1)[0]
        if count > rules.max_per_administration:
            raise MatchingInfeasible(
                text("unit_admin", people=", ".join(ids), count=count, name=problem.admin_names[admin],
                     cap=rules.max_per_administration),
                Relaxation(rules=replace(rules, max_per_administration=count),
                           description=text("relax_cap", cap=count)))


def smallest_feasible_cap(*, problem: Problem) -> int:
    """Returns the smallest per-administration cap that the administration sizes and units allow."""
    groups = len(problem.sizes)
    largest = int(np.bincount(problem.admin).max()) if problem.n else 0
    unit_need = max((Counter(int(problem.admin[k]) for k in u).most_common(1)[0][1] for u in problem.units),
                    default=1)
    return max(math.ceil(largest / groups), unit_need, 1)


def _check_cap(*, problem: Problem) -> None:
    """Raises when an administration is too large to spread over the groups under the cap."""
    rules, groups = problem.rules, len(problem.sizes)
    counts = np.bincount(problem.admin, minlength=len(problem.admin_names))
    admin = int(np.argmax(counts))
    room = rules.max_per_administration * groups
    if counts[admin] <= room:
        return
    cap = smallest_feasible_cap(problem=problem)
    raise MatchingInfeasible(
        text("admin_cap", name=problem.admin_names[admin], count=int(counts[admin]), n=problem.n,
             share=100.0 * counts[admin] / problem.n, cap=rules.max_per_administration, groups=groups,
             room=room),
        Relaxation(rules=replace(rules, max_per_administration=cap), description=text("relax_cap", cap=cap)))


def unplaceable(*, forbidden: np.ndarray, min_size: int) -> list[int]:
    """Returns the people who may share a group with fewer than min_size − 1 others, so fit in no group.

    Typically someone above most of the population in the reporting line: the kommundirektör above everyone,
    or a förvaltningschef when the population is their förvaltning.
    """
    n = forbidden.shape[0]
    allowed = (n - 1) - forbidden.sum(axis=1, dtype=np.int64)
    return [int(k) for k in np.flatnonzero(allowed < min_size - 1)] if n >= min_size else []


def _check_unplaceable(*, problem: Problem) -> None:
    """Raises when someone cannot share a group with enough people; the search could only fail on them."""
    stuck = unplaceable(forbidden=problem.forbidden, min_size=problem.rules.min_size)
    if not stuck:
        return
    k = stuck[0]
    allowed = problem.n - 1 - int(problem.forbidden[k].sum())
    raise MatchingInfeasible(
        text("unplaceable", person=problem.people[k].id, allowed=allowed, others=problem.n - 1,
             min_size=problem.rules.min_size, count=len(stuck)),
        None)


def check_feasible(*, problem: Problem) -> None:
    """Raises MatchingInfeasible for rules that no grouping can satisfy; returns quietly otherwise."""
    _check_sizes(problem=problem)
    _check_units(problem=problem)
    _check_unplaceable(problem=problem)
    _check_cap(problem=problem)
