"""The indexed form of a group-matching run that the search, bound and checks share."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from samla_network.matching.model import GroupRules, History, MatchWeights, Person
from samla_network.matching.scores import forbidden_pairs, pair_scores


@dataclass
class Problem:
    """Active people with their pair scores, forbidden pairs, must-together units and group sizes."""

    people: list[Person]
    index: dict[str, int]
    rules: GroupRules
    weights: MatchWeights
    history: History
    scores: np.ndarray
    forbidden: np.ndarray
    admin: np.ndarray
    admin_names: list[str]
    units: list[list[int]]
    sizes: list[int]

    @property
    def n(self) -> int:
        """Number of people being matched."""
        return len(self.people)


def size_range(*, n: int, rules: GroupRules) -> tuple[int, int]:
    """Returns the smallest and largest number of groups whose sizes can all lie within the rules."""
    return math.ceil(n / rules.max_size), n // rules.min_size


def group_sizes(*, n: int, rules: GroupRules) -> list[int]:
    """Returns balanced group sizes (differing by at most one) nearest the target size, or [] if none fit."""
    low, high = size_range(n=n, rules=rules)
    if n == 0 or low > high:
        return []
    count = min(max(round(n / max(rules.target_size, 1)), low), high)
    base, extra = divmod(n, count)
    return [base + 1] * extra + [base] * (count - extra)


def _units(*, n: int, index: dict[str, int], together: frozenset[tuple[str, str]]) -> list[list[int]]:
    """Joins must-together pairs transitively (union-find) into units that are placed as a whole."""
    parent = list(range(n))

    def root(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in together:
        if a in index and b in index:
            parent[root(index[a])] = root(index[b])
    grouped: dict[int, list[int]] = {}
    for k in range(n):
        grouped.setdefault(root(k), []).append(k)
    return list(grouped.values())


def build_problem(*, people: Sequence[Person], rules: GroupRules, weights: MatchWeights | None = None,
                  history: History | None = None, directory: Sequence[Person] = ()) -> Problem:
    """Indexes the people who have not opted out and precomputes everything the run needs."""
    active = [p for p in people if not p.opted_out]
    weights = weights or MatchWeights()
    history = history or History()
    index = {p.id: k for k, p in enumerate(active)}
    admin_names = sorted({p.administration for p in active})
    admin_code = {name: k for k, name in enumerate(admin_names)}
    return Problem(
        people=active,
        index=index,
        rules=rules,
        weights=weights,
        history=history,
        scores=pair_scores(people=active, weights=weights, history=history),
        forbidden=forbidden_pairs(people=active, directory=list(directory) or list(people),
                                  apart=rules.apart),
        admin=np.array([admin_code[p.administration] for p in active], dtype=np.int64),
        admin_names=admin_names,
        units=_units(n=len(active), index=index, together=rules.together),
        sizes=group_sizes(n=len(active), rules=rules),
    )
