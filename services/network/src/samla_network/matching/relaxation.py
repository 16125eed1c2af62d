"""The LP upper bound: a fractional b-matching LP tightened by cuts, solved with HiGHS (warm starts).

Variables x_ij ∈ [0, 1] (1 = same group) exist only for a working set of pairs; rows are each person's degree
(between smallest and largest group size − 1), same-administration degree (≤ cap − 1), the total number of
within-group pairs, and cuts that every grouping satisfies (see `_add_cuts`).

Why the bound stays valid although most pairs are never columns: for ANY row multipliers μ, weak duality gives
max s·x ≤ Σ_pairs max(0, s_ij + a_ij·μ) − Σ_rows bnd_r(μ_r), with bnd_r = lo_r·μ_r if μ_r > 0 else hi_r·μ_r.
That sum is priced over all pairs in numpy, whatever subset the LP saw; pairs with a positive term enter the
LP (column generation) and violated cuts are added as rows (cutting planes) until time runs out. Costly
slack columns keep a small working set feasible; they are not part of any grouping, so they cannot make the
priced bound invalid.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from samla_network.matching.problem import Problem

CHUNK = 512
ENTERING = 3
CUTS_PER_PERSON = 2
MAX_CUTS = 1500
TOLERANCE = 1e-6
STAR_SIZES = (2, 3)


@dataclass
class _Model:
    """A HiGHS model with the bookkeeping needed to price every pair against its duals."""

    highs: Any
    problem: Problem
    row_low: list[float]
    row_high: list[float]
    slack_columns: int = 0
    pairs: list[tuple[int, int]] = field(default_factory=list)
    column: dict[tuple[int, int], int] = field(default_factory=dict)
    triangles: list[tuple[int, list[tuple[int, float]]]] = field(default_factory=list)


def _add_pairs(*, model: _Model, pairs: list[tuple[int, int]]) -> None:
    """Adds pair columns with their degree, same-administration and total-pairs coefficients."""
    p, n = model.problem, model.problem.n
    starts: list[int] = []
    rows: list[int] = []
    for a, b in pairs:
        starts.append(len(rows))
        rows += [a, b, 2 * n] + ([n + a, n + b] if p.admin[a] == p.admin[b] else [])
        model.column[(a, b)] = model.slack_columns + len(model.pairs)
        model.pairs.append((a, b))
    unit_of = {k: u for u, unit in enumerate(p.units) for k in unit}
    lower = [1.0 if unit_of[a] == unit_of[b] else 0.0 for a, b in pairs]
    model.highs.addCols(len(pairs), np.array([-p.scores[a, b] for a, b in pairs]), np.array(lower),
                        np.ones(len(pairs)), len(rows), np.array(starts, dtype=np.int32),
                        np.array(rows, dtype=np.int32), np.ones(len(rows)))


def _new_model(*, highspy: Any, problem: Problem, pairs: list[tuple[int, int]]) -> _Model:
    """Builds the LP with its fixed rows and an initial set of pair columns."""
    sizes, n = problem.sizes, problem.n
    low, high = float(min(sizes) - 1), float(max(sizes) - 1)
    total = float(sum(k * (k - 1) // 2 for k in sizes))
    cap = float(problem.rules.max_per_administration - 1)
    inf = highspy.kHighsInf
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    row_low, row_high = [low] * n + [-inf] * n + [total], [high] * n + [cap] * n + [total]
    empty = np.zeros(2 * n + 1, dtype=np.int32)
    highs.addRows(2 * n + 1, np.array(row_low), np.array(row_high), 0, empty, empty[:0], np.zeros(0))
    # Costly slack on the degree and total rows keeps the LP feasible when the working set of pairs is too
    # small; slacks are not part of the grouping, so the priced bound stays valid whatever duals they cause.
    penalty = 10.0 * (float(np.abs(problem.scores).max()) + 1.0) * (high + 1.0)
    slack_rows = np.arange(n + 1, dtype=np.int32)
    slack_rows[n] = 2 * n
    highs.addCols(n + 1, np.full(n + 1, penalty), np.zeros(n + 1), np.full(n + 1, inf), n + 1,
                  np.arange(n + 1, dtype=np.int32), slack_rows, np.ones(n + 1))
    model = _Model(highs=highs, problem=problem, row_low=row_low, row_high=row_high, slack_columns=n + 1)
    _add_pairs(model=model, pairs=pairs)
    return model


def _lagrangian(*, model: _Model, duals: np.ndarray) -> tuple[float, list[tuple[int, int]]]:
    """Returns the weak-duality bound for these multipliers over all pairs, and pairs worth adding."""
    p, n = model.problem, model.problem.n
    low, high = np.array(model.row_low), np.array(model.row_high)
    mu = np.where((duals > 0) & ~np.isfinite(low) | (duals < 0) & ~np.isfinite(high), 0.0, duals)
    active = np.where(mu > 0, np.where(np.isfinite(low), low, 0.0), np.where(np.isfinite(high), high, 0.0))
    value = -float(active @ mu)
    degree, same, total = mu[:n], mu[n:2 * n], float(mu[2 * n])
    unit_of = np.empty(n, dtype=np.int64)
    for k, unit in enumerate(p.units):
        unit_of[unit] = k
    entering: list[tuple[int, int]] = []
    for start in range(0, n, CHUNK):
        stop = min(start + CHUNK, n)
        rows = np.arange(start, stop)[:, None]
        same_admin = p.admin[start:stop, None] == p.admin[None, :]
        gain = p.scores[start:stop] + degree[start:stop, None] + degree[None, :] + total \
            + same_admin * (same[start:stop, None] + same[None, :])
        upper = (np.arange(n)[None, :] > rows) & (p.forbidden[start:stop] == 0)
        forced = upper & (unit_of[start:stop, None] == unit_of[None, :])
        value += float(np.where(forced, gain, np.where(upper, np.maximum(gain, 0.0), 0.0)).sum())
        gain = np.where(upper & ~forced, gain, 0.0)
        width = min(ENTERING, n)
        best = np.argpartition(-gain, width - 1, axis=1)[:, :width]
        entering += [(start + k, int(b)) for k, row in enumerate(best) for b in row
                     if gain[k, b] > TOLERANCE and (start + k, int(b)) not in model.column]
    # Triangle rows touch only columns; correct those pairs' terms for the cut multipliers.
    adjust: dict[int, float] = {}
    for row, entries in model.triangles:
        for col, coef in entries:
            adjust[col] = adjust.get(col, 0.0) + coef * mu[row]
    for col, extra in adjust.items():
        a, b = model.pairs[col - model.slack_columns]
        base = p.scores[a, b] + degree[a] + degree[b] + total \
            + (p.admin[a] == p.admin[b]) * (same[a] + same[b])
        forced_pair = unit_of[a] == unit_of[b]
        value += extra if forced_pair else max(base + extra, 0.0) - max(base, 0.0)
    return value, entering


def _add_cuts(*, model: _Model, x: np.ndarray) -> int:
    """Adds the most violated cuts and returns how many. Star cuts Σ_t x_vt − Σ_{t<u} x_tu ≤ 1 for |T| = 2
    (triangles) and 3 hold because if v's group holds m of T the left side is m − m(m−1)/2 ≤ 1; with a cap of
    two per administration, three people of one administration have x_ab + x_ac + x_bc ≤ 1."""
    p, n = model.problem, model.problem.n
    around: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for col in np.flatnonzero(x[model.slack_columns:] > TOLERANCE) + model.slack_columns:
        a, b = model.pairs[col - model.slack_columns]
        around[a].append((b, int(col)))
        around[b].append((a, int(col)))

    def between(a: int, b: int) -> float:
        col = model.column.get((min(a, b), max(a, b)))
        return float(x[col]) if col is not None else 0.0

    found: list[tuple[float, list[int], list[tuple[tuple[int, int], float]]]] = []
    for v, near in enumerate(around):
        for size in STAR_SIZES:
            for star in combinations(near, size):
                inner = [(min(a, b), max(a, b)) for (a, _), (b, _) in combinations(star, 2)]
                violation = sum(x[col] for _, col in star) - sum(between(a, b) for a, b in inner) - 1.0
                if violation > 1e-4:
                    found.append((violation, [col for _, col in star], [(key, -1.0) for key in inner]))
        if p.rules.max_per_administration == 2:
            # Of three people from one administration at most two share a group, so at most one pair.
            same = [(a, col) for a, col in near if p.admin[a] == p.admin[v]]
            for (a, col_a), (b, col_b) in combinations(same, 2):
                key = (min(a, b), max(a, b))
                violation = x[col_a] + x[col_b] + between(a, b) - 1.0
                if violation > 1e-4:
                    found.append((violation, [col_a, col_b], [(key, 1.0)]))
    found = sorted(found, key=lambda cut: -cut[0])[:min(CUTS_PER_PERSON * n, MAX_CUTS)]
    missing = sorted({key for *_, keyed in found for key, _ in keyed
                      if key not in model.column and not p.forbidden[key]})
    if missing:
        _add_pairs(model=model, pairs=missing)
    starts: list[int] = []
    cols: list[int] = []
    coefs: list[float] = []
    for _, outer, keyed in found:
        entries = [(col, 1.0) for col in outer]
        entries += [(model.column[key], coef) for key, coef in keyed if key in model.column]
        starts.append(len(cols))
        cols += [c for c, _ in entries]
        coefs += [v for _, v in entries]
        model.triangles.append((len(model.row_low), entries))
        model.row_low.append(-np.inf)
        model.row_high.append(1.0)
    if found:
        model.highs.addRows(len(found), np.full(len(found), -np.inf), np.ones(len(found)),
                            len(cols), np.array(starts, dtype=np.int32), np.array(cols, dtype=np.int32),
                            np.array(coefs))
    return len(found)


def triangle_lp_bound(*, problem: Problem, pairs: list[tuple[int, int]], time_limit_s: float,
                      stop: threading.Event | None = None) -> float | None:
    """Returns the best weak-duality bound from column generation and star cuts (None without HiGHS)."""
    try:
        import highspy
    except ImportError:
        return None
    deadline = time.monotonic() + time_limit_s
    model = _new_model(highspy=highspy, problem=problem, pairs=pairs)

    def interrupt(event: Any) -> None:
        # HiGHS calls this during its iterations, so the stop flag and deadline also end a long solve.
        if time.monotonic() >= deadline or (stop is not None and stop.is_set()):
            event.interrupt()

    model.highs.cbSimplexInterrupt += interrupt
    model.highs.cbIpmInterrupt += interrupt
    best: float | None = None
    while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
        # HiGHS measures its time limit against the model's total run time, hence the offset.
        model.highs.setOptionValue("time_limit", model.highs.getRunTime() + deadline - time.monotonic())
        model.highs.run()
        if model.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return best
        solution = model.highs.getSolution()
        if not solution.dual_valid:
            return best
        value, entering = _lagrangian(model=model, duals=np.array(solution.row_dual))
        best = value if best is None else min(best, value)
        # Price out missing pairs first (cheap warm re-solves); cut once few pairs are still entering.
        few = len(entering) <= problem.n // 100
        cuts = _add_cuts(model=model, x=np.array(solution.col_value)) if few else 0
        entering = [pair for pair in entering if pair not in model.column]
        if entering:
            _add_pairs(model=model, pairs=entering)
        if not entering and not cuts:
            break
    return best
