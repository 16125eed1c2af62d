"""Certified upper bounds on the best achievable objective of a group-matching run.

Two bounds, both valid for every grouping that meets the rules with the run's group sizes:
- degree bound: in any grouping each person has (size − 1) partners, at most (cap − 1) of them from their own
  administration and none forbidden, so the objective is at most half the sum over people of their best such
  partner scores. Cheap (one partial sort per row), but loose.
- LP bound (`lp_bound`): the fractional b-matching relaxation tightened by star and administration cuts,
  solved with HiGHS and priced over all pairs (module `relaxation`). Needs `highspy`; without it, or if no
  LP solves in time, only the degree bound is used.
`upper_bound` returns the smaller of the two, with the method's name.
"""

from __future__ import annotations

import threading

import numpy as np

from samla_network.matching.problem import Problem
from samla_network.matching.relaxation import triangle_lp_bound

CHUNK = 512
DEGREE_METHOD = "degree bound: each person's best (size − 1) allowed partners, summed / 2"
LP_METHOD = "b-matching LP + star cuts (HiGHS), priced over all pairs by weak duality"


def _degree_range(problem: Problem) -> tuple[int, int, int]:
    """Returns the smallest and largest degree any person can have, and the total number of pairs."""
    sizes = problem.sizes
    return min(sizes) - 1, max(sizes) - 1, sum(k * (k - 1) // 2 for k in sizes)


def degree_bound(*, problem: Problem) -> float:
    """Cheap bound: half the sum of each person's best (size − 1) allowed partner scores, cap respected."""
    low, high, _ = _degree_range(problem)
    cap = problem.rules.max_per_administration
    big_people = sum(k for k in problem.sizes if k - 1 == high) if high > low else problem.n
    width = min(2 * high + cap + 1, problem.n - 1)
    base, extra = np.zeros(problem.n), np.zeros(problem.n)
    for start in range(0, problem.n, CHUNK):
        rows = problem.scores[start:start + CHUNK].copy()
        rows[problem.forbidden[start:start + CHUNK] == 1] = -np.inf
        rows[np.arange(rows.shape[0]), np.arange(start, start + rows.shape[0])] = -np.inf
        top = np.argpartition(-rows, width - 1, axis=1)[:, :width]
        for r, cand in enumerate(top):
            i = start + r
            cand = cand[np.argsort(-rows[r, cand])]
            if not np.isfinite(rows[r, cand[min(high - 1, cand.size - 1)]]):
                # Too few allowed partners: relax this row to all partners, which keeps the bound valid.
                rows[r] = problem.scores[i]
                rows[r, i] = -np.inf
                cand = np.argsort(-rows[r])[:width]
            picked, same = [], 0
            for j in cand:
                if problem.admin[j] == problem.admin[i]:
                    if same >= cap - 1:
                        continue
                    same += 1
                picked.append(rows[r, j])
                if len(picked) == high:
                    break
            # Anything outside the candidates scores at most the last candidate, so padding with it is safe.
            picked += [rows[r, cand[-1]]] * (high - len(picked))
            base[i], extra[i] = sum(picked[:low]), sum(picked[low:high]) if high > low else 0.0
    top_extra = np.sort(extra)[::-1][:big_people].sum() if high > low else 0.0
    return float((base.sum() + top_extra) / 2.0)


def _candidate_pairs(*, problem: Problem, per_person: int) -> set[tuple[int, int]]:
    """Returns each person's best allowed partners plus must-together pairs, as (i < j) pairs."""
    pairs: set[tuple[int, int]] = set()
    width = min(per_person, problem.n - 1)
    rng = np.random.default_rng(0)
    for start in range(0, problem.n, CHUNK):
        # Jitter breaks ties at random; otherwise everyone picks the same low-index people and the
        # restricted LP can become infeasible (a few hubs cannot absorb everyone's degree).
        jitter = 1e-6 * rng.random((min(CHUNK, problem.n - start), problem.n))
        rows = problem.scores[start:start + CHUNK] + jitter
        rows[problem.forbidden[start:start + CHUNK] == 1] = -np.inf
        rows[np.arange(rows.shape[0]), np.arange(start, start + rows.shape[0])] = -np.inf
        top = np.argpartition(-rows, width - 1, axis=1)[:, :width]
        for r, cand in enumerate(top):
            i = start + r
            pairs.update((min(i, int(j)), max(i, int(j))) for j in cand if np.isfinite(rows[r, j]))
    for unit in problem.units:
        pairs.update((a, b) for a in unit for b in unit if a < b)
    return pairs


def lp_bound(*, problem: Problem, time_limit_s: float = 10.0, per_person: int | None = None,
             stop: threading.Event | None = None) -> float | None:
    """Returns the LP bound (b-matching + triangle cuts, priced over all pairs), or None if no LP solved."""
    high = max(problem.sizes) - 1
    pairs = sorted(_candidate_pairs(problem=problem, per_person=per_person or 3 * (high + 1)))
    return triangle_lp_bound(problem=problem, pairs=pairs, time_limit_s=time_limit_s, stop=stop)


def upper_bound(*, problem: Problem, time_limit_s: float = 10.0,
                stop: threading.Event | None = None) -> tuple[float, str]:
    """Returns the tightest valid bound available within the time limit and how it was obtained."""
    cheap = degree_bound(problem=problem)
    lp = lp_bound(problem=problem, time_limit_s=time_limit_s, stop=stop) if time_limit_s > 0 else None
    if lp is None or lp >= cheap:
        return cheap, DEGREE_METHOD
    return lp, LP_METHOD
