"""Incremental state of a grouping under swaps: the change of swapping i with many j is one vector expression.

The search maximises value = score − big · violations, where big exceeds any possible score difference, so
fewer violations always wins. Forbidden pairs are folded into a penalised pair matrix p = s − big · forbidden;
with sums[x, k] = Σ_{l in group x} p_kl, swapping i (group g) with j (group h) changes the pair part by
sums[h, i] − sums[g, i] + sums[g, j] − sums[h, j] − 2 p_ij, so no group is ever re-scored. The administration
cap adds −big per person above it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samla_network.matching.problem import Problem

CHUNK = 512


@dataclass
class SwapState:
    """A grouping plus per-group sums; `slots[g]` lists group g's movable members, padded with −1."""

    penalised: np.ndarray
    admin: np.ndarray
    cap: int
    big: float
    group: np.ndarray
    slots: np.ndarray
    slot_of: np.ndarray
    sums: np.ndarray
    counts: np.ndarray
    movable: np.ndarray
    value: float
    excess: int


def penalty_weight(*, problem: Problem) -> float:
    """Returns a weight larger than any difference in total score, so one violation outweighs all score."""
    pairs = sum(k * (k - 1) // 2 for k in problem.sizes)
    largest = float(np.abs(problem.scores).max()) if problem.n else 0.0
    return 2.0 * (pairs + 1) * (largest + 1.0)


def penalised_scores(*, problem: Problem, big: float) -> np.ndarray:
    """Returns s − big · forbidden, built in place to avoid a second temporary of the full matrix."""
    penalised = problem.forbidden.astype(np.float64)
    penalised *= -big
    penalised += problem.scores
    return penalised


def new_state(*, problem: Problem, group: np.ndarray, big: float, penalised: np.ndarray) -> SwapState:
    """Builds the incremental state for an assignment of every person to a group index."""
    n, count = problem.n, len(problem.sizes)
    group = np.asarray(group, dtype=np.int64).copy()
    movable = np.ones(n, dtype=bool)
    for unit in problem.units:
        # Must-together units stay where construction put them; swapping one member would split them.
        if len(unit) > 1:
            movable[unit] = False
    members = [np.flatnonzero(group == g) for g in range(count)]
    slots = np.full((count, max(len(m) for m in members)), -1, dtype=np.int64)
    slot_of = np.zeros(n, dtype=np.int64)
    sums = np.zeros((count, n))
    for g, m in enumerate(members):
        slot_of[m] = np.arange(len(m))
        slots[g, :len(m)] = np.where(movable[m], m, -1)
        sums[g] = penalised[m].sum(axis=0)
    counts = np.zeros((count, len(problem.admin_names)), dtype=np.int64)
    np.add.at(counts, (group, problem.admin), 1)
    cap = problem.rules.max_per_administration
    own_sum = sums[group, np.arange(n)].copy()
    excess = int(np.maximum(counts - cap, 0).sum())
    return SwapState(
        penalised=penalised, admin=problem.admin, cap=cap, big=big, group=group, slots=slots, slot_of=slot_of,
        sums=sums, counts=counts,
        movable=movable, value=float(own_sum.sum() / 2.0) - big * excess, excess=excess)


def nearest_partners(*, penalised: np.ndarray, count: int) -> np.ndarray:
    """Returns each person's `count` best-scoring allowed partners; their groups are where swaps pay off."""
    n = penalised.shape[0]
    width = max(min(count, n - 1), 1)
    near = np.zeros((n, width), dtype=np.int64)
    rng = np.random.default_rng(0)
    for start in range(0, n, CHUNK):
        # Jitter breaks ties at random so equal partners are spread rather than always the lowest index.
        rows = penalised[start:start + CHUNK] + 1e-6 * rng.random((min(CHUNK, n - start), n))
        rows[np.arange(rows.shape[0]), np.arange(start, start + rows.shape[0])] = -np.inf
        near[start:start + CHUNK] = np.argpartition(-rows, width - 1, axis=1)[:, :width]
    return near


def row_gains(*, state: SwapState, i: int) -> np.ndarray:
    """Returns the value change of swapping i with everyone; disallowed (same group, unmovable) get −inf."""
    g, a, cap, counts = state.group[i], state.admin[i], state.cap, state.counts
    group, admin = state.group, state.admin
    own = state.sums[group, np.arange(group.size)]
    gain = state.sums[group, i] - state.sums[g, i] + state.sums[g] - own - 2.0 * state.penalised[i]
    into = (counts[g] >= cap)[admin].astype(np.int64) + (counts[:, a] >= cap)[group]
    if state.excess:
        # Only when some group is over the cap can a swap also remove excess.
        into -= (counts[group, admin] > cap) + int(counts[g, a] > cap)
    gain -= state.big * (into * (admin != a))
    gain[~state.movable | (group == g)] = -np.inf
    return gain


def batch_gains(*, state: SwapState, people: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Returns gains[k, c] of swapping people[k] with cand[k, c]; padding (−1) and same-group get −inf."""
    i = people[:, None]
    valid = cand >= 0
    j = np.where(valid, cand, i)
    g, h, a, b = state.group[i], state.group[j], state.admin[i], state.admin[j]
    cap, counts, sums = state.cap, state.counts, state.sums
    gain = sums[h, i] - sums[g, i] + sums[g, j] - sums[h, j] - 2.0 * state.penalised[i, j]
    into = (counts[g, b] >= cap).astype(np.int64) + (counts[h, a] >= cap)
    if state.excess:
        into -= (counts[g, a] > cap).astype(np.int64) + (counts[h, b] > cap)
    gain -= state.big * (into * (a != b))
    gain[~valid | (g == h)] = -np.inf
    return gain


def _admin_change(*, state: SwapState, i: int, j: int) -> int:
    """Returns how a swap changes the number of people above the administration cap."""
    g, h, a, b = state.group[i], state.group[j], state.admin[i], state.admin[j]
    c, cap = state.counts, state.cap
    if a == b:
        return 0
    return (int(c[g, b] >= cap) - int(c[g, a] > cap)) + (int(c[h, a] >= cap) - int(c[h, b] > cap))


def apply_swap(*, state: SwapState, i: int, j: int) -> None:
    """Swaps i and j between their groups and updates every incremental sum."""
    g, h = int(state.group[i]), int(state.group[j])
    a, b = state.admin[i], state.admin[j]
    p = state.penalised
    sums = state.sums
    state.value += float(sums[h, i] - sums[g, i] + sums[g, j] - sums[h, j] - 2.0 * p[i, j])
    change = _admin_change(state=state, i=i, j=j)
    state.excess += change
    state.value -= state.big * change
    delta = p[j] - p[i]
    state.sums[g] += delta
    state.sums[h] -= delta
    state.counts[g, a] -= 1
    state.counts[g, b] += 1
    state.counts[h, b] -= 1
    state.counts[h, a] += 1
    state.group[i], state.group[j] = h, g
    slot_i, slot_j = state.slot_of[i], state.slot_of[j]
    state.slots[g, slot_i] = j if state.movable[j] else -1
    state.slots[h, slot_j] = i if state.movable[i] else -1
    state.slot_of[i], state.slot_of[j] = slot_j, slot_i
