"""Re-matching: new groups that avoid previous partners, and repairing groups after people drop out."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

import numpy as np

from samla_network.matching.evaluate import check_groups, describe_groups
from samla_network.matching.groups import form_groups
from samla_network.matching.model import (
    Group,
    GroupRules,
    History,
    MatchingInfeasible,
    MatchingResult,
    MatchWeights,
    Pair,
    Person,
    ProgressCallback,
    Violation,
    pair_key,
)
from samla_network.matching.problem import Problem, build_problem


def previous_pairs(*, groups: Sequence[Sequence[str]]) -> frozenset[Pair]:
    """Returns every pair of people who shared one of the given groups."""
    return frozenset(pair_key(a, b) for g in groups for x, a in enumerate(g) for b in g[x + 1:])


def rematch(*, people: Sequence[Person], previous_groups: Sequence[Sequence[str]],
            rules: GroupRules | None = None, weights: MatchWeights | None = None,
            history: History | None = None, directory: Sequence[Person] = (),
            time_budget_s: float = 5.0, progress: ProgressCallback | None = None,
            stop: threading.Event | None = None, seed: int = 0) -> MatchingResult:
    """Forms new groups where nobody meets a previous partner again (if impossible: as few as can be)."""
    rules, history = rules or GroupRules(), history or History()
    before = previous_pairs(groups=previous_groups)
    remembered = History(met=history.met | before, same_table=history.same_table)
    try:
        return form_groups(people=people, rules=replace(rules, apart=rules.apart | before), weights=weights,
                           history=remembered, directory=directory, time_budget_s=time_budget_s,
                           progress=progress, stop=stop, seed=seed)
    except MatchingInfeasible:
        # Repeats become a strong penalty instead of a rule, so the run still yields groups.
        base = weights or MatchWeights()
        soft = replace(base, history_mode="avoid", history=5.0 * max(base.history, 1.0))
        result = form_groups(people=people, rules=rules, weights=soft, history=remembered,
                             directory=directory, time_budget_s=time_budget_s, progress=progress, stop=stop,
                             seed=seed)
        return replace(result, notes=(*result.notes, "tidigare par gick inte att undvika helt"))


@dataclass(frozen=True)
class RemainderResult:
    """Groups after drop-outs, small groups dissolved into others; `unplaced` fit nowhere within the rules."""

    groups: tuple[Group, ...]
    moved: tuple[str, ...]
    unplaced: tuple[str, ...]
    violations: tuple[Violation, ...]


def _best_home(*, problem: Problem, groups: list[list[int]], person: int, rules: GroupRules) -> int | None:
    """Returns the group with room that person fits into without breaking a rule and adds most score to."""
    best, best_gain = None, -np.inf
    for g, members in enumerate(groups):
        if not members or len(members) >= rules.max_size:
            continue
        if problem.forbidden[person, members].any():
            continue
        same = sum(1 for k in members if problem.admin[k] == problem.admin[person])
        if same >= rules.max_per_administration:
            continue
        gain = float(problem.scores[person, members].sum())
        if gain > best_gain:
            best, best_gain = g, gain
    return best


def rematch_remainder(*, people: Sequence[Person], groups: Sequence[Sequence[str]], dropped: Collection[str],
                      rules: GroupRules | None = None, weights: MatchWeights | None = None,
                      history: History | None = None, directory: Sequence[Person] = ()) -> RemainderResult:
    """Removes drop-outs, dissolves groups that fall below the minimum and merges their people into others."""
    rules = rules or GroupRules()
    gone = set(dropped) | {p.id for p in people if p.opted_out}
    staying = {m for g in groups for m in g if m not in gone}
    problem = build_problem(people=[p for p in people if p.id in staying], rules=rules, weights=weights,
                            history=history, directory=directory or people)
    current = [[problem.index[m] for m in g if m in staying] for g in groups]
    current = [g for g in current if g]
    small = [g for g in current if len(g) < rules.min_size]
    kept = [g for g in current if len(g) >= rules.min_size]
    admin_size = Counter(problem.admin.tolist())
    # People of big administrations first: the cap leaves them the fewest possible homes.
    leftovers = sorted((k for g in small for k in g), key=lambda k: -admin_size[int(problem.admin[k])])
    pool: list[int] = []
    for person in leftovers:
        home = _best_home(problem=problem, groups=kept, person=person, rules=rules)
        if home is None:
            pool.append(person)
        else:
            kept[home].append(person)
    unplaced: list[int] = []
    if len(pool) >= rules.min_size:
        # Leftovers that fit nowhere start a new group together, split evenly when they are many.
        count = -(-len(pool) // rules.max_size)
        fresh = [pool[k::count] for k in range(count)]
        kept += [g for g in fresh if len(g) >= rules.min_size]
        unplaced = [k for g in fresh if len(g) < rules.min_size for k in g]
    else:
        unplaced = pool
    moved = [problem.people[k].id for k in leftovers if k not in unplaced]
    return RemainderResult(
        groups=describe_groups(problem=problem, groups=kept), moved=tuple(moved),
        unplaced=tuple(problem.people[k].id for k in unplaced),
        violations=tuple(v for v in check_groups(problem=problem, groups=kept) if v.kind != "coverage"))
