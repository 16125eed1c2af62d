"""Which result cells may be published: the k rule with protection against differencing (DESIGN §7).

A *cell* is one group a result is broken down by ("table T12", "administration Socialförvaltningen", "everyone").
Cells are made of *atoms*: the respondents who share the same table, administration and level. An atom's weight
is the number of people in it. Cells of one dimension are disjoint; cells of different dimensions overlap.

Everyone in the hall can see which groups exist and who is in them; the results are sums over a group. An observer
who subtracts one published sum from another learns the sum over the people in the difference, so a published set
of cells is safe only if no such combination singles out fewer than k people. We check the combinations an observer
can form by hand, and suppress cells until none of them is smaller than k:

1. primary suppression: a cell with fewer than k people is not published;
2. pairs: two published cells A and B must not differ by 0 < |A Δ B| < k people (A minus B singles out the
   difference; this catches "an administration and the same administration minus one table");
3. complementary suppression: a published cell P minus all its published sub-cells of one dimension (everyone
   minus the published administrations, an administration minus its published tables) leaves a residual group
   that must be empty or at least k people; otherwise one more sub-cell is suppressed so the residual grows.

Each round suppresses one cell (the one that resolves most violations, then the smallest, then the finest
dimension), so the loop ends after at most as many rounds as there are cells. Combinations of three or more
cells across several dimensions at once are not searched; results keep breakdowns to three dimensions and show
them only after a prompt closes, which keeps the set of published cells small and stable.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

import numpy as np

CellKey = tuple[str, str]  # (dimension, value)
Atom = TypeVar("Atom", bound=Hashable)
# Coarsest first: when two suppressions would do, the finer cell goes and the coarser one stays.
DEFAULT_PRECEDENCE = ("total", "administration", "level", "table")


def protect(cells: Mapping[CellKey, Iterable[Atom]], weights: Mapping[Atom, int], k: int,
            precedence: Sequence[str] = DEFAULT_PRECEDENCE) -> set[CellKey]:
    """The cells that may be published; every other cell must be shown as suppressed."""
    keys = sorted(cells, key=lambda c: (_rank(c[0], precedence), c))
    members = {key: set(cells[key]) for key in keys}
    if not keys or not any(members.values()):
        return set()
    overlap = _overlaps(keys, members, weights)
    size = np.diag(overlap).copy()
    alive = size >= k
    dims = np.array([_rank(key[0], precedence) for key in keys])
    while True:
        victim = _pair_victim(overlap, size, dims, alive, k)
        if victim is None:
            victim = _residual_victim(overlap, size, dims, alive, k)
        if victim is None:
            return {keys[i] for i in np.flatnonzero(alive)}
        alive[victim] = False


def _overlaps(keys: list[CellKey], members: Mapping[CellKey, set[Atom]], weights: Mapping[Atom, int]) -> np.ndarray:
    """[i, j] = people in both cell i and cell j (the diagonal: the cell's size).

    Each atom lies in a handful of cells (one per dimension), so adding its weight to every pair of them is far
    cheaper than multiplying cell-by-atom matrices, and does not depend on a BLAS library being idle.
    """
    cells_of: dict[Atom, list[int]] = {}
    for i, key in enumerate(keys):
        for atom in members[key]:
            cells_of.setdefault(atom, []).append(i)
    rows: list[int] = []
    cols: list[int] = []
    amounts: list[int] = []
    for atom, indices in cells_of.items():
        for i in indices:
            rows.extend([i] * len(indices))
            cols.extend(indices)
            amounts.extend([weights[atom]] * len(indices))
    overlap = np.zeros((len(keys), len(keys)), dtype=np.int64)
    np.add.at(overlap, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), np.array(amounts))
    return overlap


def _rank(dimension: str, precedence: Sequence[str]) -> int:
    return precedence.index(dimension) if dimension in precedence else len(precedence)


def _pick(candidates: Counter[int], size: np.ndarray, dims: np.ndarray) -> int:
    return min(candidates, key=lambda i: (-candidates[i], size[i], -dims[i], i))


def _pair_victim(overlap: np.ndarray, size: np.ndarray, dims: np.ndarray, alive: np.ndarray,
                 k: int) -> int | None:
    live = np.flatnonzero(alive)
    if len(live) < 2:
        return None
    both = overlap[np.ix_(live, live)]
    diff = size[live][:, None] + size[live][None, :] - 2 * both  # |A Δ B|
    bad_i, bad_j = np.nonzero(np.triu((diff > 0) & (diff < k), 1))
    if len(bad_i) == 0:
        return None
    blamed: Counter[int] = Counter()
    for i, j in zip(live[bad_i], live[bad_j], strict=True):
        blamed[min((int(i), int(j)), key=lambda c: (size[c], -dims[c], c))] += 1
    return _pick(blamed, size, dims)


def _residual_victim(overlap: np.ndarray, size: np.ndarray, dims: np.ndarray, alive: np.ndarray,
                     k: int) -> int | None:
    live = np.flatnonzero(alive)
    if len(live) < 2:
        return None
    # inside[c, p]: live cell c lies within live cell p (all of c's people are in p), and is not p itself.
    inside = (overlap[np.ix_(live, live)] == size[live][:, None]) & ~np.eye(len(live), dtype=bool)
    blamed: Counter[int] = Counter()
    for dim in np.unique(dims[live]):
        in_dim = dims[live] == dim
        children = inside & in_dim[:, None] & ~in_dim[None, :]
        residual = size[live] - children.T.astype(np.int64) @ size[live]
        for p in np.flatnonzero(children.any(axis=0) & (residual > 0) & (residual < k)):
            kids = [int(live[c]) for c in np.flatnonzero(children[:, p])]
            blamed[min(kids, key=lambda c: (size[c], -dims[c], c))] += 1
    return _pick(blamed, size, dims) if blamed else None
