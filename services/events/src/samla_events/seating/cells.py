"""Local search over the design's cells: people trade whole cells, so every round keeps the design's
no-repeat property while hard constraints are repaired and administrations and levels are evened out."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from samla_events.seating.design import Design
from samla_events.seating.state import ADMIN, LEVEL, Seating, build_seating, pair_delta

COLUMNS_TRIED = 24  # low columns sampled as swap partners for one crowded spot


@dataclass
class CellSearch:
    state: Seating  # over the design rounds only
    design: Design
    cell_of: np.ndarray
    occupant: np.ndarray  # cell -> person, -1 when empty
    fixed: np.ndarray  # bool per person: hosts pinned to a table never leave their cell
    static: np.ndarray  # bool per person: must stay in row 0 (hosts who keep one table all day)
    rng: np.random.Generator
    deadline: float
    safe: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        pb = self.state.pb
        # Cells whose tables are accessible in every round: the only ones for someone who needs that.
        self.safe = (pb.accessible_capacity[self.design.cell_table] > 0).all(axis=0)

    def restart(self, order: np.ndarray) -> None:
        """Shuffles everyone who may move among their administration's cells and recounts."""
        pb = self.state.pb
        movable = ~self.fixed & ~self.static & ~pb.needs_accessible
        for d in range(int(pb.admin.max(initial=0)) + 1):
            group = order[movable[order] & (pb.admin[order] == d)]
            self.cell_of[np.sort(group)] = self.cell_of[group]
        self.occupant[:] = -1
        self.occupant[self.cell_of] = np.arange(pb.n)
        self.state = build_seating(pb=pb, seat=self.design.cell_table[:, self.cell_of])

    def local_hard(self, i: int, j: int) -> int:
        s = self.state
        rr = np.arange(s.rounds)
        tables = np.concatenate([s.seat[:, i], s.seat[:, j]])
        return s.conflicts(i) + s.conflicts(j) + s.table_hard(np.concatenate([rr, rr]), tables)

    def soft_deltas(self, i: int, cands: np.ndarray) -> np.ndarray:
        s, pb = self.state, self.state.pb
        rr = np.arange(s.rounds)
        t1, t2 = s.seat[:, i], s.seat[:, cands]
        adm = pair_delta(s.adm, rr, t1, t2, int(pb.admin[i]), pb.admin[cands]).sum(axis=0)
        lev = pair_delta(s.lev, rr, t1, t2, int(pb.level[i]), pb.level[cands]).sum(axis=0)
        return np.asarray(ADMIN * adm + LEVEL * lev)

    def swap(self, i: int, j: int) -> None:
        self.state.swap_all_rounds(np.arange(self.state.rounds), i, j)
        ci, cj = self.cell_of[i], self.cell_of[j]
        self.cell_of[i], self.cell_of[j] = cj, ci
        self.occupant[ci], self.occupant[cj] = j, i

    def try_swaps(self, i: int, cands: np.ndarray, *, repair: bool) -> bool:
        """Makes i's best swap that lowers hard violations (repair) or else the soft score."""
        cands = np.unique(cands[(cands >= 0) & (cands != i)])
        cands = cands[~self.fixed[cands]]
        # Hosts who stay put all day keep to row 0, the row that never moves.
        p = self.design.p
        if self.static[i]:
            cands = cands[self.cell_of[cands] < p]
        if self.cell_of[i] >= p:
            cands = cands[~self.static[cands]]
        need = self.state.pb.needs_accessible
        if need[i]:
            cands = cands[self.safe[self.cell_of[cands]]]
        if not self.safe[self.cell_of[i]]:
            cands = cands[~need[cands]]
        if len(cands) == 0 or self.fixed[i]:
            return False
        soft = self.soft_deltas(i, cands)
        for k in np.argsort(soft, kind="stable"):
            if not repair and soft[k] >= 0:
                return False
            j = int(cands[k])
            before = self.local_hard(i, j)
            if repair and before == 0:
                return False
            self.swap(i, j)
            after = self.local_hard(i, j)
            if after < before or (not repair and after == before):
                return True
            self.swap(i, j)
        return False

    def try_cycles(self, i: int, pool: np.ndarray) -> bool:
        """Moves i to a cell where it breaks no rule, that cell's person on to a third cell, and the third
        person into i's cell, when that lowers hard violations; a swap alone is sometimes not enough."""
        pb = self.state.pb
        pool = self.rng.permutation(np.unique(pool[(pool >= 0) & (pool != i)]))
        pool = pool[~self.fixed[pool] & ~self.static[pool] & ~pb.needs_accessible[pool]]
        if self.fixed[i] or self.static[i] or pb.needs_accessible[i] or len(pool) < 2:
            return False
        # Cheap filters first: who could sit in which cell without meeting someone they must not.
        fits_i = self._clashes(np.full(len(pool), i), self.cell_of[pool]) == 0
        fits_at_i = self._clashes(pool, np.full(len(pool), self.cell_of[i])) == 0
        for j in pool[fits_i][:6]:
            ks = pool[fits_at_i & (pool != j)]
            ks = ks[self._clashes(np.full(len(ks), j), self.cell_of[ks]) == 0][:24]
            for k in ks:
                j, k = int(j), int(k)
                before = self._hard3(i, j, k)
                self.swap(i, j)
                self.swap(j, k)
                if self._hard3(i, j, k) < before:
                    return True
                self.swap(j, k)
                self.swap(i, j)
        return False

    def _clashes(self, people: np.ndarray, cells: np.ndarray) -> np.ndarray:
        """Returns, per (person, cell) pair, how often the person would meet a conflict partner there."""
        pb, seat = self.state.pb, self.state.seat
        ptr, idx = pb.conflict_ptr, pb.conflict_idx
        lengths = ptr[people + 1] - ptr[people]
        owner = np.repeat(np.arange(len(people)), lengths)
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        partners = idx[np.repeat(ptr[people], lengths) + offsets]
        meets = (seat[:, partners] == self.design.cell_table[:, cells[owner]]).sum(axis=0)
        return np.bincount(owner, weights=meets, minlength=len(people))

    def _hard3(self, i: int, j: int, k: int) -> int:
        s = self.state
        rr = np.arange(s.rounds)
        tables = np.concatenate([s.seat[:, i], s.seat[:, j], s.seat[:, k]])
        return s.conflicts(i) + s.conflicts(j) + s.conflicts(k) + s.table_hard(np.tile(rr, 3), tables)


