"""Scores a grouping from scratch, checks every hard constraint and explains each group in Swedish."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from samla_network.matching.model import Group, Violation, ViolationKind, pair_key
from samla_network.matching.problem import Problem
from samla_network.matching.texts import text


def group_score(*, problem: Problem, members: Sequence[int]) -> float:
    """Returns the sum of pair scores within one group."""
    idx = np.asarray(members, dtype=np.int64)
    return float(problem.scores[np.ix_(idx, idx)].sum() / 2.0)


def objective(*, problem: Problem, groups: Sequence[Sequence[int]]) -> float:
    """Returns the run's objective: the sum over groups of the pair scores inside them."""
    return sum(group_score(problem=problem, members=g) for g in groups)


def _pair_violations(*, problem: Problem, members: Sequence[int],
                     apart: set[tuple[str, str]]) -> list[Violation]:
    """Returns reporting-line and kept-apart pairs inside one group."""
    found = []
    for x, a in enumerate(members):
        for b in members[x + 1:]:
            if problem.forbidden[a, b]:
                ids = pair_key(problem.people[a].id, problem.people[b].id)
                kind: ViolationKind = "apart" if ids in apart else "reporting_line"
                found.append(Violation(kind=kind, people=ids, detail=f"{ids[0]} och {ids[1]} i samma grupp"))
    return found


def check_groups(*, problem: Problem, groups: Sequence[Sequence[int]]) -> tuple[Violation, ...]:
    """Returns every broken hard constraint of a grouping (empty when the grouping is valid)."""
    rules = problem.rules
    found: list[Violation] = []
    placed = Counter(k for g in groups for k in g)
    missing = [problem.people[k].id for k in range(problem.n) if placed[k] != 1]
    if missing:
        found.append(Violation(kind="coverage", people=tuple(missing),
                               detail="saknas eller finns i flera grupper"))
    apart = {pair_key(*p) for p in rules.apart}
    where = {k: gi for gi, g in enumerate(groups) for k in g}
    for g in groups:
        ids = tuple(problem.people[k].id for k in g)
        if not rules.min_size <= len(g) <= rules.max_size:
            found.append(Violation(kind="size", people=ids, detail=f"gruppen har {len(g)} personer"))
        for admin, count in Counter(int(problem.admin[k]) for k in g).items():
            if count > rules.max_per_administration:
                name = problem.admin_names[admin]
                same = tuple(sorted(problem.people[k].id for k in g if problem.admin[k] == admin))
                found.append(Violation(kind="administration_cap", people=same, detail=f"{count} från {name}"))
        found.extend(_pair_violations(problem=problem, members=list(g), apart=apart))
    for unit in problem.units:
        if len({where.get(k) for k in unit}) > 1:
            ids = tuple(problem.people[k].id for k in unit)
            found.append(Violation(kind="together", people=ids,
                                   detail="ska vara i samma grupp men är delade"))
    return tuple(found)


def explain(*, problem: Problem, members: Sequence[int]) -> str:
    """Returns a short Swedish explanation of why a group looks the way it does."""
    people = [problem.people[k] for k in members]
    parts = []
    admins = Counter(p.administration for p in people)
    parts.append(text("mix_admins", count=len(admins)) if len(admins) > 1
                 else text("one_admin", name=people[0].administration))
    levels = {p.level for p in people}
    if len(levels) > 1:
        parts.append(text("mix_levels", count=len(levels)))
    tags = Counter(tag for p in people for tag in p.challenges)
    if tags and tags.most_common(1)[0][1] >= 2:
        tag, count = min(tags.items(), key=lambda item: (-item[1], item[0]))
        parts.append(text("shared_challenge", count=count, tag=tag))
    else:
        parts.append(text("no_shared_challenge"))
    ids = [p.id for p in people]
    pairs = {pair_key(a, b) for x, a in enumerate(ids) for b in ids[x + 1:]}
    if problem.weights.history_mode == "avoid":
        met = len(pairs & problem.history.met)
        parts.append(text("never_met") if met == 0 else text("some_met", count=met))
    else:
        parts.append(text("same_table", count=len(pairs & problem.history.same_table)))
    place, count = Counter(p.location for p in people).most_common(1)[0]
    if count == len(people):
        parts.append(text("same_location_all", place=place))
    elif count >= 2:
        parts.append(text("same_location_some", count=count, place=place))
    with_slots = [p.availability for p in people if p.availability]
    if with_slots:
        common = frozenset.intersection(*with_slots)
        parts.append(text("common_slot", slot=min(common)) if common else text("no_common_slot"))
    return "; ".join(parts)


def describe_groups(*, problem: Problem, groups: Sequence[Sequence[int]]) -> tuple[Group, ...]:
    """Turns index groups into result groups with ids, scores and explanations."""
    return tuple(
        Group(members=tuple(problem.people[k].id for k in g), score=group_score(problem=problem, members=g),
              explanation=explain(problem=problem, members=g))
        for g in groups
    )
