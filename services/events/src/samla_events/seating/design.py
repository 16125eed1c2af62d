"""The algebraic design: s rows × p columns of cells; in round m the cell (row, col) sits at table
(col + m·row) mod p.

Two cells in different rows share a table in exactly one m mod p when p is prime (see `design_sizes` for the
composite p that work too), and cells in one row never do, so nobody meets anybody twice. Row 0 never moves,
which is where hosts who keep their table sit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samla_events.seating.bounds import design_sizes
from samla_events.seating.problem import Problem


@dataclass
class Design:
    p: int
    rows: int
    tables: np.ndarray  # column -> table number
    cell_table: np.ndarray  # (design rounds, rows·p) -> table number
    empty: np.ndarray  # bool per cell: no one sits there
    accessible_columns: int  # the first columns hold the accessible tables
    column_of: np.ndarray  # table number -> column, -1 for tables the design leaves empty

    def cells_at(self, *, design_round: int, column: int) -> np.ndarray:
        """Returns the cells (one per row) that sit at a column's table in a design round."""
        rows = np.arange(self.rows)
        return rows * self.p + (column - design_round * rows) % self.p


def choose_designs(*, pb: Problem, rounds: int, pin_hosts: bool, limit: int = 3) -> list[Design]:
    """Returns up to `limit` designs that fit the hall, fullest tables first; empty when none fits."""
    largest = int(pb.seats.max())
    found: list[Design] = []
    for size in range(largest, max(1, largest - 2), -1):
        for p in design_sizes(people=pb.n, table_size=size, rounds=rounds):
            design = _fit(pb=pb, rows=size, p=p, rounds=rounds, pin_hosts=pin_hosts)
            if design is not None:
                found.append(design)
                if len(found) == limit:
                    return found
    return found


def _fit(*, pb: Problem, rows: int, p: int, rounds: int, pin_hosts: bool) -> Design | None:
    if int(pb.host.sum()) > p:
        return None
    pinned_tables = set(pb.pinned_table[pb.pinned_table >= 0].tolist())
    if any(pb.seats[t] < rows for t in pinned_tables):
        return None  # a pinned host fills row 0, so the table must take a full column
    wants_access = bool(pb.needs_accessible.any())
    order = sorted(
        (t for t in range(len(pb.seats)) if pb.seats[t] >= rows - 1),
        key=lambda t: (t not in pinned_tables, not (wants_access and pb.accessible_capacity[t] > 0),
                       -int(pb.seats[t]), t),
    )
    if len(order) < p:
        return None
    chosen = order[:p]
    small = sum(int(pb.seats[t]) == rows - 1 for t in chosen)
    if small > rows * p - pb.n:
        return None
    if pin_hosts and int(pb.host.sum()) > p - small:
        return None  # hosts who stay put need row 0, where the smaller tables keep a cell empty
    position = {t: k for k, t in enumerate(chosen)}
    columns = np.array(sorted(chosen, key=lambda t: (pb.accessible_capacity[t] == 0, position[t])))
    access = int((pb.accessible_capacity[columns] > 0).sum())
    safe = sum(max(0, access - (rounds - 1) * r) for r in range(rows))
    if int(pb.needs_accessible.sum()) > safe:
        return None
    cell_table = columns[(np.arange(p)[None, None, :] + np.arange(rounds)[:, None, None]
                          * np.arange(rows)[None, :, None]) % p].reshape(rounds, rows * p)
    empty = _empty_cells(pb=pb, rows=rows, p=p, columns=columns, access=access, pin_hosts=pin_hosts)
    column_of = np.full(len(pb.seats), -1, dtype=np.int64)
    column_of[columns] = np.arange(p)
    return Design(p=p, rows=rows, tables=columns, cell_table=cell_table, empty=empty,
                  accessible_columns=access, column_of=column_of)


def _empty_cells(*, pb: Problem, rows: int, p: int, columns: np.ndarray, access: int,
                 pin_hosts: bool) -> np.ndarray:
    empty = np.zeros(rows * p, dtype=bool)
    left = rows * p - pb.n
    hosts_in_row0 = int(pb.host.sum()) if pin_hosts else int((pb.pinned_table >= 0).sum())
    keep = hosts_in_row0 + min(int(pb.needs_accessible.sum()), access)
    column_of = {int(t): c for c, t in enumerate(columns)}
    pinned_cols = {column_of[int(t)] for t in pb.pinned_table[pb.pinned_table >= 0]}
    # Empty cells in row 0 shrink a table by one in every round, which keeps all tables at s or s−1 people;
    # tables with one seat fewer must get one.
    small = [c for c in range(p) if pb.seats[columns[c]] == rows - 1]
    rest = [c for c in reversed(range(p)) if c not in pinned_cols and pb.seats[columns[c]] >= rows]
    for c in (small + rest)[: max(len(small), min(left, p - keep))]:
        empty[c] = True
    left -= int(empty.sum())
    cell = rows * p - 1
    while left > 0 and cell >= p:  # the rest from the end of the last rows, far from the accessible columns
        if not empty[cell]:
            empty[cell] = True
            left -= 1
        cell -= 1
    return empty
