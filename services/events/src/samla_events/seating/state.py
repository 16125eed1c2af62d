"""A seating under construction: who sits where in every round, with per-table counts kept up to date.

Objectives compare as one integer with weights far enough apart to act lexicographically:
hard constraints, then the interest round's topics, then repeated meetings, then administrations, then levels.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samla_events.seating.problem import Problem

HARD = 10**12
INTEREST = 10**10
REPEAT = 10**8
ADMIN = 10**4
LEVEL = 1


@dataclass
class Seating:
    pb: Problem
    seat: np.ndarray  # (rounds, people) -> table number, -1 when not seated
    adm: np.ndarray  # (rounds, tables, administrations)
    lev: np.ndarray  # (rounds, tables, levels)
    hosts: np.ndarray  # (rounds, tables)
    acc: np.ndarray  # (rounds, tables) people needing an accessible seat
    size: np.ndarray  # (rounds, tables)

    @property
    def rounds(self) -> int:
        return int(self.seat.shape[0])

    def table_hard(self, rr: np.ndarray, tt: np.ndarray) -> int:
        """Returns host clashes, accessible-seat shortfalls and overfull tables at (round, table) pairs."""
        pb = self.pb
        return int(np.maximum(self.hosts[rr, tt] - 1, 0).sum()
                   + np.maximum(self.acc[rr, tt] - pb.accessible_capacity[tt], 0).sum()
                   + np.maximum(self.size[rr, tt] - pb.seats[tt], 0).sum())

    def conflicts(self, i: int, *, rounds: np.ndarray | None = None) -> int:
        """Returns how often person i shares a table with someone they must not sit with."""
        partners = self.pb.conflicts_of(i)
        if len(partners) == 0:
            return 0
        seat = self.seat if rounds is None else self.seat[rounds]
        mine = seat[:, i : i + 1]
        return int(((seat[:, partners] == mine) & (mine >= 0)).sum())

    def move(self, r: int, i: int, to: int) -> None:
        """Moves person i to table `to` in round r (-1 takes them off)."""
        pb = self.pb
        frm = int(self.seat[r, i])
        for t, step in ((frm, -1), (to, 1)):
            if t < 0:
                continue
            self.adm[r, t, pb.admin[i]] += step
            self.lev[r, t, pb.level[i]] += step
            self.hosts[r, t] += step * int(pb.host[i])
            self.acc[r, t] += step * int(pb.needs_accessible[i])
            self.size[r, t] += step
        self.seat[r, i] = to

    def swap_all_rounds(self, rr: np.ndarray, i: int, j: int) -> None:
        """Exchanges the places of i and j in the given rounds (the design's cell swap)."""
        pb = self.pb
        ti, tj = self.seat[rr, i].copy(), self.seat[rr, j].copy()
        for arr, a, b in ((self.adm, pb.admin[i], pb.admin[j]), (self.lev, pb.level[i], pb.level[j])):
            arr[rr, ti, a] -= 1
            arr[rr, ti, b] += 1
            arr[rr, tj, b] -= 1
            arr[rr, tj, a] += 1
        for arr, x, y in ((self.hosts, pb.host[i], pb.host[j]), (self.acc, pb.needs_accessible[i],
                                                                  pb.needs_accessible[j])):
            d = int(y) - int(x)
            if d:
                arr[rr, ti] += d
                arr[rr, tj] -= d
        self.seat[rr, i], self.seat[rr, j] = tj, ti


def build_seating(*, pb: Problem, seat: np.ndarray) -> Seating:
    """Returns a Seating with counts computed from a (rounds, people) table array."""
    rounds, tables = seat.shape[0], len(pb.seats)
    admins, levels = int(pb.admin.max(initial=0)) + 1, int(pb.level.max(initial=0)) + 1
    state = Seating(pb=pb, seat=seat.astype(np.int64, copy=True),
                    adm=np.zeros((rounds, tables, admins), dtype=np.int64),
                    lev=np.zeros((rounds, tables, levels), dtype=np.int64),
                    hosts=np.zeros((rounds, tables), dtype=np.int64),
                    acc=np.zeros((rounds, tables), dtype=np.int64),
                    size=np.zeros((rounds, tables), dtype=np.int64))
    for r in range(rounds):
        on = state.seat[r] >= 0
        t = state.seat[r, on]
        np.add.at(state.adm[r], (t, pb.admin[on]), 1)
        np.add.at(state.lev[r], (t, pb.level[on]), 1)
        state.hosts[r] = np.bincount(t, weights=pb.host[on], minlength=tables).astype(np.int64)
        state.acc[r] = np.bincount(t, weights=pb.needs_accessible[on], minlength=tables).astype(np.int64)
        state.size[r] = np.bincount(t, minlength=tables)
    return state


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """Returns the distinct values, sorted. Sorting is several times faster than np.unique's hashing on the
    hundreds of thousands of pair codes a big event has."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def pair_delta(counts: np.ndarray, rr: np.ndarray, t1: np.ndarray, t2: np.ndarray, a: int,
               b: np.ndarray) -> np.ndarray:
    """Returns the change in same-group pairs, per candidate, when a member of group a at t1 trades places
    with members of groups b at t2 in rounds rr. Shapes: t1 (rounds,), t2 and result (rounds, candidates)."""
    r = rr[:, None]
    x = t1[:, None]
    d = counts[r, x, b[None, :]] + counts[r, t2, a] - counts[r, x, a] - counts[r, t2, b[None, :]] + 2
    return np.where((t2 == x) | (b[None, :] == a), 0, d)
