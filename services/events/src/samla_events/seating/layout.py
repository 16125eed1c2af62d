"""The first arrangement of people in the design's cells, which the cell search then polishes.

Administrations fill the moving rows in one long row-by-row run (each manager followed by their reports), so
every administration is spread as evenly as its size allows in every round. Hosts who stay put all day take
row 0 afterwards, each at the table where their administration is thinnest over the day.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from samla_events.seating.design import Design
from samla_events.seating.problem import Problem
from samla_events.seating.state import ADMIN, HARD, LEVEL

EXACT_ASSIGNMENT_LIMIT = 1500  # beyond this many hosts a greedy placement is fast and nearly as good


def initial_cells(*, pb: Problem, design: Design, pin_hosts: bool) -> np.ndarray:
    """Returns a cell per person: pinned hosts and accessible needs, the administrations, then hosts."""
    p, rows = design.p, design.rows
    cell_of = np.full(pb.n, -1, dtype=np.int64)
    free = ~design.empty.copy()
    pinned = pb.pinned_table >= 0
    cell_of[pinned] = design.column_of[pb.pinned_table[pinned]]  # row 0, the column of their table
    free[cell_of[cell_of >= 0]] = False
    floating = pb.host & (pb.pinned_table < 0)
    if not pin_hosts and rows > 1:
        # Hosts who move all share one row, which reaches every table exactly once per round.
        row1 = [p + c for c in range(p) if free[p + c]]
        hosts = np.flatnonzero(floating)[: len(row1)]
        cell_of[hosts] = row1[: len(hosts)]
        free[cell_of[hosts]] = False
        floating[:] = False
    rounds = design.cell_table.shape[0]
    # Row 0 first: people there never meet each other, and those needing access often manage one another.
    access = design.accessible_columns
    safe = [r * p + c for r in range(rows) for c in range(max(0, access - (rounds - 1) * r))]
    # Row-0 seats held back for the hosts, accessible ones for hosts who need them.
    keep_access = int((floating & pb.needs_accessible).sum())
    keep = int(floating.sum())
    for i in np.flatnonzero(pb.needs_accessible & (cell_of < 0) & ~floating):
        spare = [k for k in safe if free[k]]
        row0_access = sum(1 for k in spare if k < p)
        row0_free = int(free[:p].sum())
        pick = next((k for k in spare if k >= p or (row0_access > keep_access and row0_free > keep)), -1)
        if pick >= 0:
            cell_of[i] = pick
            free[pick] = False
    row0 = np.flatnonzero(free[:p])
    held = row0[: int(floating.sum())]  # hosts choose among these afterwards
    fill = np.concatenate([np.flatnonzero(free[p:]) + p, row0[len(held):]])
    rest = _admin_order(pb, [i for i in range(pb.n) if cell_of[i] < 0 and not floating[i]])
    cell_of[rest] = fill[: len(rest)]
    _place_hosts(pb=pb, design=design, cell_of=cell_of, hosts=np.flatnonzero(floating), cells=held)
    left = np.flatnonzero(cell_of < 0)  # only when row 0 is too short; the repairs deal with the result
    if len(left):
        taken = np.zeros(rows * p, dtype=bool)
        taken[cell_of[cell_of >= 0]] = True
        cell_of[left] = np.flatnonzero(~taken & ~design.empty)[: len(left)]
    return cell_of


def _place_hosts(*, pb: Problem, design: Design, cell_of: np.ndarray, hosts: np.ndarray,
                 cells: np.ndarray) -> None:
    """Seats static hosts in row 0 where their administration and level are thinnest over all rounds."""
    if len(hosts) == 0:
        return
    placed = cell_of >= 0
    seat = design.cell_table[:, cell_of[placed]]  # (rounds, placed people)
    tables = design.tables[cells]  # row 0 never moves: cell c sits at its column's table every round
    t_count = len(pb.seats)
    admins, levels = int(pb.admin.max()) + 1, int(pb.level.max()) + 1
    adm = np.zeros((t_count, admins), dtype=np.int64)
    lev = np.zeros((t_count, levels), dtype=np.int64)
    for r in range(seat.shape[0]):
        np.add.at(adm, (seat[r], pb.admin[placed]), 1)
        np.add.at(lev, (seat[r], pb.level[placed]), 1)
    cost = ADMIN * adm[tables][:, pb.admin[hosts]].T + LEVEL * lev[tables][:, pb.level[hosts]].T
    cost = cost.astype(np.float64)
    no_access = pb.accessible_capacity[tables] == 0
    cost[np.ix_(pb.needs_accessible[hosts], no_access)] += HARD
    where = np.full(pb.n, -1, dtype=np.int64)
    where[placed] = np.arange(int(placed.sum()))
    for k, h in enumerate(hosts):
        partners = pb.conflicts_of(int(h))
        partners = partners[where[partners] >= 0]
        if len(partners):
            met = np.isin(tables, seat[:, where[partners]].ravel())
            cost[k, met] += HARD
    if len(hosts) <= EXACT_ASSIGNMENT_LIMIT:
        rows, cols = linear_sum_assignment(cost)
        cell_of[hosts[rows]] = cells[cols]
        return
    taken = np.zeros(len(cells), dtype=bool)
    for k in np.argsort(-cost.min(axis=1), kind="stable"):  # hardest to place first
        c = int(np.argmin(np.where(taken, np.inf, cost[k])))
        cell_of[hosts[k]] = cells[c]
        taken[c] = True


def _admin_order(pb: Problem, people: list[int]) -> list[int]:
    """Largest administration first; inside one, each manager followed by their reports (they share a row)."""
    by_admin: dict[int, list[int]] = {}
    for i in people:
        by_admin.setdefault(int(pb.admin[i]), []).append(i)
    out: list[int] = []
    for _, members in sorted(by_admin.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out.extend(_tree_order(pb, members))
    return out


def _tree_order(pb: Problem, members: list[int]) -> list[int]:
    inside = set(members)
    children: dict[int, list[int]] = {}
    roots: list[int] = []
    for i in members:
        boss = int(pb.manager[i])
        (children.setdefault(boss, []) if boss >= 0 and boss in inside else roots).append(i)
    out: list[int] = []
    seen: set[int] = set()
    stack = list(reversed(roots))
    while stack:
        i = stack.pop()
        if i in seen:
            continue
        seen.add(i)
        out.append(i)
        stack.extend(reversed(children.get(i, [])))
    out.extend(i for i in members if i not in seen)  # reporting cycles
    return out
