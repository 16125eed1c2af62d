"""Structured input of a process: totals and spread per area, per group, under the anonymity rules (DESIGN §7).

A *unit* is one answer to a priority or ranking prompt: a person's own answer, or a table's shared answer (which
speaks for everyone at the table). Its values are points per area (priority allocation) or Borda points
(ranking: first place gets one point per option, unranked options none). A unit that says nothing about an area
counts 0 for it, so every unit weighs in every area's spread.

Groups are the cells `anonymity.suppression.protect` decides on, built from atoms (table x administration x
level) exactly as the prompt's live results build them: the same cells and weights give the same published set,
so nothing here can be differenced against the results page. Statistics are computed only for published cells.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from samla_feedback.anonymity.suppression import CellKey, protect

Atom = tuple[str, str, str]  # (table, administration, level)
DIMENSION_INDEX = {"table": 0, "administration": 1, "level": 2}


@dataclass(frozen=True)
class Unit:
    table_id: str
    administration_id: str
    level: str
    people: int
    values: Mapping[str, float]

    @property
    def atom(self) -> Atom:
        return (self.table_id, self.administration_id, self.level)


@dataclass(frozen=True)
class Spread:
    area_id: str
    total: float
    mean: float
    min: float
    q1: float
    median: float
    q3: float
    max: float
    sd: float  # population standard deviation over the cell's units


@dataclass
class Cell:
    dimension: str  # total | administration | level | table
    value: str
    suppressed: bool
    units: int | None = None
    people: int | None = None
    areas: list[Spread] = field(default_factory=list)


def cells_of(units: Sequence[Unit], dimensions: Sequence[str]) -> dict[CellKey, list[int]]:
    """The groups a result could be broken down by, as indices into `units` (the total is always one)."""
    cells: dict[CellKey, list[int]] = {("total", ""): list(range(len(units)))}
    for dim in dimensions:
        index = DIMENSION_INDEX[dim]
        for i, unit in enumerate(units):
            value = unit.atom[index]
            if value:
                cells.setdefault((dim, value), []).append(i)
    return cells


def published_cells(units: Sequence[Unit], dimensions: Sequence[str], k: int) -> tuple[dict[CellKey, list[int]],
                                                                                       set[CellKey]]:
    """(every cell, the cells that may be published), protected over atoms weighted by people."""
    cells = cells_of(units, dimensions)
    weights: dict[Atom, int] = {}
    for unit in units:
        weights[unit.atom] = weights.get(unit.atom, 0) + unit.people
    atoms = {key: {units[i].atom for i in members} for key, members in cells.items()}
    return cells, protect(atoms, weights, k)


def aggregate(units: Sequence[Unit], area_ids: Sequence[str], dimensions: Sequence[str], k: int) -> list[Cell]:
    """Every cell, with counts and per-area spread for the published ones (coarsest dimension first)."""
    cells, published = published_cells(units, dimensions, k)
    matrix = np.array([[u.values.get(a, 0.0) for a in area_ids] for u in units], dtype=float).reshape(
        len(units), len(area_ids))
    people = np.array([u.people for u in units], dtype=np.int64)
    order = {"total": 0, "administration": 1, "level": 2, "table": 3}
    out = []
    for key in sorted(cells, key=lambda c: (order.get(c[0], 9), c[1])):
        if key not in published:
            out.append(Cell(dimension=key[0], value=key[1], suppressed=True))
            continue
        rows = np.array(cells[key], dtype=np.intp)
        out.append(Cell(dimension=key[0], value=key[1], suppressed=False, units=len(rows),
                        people=int(people[rows].sum()), areas=spread(matrix[rows], area_ids)))
    return out


def spread(values: np.ndarray, area_ids: Sequence[str]) -> list[Spread]:
    """Total, mean, min, quartiles, max and standard deviation per column (one column per area)."""
    if len(values) == 0 or not area_ids:
        return []
    q = np.percentile(values, [0, 25, 50, 75, 100], axis=0)
    totals, means, sds = values.sum(axis=0), values.mean(axis=0), values.std(axis=0)
    return [Spread(area_id=a, total=_r(totals[j]), mean=_r(means[j]), min=_r(q[0, j]), q1=_r(q[1, j]),
                   median=_r(q[2, j]), q3=_r(q[3, j]), max=_r(q[4, j]), sd=_r(sds[j]))
            for j, a in enumerate(area_ids)]


def borda(ranking: Sequence[str], options: int) -> dict[str, float]:
    """Borda points of one ranking among `options` options."""
    return {option: float(options - place) for place, option in enumerate(ranking)}


def _r(value: float) -> float:
    return round(float(value), 4)
