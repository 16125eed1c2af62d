"""Greedy construction of a first grouping that respects the hard constraints whenever greedy can."""

from __future__ import annotations

from collections import Counter

import numpy as np

from samla_network.matching.problem import Problem
from samla_network.matching.swaps import penalty_weight


def initial_groups(*, problem: Problem, rng: np.random.Generator) -> np.ndarray:
    """Places must-together units one by one into the feasible group they add most score to."""
    n, sizes = problem.n, problem.sizes
    count = len(sizes)
    room = np.array(sizes, dtype=np.int64)
    sums = np.zeros((count, n))
    clashes = np.zeros((count, n), dtype=np.int64)
    counts = np.zeros((count, len(problem.admin_names)), dtype=np.int64)
    group = np.full(n, -1, dtype=np.int64)
    cap = problem.rules.max_per_administration
    admin_size = np.bincount(problem.admin, minlength=len(problem.admin_names))
    big = penalty_weight(problem=problem)
    # Hardest first: large units, then people of large administrations, whose cap binds soonest.
    order = sorted(problem.units,
                   key=lambda u: (-len(u), -int(admin_size[problem.admin[u]].max()), rng.random()))
    for unit in order:
        idx = np.asarray(unit)
        excess = np.zeros(count)
        for admin, c in Counter(int(problem.admin[k]) for k in unit).items():
            excess += np.maximum(counts[:, admin] + c - cap, 0) - np.maximum(counts[:, admin] - cap, 0)
        key = sums[:, idx].sum(axis=1) - big * (clashes[:, idx].sum(axis=1) + excess)
        # Random jitter breaks ties so early people do not all pile into group 0.
        key = key + 1e-6 * rng.random(count)
        fits = room >= len(unit)
        key[~fits] = -np.inf
        g = int(np.argmax(key)) if fits.any() else int(np.argmax(room))
        group[idx] = g
        room[g] -= len(unit)
        sums[g] += problem.scores[idx].sum(axis=0)
        clashes[g] += problem.forbidden[idx].sum(axis=0)
        np.add.at(counts[g], problem.admin[idx], 1)
    return group