def search_cells(*, search: CellSearch) -> None:
    """Repairs hard constraints, then evens out administrations and levels, until nothing improves."""
    _repair(search)
    for _ in range(50):
        improved = _balance(search, by_admin=True) + _balance(search, by_admin=False)
        if improved == 0 or time.monotonic() > search.deadline:
            break
    _repair(search)


def violators(state: Seating) -> list[int]:
    """Returns people in a hard-constraint violation, the more movable one of each conflicting pair first."""
    pb, seat = state.pb, state.seat
    out: list[int] = []
    cp = pb.conflict_pairs
    if len(cp):
        meet = ((seat[:, cp[:, 0]] == seat[:, cp[:, 1]]) & (seat[:, cp[:, 0]] >= 0)).any(axis=0)
        ties = np.diff(pb.conflict_ptr) + 4 * pb.host + 4 * pb.needs_accessible + 99 * (pb.pinned_table >= 0)
        for i, j in cp[meet]:
            # Whoever has fewer other ties is tried first: they have more places to go.
            out.extend((int(i), int(j)) if ties[i] <= ties[j] else (int(j), int(i)))
    rr, tt = np.nonzero((state.acc > pb.accessible_capacity[None, :]) | (state.hosts > 1)
                        | (state.size > pb.seats[None, :]))
    for r, t in zip(rr, tt, strict=True):
        at = np.flatnonzero(seat[r] == t)
        out.extend(int(i) for i in at if pb.needs_accessible[i] or pb.host[i])
    return list(dict.fromkeys(out))


def _repair(search: CellSearch) -> None:
    s, pb = search.state, search.state.pb
    safe = np.flatnonzero(search.safe)
    by_admin = [np.flatnonzero(pb.admin == d) for d in range(int(pb.admin.max(initial=0)) + 1)]
    for _ in range(4):
        todo = violators(s)
        if not todo:
            return
        for i in todo:
            if pb.needs_accessible[i]:
                cands = search.occupant[safe]
            else:
                same = by_admin[pb.admin[i]]
                cands = np.concatenate([search.rng.choice(same, size=min(64, len(same)), replace=False),
                                        search.rng.integers(0, pb.n, size=64)])
            if not search.try_swaps(i, cands, repair=True) and s.conflicts(i) > 0:
                search.try_cycles(i, cands)


def _balance(search: CellSearch, *, by_admin: bool) -> int:
    s, design = search.state, search.design
    counts = s.adm if by_admin else s.lev
    group = s.pb.admin if by_admin else s.pb.level
    improved = 0
    hot: list[tuple[int, int, int]] = []
    for r in range(s.rounds):
        c = counts[r][design.tables]
        cols, groups = np.nonzero(c - c.min(axis=0) >= 2)
        hot.extend((r, int(u), int(g)) for u, g in zip(cols, groups, strict=True))
    for k in search.rng.permutation(len(hot)):
        if time.monotonic() > search.deadline:
            break
        r, u, g = hot[k]
        column_counts = counts[r][design.tables, g]
        if column_counts[u] - column_counts.min() < 2:
            continue  # already fixed by an earlier swap
        here = search.occupant[design.cells_at(design_round=r, column=u)]
        here = here[here >= 0]
        movers = here[(group[here] == g) & ~search.fixed[here]]
        if len(movers) == 0:
            continue
        low = np.flatnonzero(column_counts <= column_counts[u] - 2)
        picks = search.rng.choice(low, size=min(COLUMNS_TRIED, len(low)), replace=False)
        cells = np.concatenate([design.cells_at(design_round=r, column=int(v)) for v in picks])
        cands = search.occupant[cells]
        for mover in search.rng.permutation(movers):
            if search.try_swaps(int(mover), cands, repair=False):
                improved += 1
                break
    return improved

