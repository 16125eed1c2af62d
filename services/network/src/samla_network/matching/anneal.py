"""Time-boxed swap search: descent, heat-bath annealing, then a full descent from the best grouping found.

A step picks one person i and scores swapping i with a whole set of people at once (numpy). Annealing samples
the partner j with probability ∝ exp(Δ/T) by the Gumbel-max trick (argmax of Δ + T·Gumbel noise, with "stay"
as one more option), so a whole row competes instead of one random proposal. Candidates are the members of
the groups holding i's best partners plus a few random groups; the final descent looks at everyone.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from samla_network.matching.problem import Problem
from samla_network.matching.swaps import (
    SwapState,
    apply_swap,
    batch_gains,
    nearest_partners,
    new_state,
    penalised_scores,
    row_gains,
)
from samla_network.matching.unit_moves import unit_anneal_step, unit_descent

TICK_S = 0.1
IMPROVEMENT = 1e-9
BATCH = 32
EXPLORE = 4
NEAR = 24
REPAIR_FACTOR = 3.0
REPAIR_S = 5.0
ANNEAL_SHARE = 0.97


@dataclass
class SearchOutcome:
    """The best grouping a search found (group index per person) and its penalised value."""

    group: np.ndarray
    value: float
    iterations: int
    stopped: bool


@dataclass
class _Run:
    """Bookkeeping shared by the search phases: deadline, stop flag, best-so-far and the progress tick."""

    state: SwapState
    deadline: float
    hard_deadline: float
    stop: threading.Event | None
    on_tick: Callable[[float], None] | None
    target: float
    best_group: np.ndarray
    best_value: float
    iterations: int = 0
    next_tick: float = 0.0
    stopped: bool = False

    def best_score(self) -> float:
        """Returns the best grouping's objective without its violation penalty (|score| < big / 2)."""
        return self.best_value + self.state.big * round(-self.best_value / self.state.big)

    def valid(self) -> bool:
        """Returns True when the best grouping breaks no rule (one violation costs more than any score)."""
        return self.best_value > -self.state.big / 2

    def halted(self) -> bool:
        """Returns True when the stop flag is set, the bound proves the best optimal, or time is up; time is
        up at the deadline only once a valid grouping exists, otherwise at the hard deadline."""
        now = time.monotonic()
        if now >= self.next_tick:
            self.next_tick = now + TICK_S
            if self.on_tick is not None:
                self.on_tick(self.best_score())
            if self.stop is not None and self.stop.is_set():
                self.stopped = True
        late = now >= self.hard_deadline or (now >= self.deadline and self.valid())
        return self.stopped or self.best_value >= self.target - 1e-9 or late

    def record(self) -> None:
        """Keeps the current grouping if it beats the best one."""
        if self.state.value > self.best_value + IMPROVEMENT:
            self.best_group = self.state.group.copy()
            self.best_value = self.state.value


def _descend(*, run: _Run, rng: np.random.Generator, movable: np.ndarray) -> None:
    """Applies each person's best improving swap (over everyone) until a full pass improves nothing."""
    improved = True
    while improved and not run.halted():
        improved = False
        for i in rng.permutation(movable):
            if run.halted():
                break
            run.iterations += 1
            gain = row_gains(state=run.state, i=int(i))
            j = int(np.argmax(gain))
            if gain[j] > IMPROVEMENT:
                apply_swap(state=run.state, i=int(i), j=j)
                improved = True
        run.record()


