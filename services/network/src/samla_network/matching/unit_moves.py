"""Moves for must-together units: a unit changes group by swapping with as many people of another group.

Single swaps never move a unit (moving one member would split it), so without these moves a unit would stay
wherever construction put it. A unit move is a short sequence of ordinary swaps, undone if rejected.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np

from samla_network.matching.swaps import SwapState, apply_swap

IMPROVEMENT = 1e-9
EXHAUSTIVE_GROUPS = 60


def _exchange(*, state: SwapState, unit: list[int], others: tuple[int, ...]) -> float:
    """Swaps a unit with the given people and returns the change in value."""
    before = state.value
    for i, j in zip(unit, others, strict=True):
        apply_swap(state=state, i=i, j=j)
    return state.value - before


def _undo(*, state: SwapState, unit: list[int], others: tuple[int, ...]) -> None:
    """Reverts an exchange (swapping back restores every incremental sum exactly)."""
    for i, j in zip(unit, others, strict=True):
        apply_swap(state=state, i=i, j=j)


def _hosts(*, state: SwapState, unit: list[int], groups: np.ndarray | None) -> list[tuple[int, ...]]:
    """Returns every way to pick len(unit) movable people from each candidate group other than the unit's."""
    home = int(state.group[unit[0]])
    pool = range(state.slots.shape[0]) if groups is None else sorted(set(groups.tolist()) - {home})
    options = []
    for h in pool:
        if h == home:
            continue
        movable = [int(k) for k in state.slots[h] if k >= 0]
        options += list(combinations(movable, len(unit)))
    return options


def unit_descent(*, state: SwapState, units: list[list[int]], near: np.ndarray) -> bool:
    """Moves each unit to the best other group if that improves the value; returns True if anything moved."""
    moved = False
    exhaustive = state.slots.shape[0] <= EXHAUSTIVE_GROUPS
    for unit in units:
        best: tuple[int, ...] | None = None
        best_gain = IMPROVEMENT
        hosts = None if exhaustive else state.group[near[unit].ravel()]
        for others in _hosts(state=state, unit=unit, groups=hosts):
            gain = _exchange(state=state, unit=unit, others=others)
            _undo(state=state, unit=unit, others=others)
            if gain > best_gain:
                best, best_gain = others, gain
        if best is not None:
            _exchange(state=state, unit=unit, others=best)
            moved = True
    return moved


def unit_anneal_step(*, state: SwapState, units: list[list[int]], near: np.ndarray, temperature: float,
                     rng: np.random.Generator) -> None:
    """Tries one random unit move into a group of the unit's best partners (Metropolis acceptance)."""
    unit = units[int(rng.integers(len(units)))]
    options = _hosts(state=state, unit=unit, groups=state.group[near[unit].ravel()])
    if not options:
        return
    others = options[int(rng.integers(len(options)))]
    gain = _exchange(state=state, unit=unit, others=others)
    if gain < 0 and (temperature <= 0 or rng.random() >= math.exp(gain / temperature)):
        _undo(state=state, unit=unit, others=others)