@dataclass
class _Sampler:
    """Draws batches of people with their candidate partners and Gumbel noise."""

    rng: np.random.Generator
    movable: np.ndarray
    near: np.ndarray
    gumbel: np.ndarray

    def batch(self, *, state: SwapState, people: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Returns candidates (members of the groups of each person's best partners and of random groups)
        and Gumbel noise for them."""
        groups = state.sums.shape[0]
        hosts = np.concatenate([state.group[self.near[people]],
                                self.rng.integers(groups, size=(people.size, EXPLORE))], axis=1)
        cand = state.slots[hosts].reshape(people.size, -1)
        width = (cand.shape[1] + 1) * people.size
        offset = int(self.rng.integers(self.gumbel.size - width))
        return cand, self.gumbel[offset:offset + width].reshape(people.size, -1)


def _step(*, run: _Run, sampler: _Sampler, people: np.ndarray, temperature: float) -> int:
    """Scores a batch at once, then applies the accepted swaps whose groups no earlier swap touched."""
    state = run.state
    cand, noise = sampler.batch(state=state, people=people)
    key = batch_gains(state=state, people=people, cand=cand) + temperature * noise[:, :-1]
    best = np.argmax(key, axis=1)
    chosen = key[np.arange(people.size), best]
    stay = np.maximum(temperature * noise[:, -1], IMPROVEMENT)
    touched: set[int] = set()
    applied = 0
    run.iterations += people.size
    for k in np.flatnonzero(chosen > stay):
        i, j = int(people[k]), int(cand[k, best[k]])
        g, h = int(state.group[i]), int(state.group[j])
        # Scores of rows whose groups changed earlier in this batch are stale; they get their turn again.
        if g in touched or h in touched:
            continue
        apply_swap(state=state, i=i, j=j)
        touched.update((g, h))
        applied += 1
    run.record()
    return applied


def _quick_descend(*, run: _Run, sampler: _Sampler) -> None:
    """Candidate-only descent: cheap passes over everyone until a pass changes nothing."""
    while not run.halted():
        order = sampler.rng.permutation(sampler.movable)
        applied = sum(_step(run=run, sampler=sampler, people=order[k:k + BATCH], temperature=0.0)
                      for k in range(0, order.size, BATCH))
        if applied == 0:
            return


def _anneal(*, run: _Run, sampler: _Sampler, units: list[list[int]], until: float,
            temperatures: tuple[float, float]) -> None:
    """Heat-bath annealing with a geometric cooling schedule that ends at `until`."""
    start, (t_hot, t_cold) = time.monotonic(), temperatures
    span = max(until - start, 1e-9)
    while not run.halted():
        now = time.monotonic()
        if now >= until:
            return
        temperature = t_hot * (t_cold / t_hot) ** ((now - start) / span)
        people = sampler.movable[sampler.rng.integers(sampler.movable.size, size=BATCH)]
        _step(run=run, sampler=sampler, people=people, temperature=temperature)
        if units:
            unit_anneal_step(state=run.state, units=units, near=sampler.near, temperature=temperature,
                             rng=sampler.rng)
            run.record()


def search(*, problem: Problem, start: np.ndarray, budget_s: float, big: float, rng: np.random.Generator,
           stop: threading.Event | None = None, on_tick: Callable[[float], None] | None = None,
           target: float = np.inf, temperatures: tuple[float, float] | None = None) -> SearchOutcome:
    """Improves a grouping within `budget_s` s and returns the best seen; stops early at `target` (a bound).
    Without a valid grouping at the deadline it keeps repairing, up to REPAIR_FACTOR × budget + REPAIR_S."""
    t0 = time.monotonic()
    penalised = penalised_scores(problem=problem, big=big)
    state = new_state(problem=problem, group=start, big=big, penalised=penalised)
    run = _Run(state=state, deadline=t0 + budget_s, hard_deadline=t0 + REPAIR_FACTOR * budget_s + REPAIR_S,
               stop=stop, on_tick=on_tick, target=target, best_group=state.group.copy(),
               best_value=state.value)
    movable = np.flatnonzero(state.movable)
    if movable.size < 2 or len(problem.sizes) < 2:
        return SearchOutcome(run.best_group, run.best_value, 0, False)
    sampler = _Sampler(rng=rng, movable=movable, near=nearest_partners(penalised=penalised, count=NEAR),
                       gumbel=rng.gumbel(size=1 << 20))
    units = [unit for unit in problem.units if len(unit) > 1]
    _quick_descend(run=run, sampler=sampler)
    if units and not run.halted():
        unit_descent(state=run.state, units=units, near=sampler.near)
        run.record()
    if temperatures is None:
        spread = float(problem.scores.std()) or 1.0
        temperatures = (1.0 * spread, 0.01 * spread)
    _anneal(run=run, sampler=sampler, units=units, until=t0 + ANNEAL_SHARE * budget_s,
            temperatures=temperatures)
    if not run.valid():
        _anneal(run=run, sampler=sampler, units=units, until=run.hard_deadline,
                temperatures=(temperatures[1], temperatures[1]))
    if not run.stopped and time.monotonic() < run.deadline:
        # Polish the best grouping with full rows (everyone, not just candidates) while time remains.
        run.state = new_state(problem=problem, group=run.best_group, big=big, penalised=penalised)
        moved = True
        while moved and not run.halted():
            _descend(run=run, rng=rng, movable=movable)
            moved = bool(units) and unit_descent(state=run.state, units=units, near=sampler.near)
            run.record()
    run.record()
    return SearchOutcome(run.best_group, run.best_value, run.iterations, run.stopped)
