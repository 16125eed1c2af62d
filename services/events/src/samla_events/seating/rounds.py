"""One round at a time: greedy seating and swap search while the other rounds stay fixed.

Used when no algebraic design fits, for the interest round, and to repair what the design could not.
Who must not sit with whom (HARD) and who already met in another round (REPEAT) are one weighted neighbour
list per person, so a person's cost at every table, or the effect of many candidate swaps, is a few array
operations rather than a loop.
"""

from __future__ import annotations

import time

import numpy as np

from samla_events.seating.quality import round_pairs
from samla_events.seating.state import (
    ADMIN,
    HARD,
    INTEREST,
    LEVEL,
    REPEAT,
    Seating,
    pair_delta,
    sorted_unique,
)

CANDIDATES = 96  # swap partners tried per troubled person


class RoundWork:
    def __init__(self, *, state: Seating, r: int, rng: np.random.Generator, in_use: np.ndarray,
                 topics: np.ndarray | None = None, likes: list[set[int]] | None = None) -> None:
        self.s, self.r, self.rng, self.pb = state, r, rng, state.pb
        self.in_use = in_use  # bool per table
        self.topics = topics  # interest round: topic number per table, -1 for mixed tables
        pb = self.pb
        others = [round_pairs(state.seat[q], pb.n) for q in range(state.rounds) if q != r]
        self._met_before = sorted_unique(np.concatenate(others)) if others else np.zeros(0, dtype=np.int64)
        met = np.stack([self._met_before // max(pb.n, 1), self._met_before % max(pb.n, 1)], axis=1)
        src = np.concatenate([pb.conflict_pairs[:, 0], pb.conflict_pairs[:, 1], met[:, 0], met[:, 1]])
        dst = np.concatenate([pb.conflict_pairs[:, 1], pb.conflict_pairs[:, 0], met[:, 1], met[:, 0]])
        weight = np.concatenate([np.full(2 * len(pb.conflict_pairs), float(HARD)),
                                 np.full(2 * len(met), float(REPEAT))])
        order = np.argsort(src, kind="stable")
        self._nb, self._w = dst[order], weight[order]
        self._ptr = np.concatenate([[0], np.cumsum(np.bincount(src, minlength=pb.n))])
        self._scratch = np.zeros(pb.n)
        self._like: np.ndarray | None = None
        if likes is not None:
            topics_known = max((max(k, default=-1) for k in likes), default=-1) + 1
            self._like = np.zeros((pb.n, topics_known + 1), dtype=bool)
            for i, mine in enumerate(likes):
                self._like[i, list(mine)] = True  # the last column stays False: mixed tables suit nobody

    def _neighbours(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Returns (position in xs, neighbour, weight) for every neighbour of every person in xs."""
        starts, ends = self._ptr[xs], self._ptr[xs + 1]
        lengths = ends - starts
        owner = np.repeat(np.arange(len(xs)), lengths)
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        idx = np.repeat(starts, lengths) + offsets
        return owner, self._nb[idx], self._w[idx]

    def _unary(self, xs: np.ndarray, ts: np.ndarray) -> np.ndarray:
        """Returns the cost of people sitting at tables that do not depend on who else sits there."""
        pinned = self.pb.pinned_table[xs]
        cost = 10.0 * HARD * ((pinned >= 0) & (pinned != ts))
        if self._like is not None and self.topics is not None:
            cost += INTEREST * ~self._like[xs, self.topics[ts]]
        return cost

    def cost_vector(self, x: int) -> np.ndarray:
        """Returns what seating x at each table would add; exact for every table but x's own."""
        s, pb, r = self.s, self.pb, self.r
        tables = len(pb.seats)
        lo, hi = self._ptr[x], self._ptr[x + 1]
        at = s.seat[r, self._nb[lo:hi]]
        ok = at >= 0
        cost = np.bincount(at[ok], weights=self._w[lo:hi][ok], minlength=tables).astype(np.float64)
        cost += ADMIN * s.adm[r, :, pb.admin[x]] + LEVEL * s.lev[r, :, pb.level[x]]
        if pb.host[x]:
            cost += HARD * s.hosts[r]
        if pb.needs_accessible[x]:
            cost += HARD * (s.acc[r] + 1 > pb.accessible_capacity)
        if pb.pinned_table[x] >= 0:
            cost += 10.0 * HARD
            cost[pb.pinned_table[x]] -= 10.0 * HARD
        if self._like is not None and self.topics is not None:
            cost += INTEREST * ~self._like[x, self.topics]
        return cost

    def cost_at(self, x: int, t: int) -> float:
        """Returns what x adds at table t, not counting x itself."""
        s, pb, r = self.s, self.pb, self.r
        here = int(s.seat[r, x] == t)
        lo, hi = self._ptr[x], self._ptr[x + 1]
        cost = float(self._w[lo:hi][s.seat[r, self._nb[lo:hi]] == t].sum())
        cost += HARD * pb.host[x] * (s.hosts[r, t] - here)
        cost += HARD * pb.needs_accessible[x] * (s.acc[r, t] - here + 1 > pb.accessible_capacity[t])
        cost += float(self._unary(np.array([x]), np.array([t]))[0])
        return cost + ADMIN * (s.adm[r, t, pb.admin[x]] - here) + LEVEL * (s.lev[r, t, pb.level[x]] - here)

    def swap_deltas(self, i: int, js: np.ndarray) -> np.ndarray:
        """Returns the change in the objective if i traded seats with each of js (at other tables)."""
        s, pb, r = self.s, self.pb, self.r
        seat = s.seat[r]
        a, bs = int(seat[i]), seat[js]
        nb, w = self._nb[self._ptr[i] : self._ptr[i + 1]], self._w[self._ptr[i] : self._ptr[i + 1]]
        at = seat[nb]
        mine = np.bincount(at[at >= 0], weights=w[at >= 0], minlength=len(pb.seats)).astype(np.float64)
        np.add.at(self._scratch, nb, w)
        between = self._scratch[js].copy()  # i and j's own tie: neither sits with the other before or after
        self._scratch[nb] = 0.0
        owner, nbj, wj = self._neighbours(js)
        atj = seat[nbj]
        theirs_home = np.bincount(owner, weights=wj * (atj == bs[owner]), minlength=len(js))
        theirs_at_a = np.bincount(owner, weights=wj * (atj == a), minlength=len(js))
        delta = (mine[bs] - between) + (theirs_at_a - between) - mine[a] - theirs_home
        rr = np.array([r])
        delta += ADMIN * pair_delta(s.adm, rr, np.array([a]), bs[None, :], int(pb.admin[i]), pb.admin[js])[0]
        delta += LEVEL * pair_delta(s.lev, rr, np.array([a]), bs[None, :], int(pb.level[i]), pb.level[js])[0]
        hi, hj = int(pb.host[i]), pb.host[js].astype(np.int64)
        hosts = s.hosts[r]
        delta += HARD * (hi * (hosts[bs] - hj) + hj * (hosts[a] - hi)
                         - hi * (hosts[a] - 1) - hj * (hosts[bs] - 1))
        ni, nj = int(pb.needs_accessible[i]), pb.needs_accessible[js].astype(np.int64)
        acc, cap = s.acc[r], pb.accessible_capacity
        delta += HARD * (ni * (acc[bs] - nj + 1 > cap[bs]) + nj * (acc[a] - ni + 1 > cap[a])
                         - ni * (acc[a] > cap[a]) - nj * (acc[bs] > cap[bs]))
        delta += self._unary(np.full(len(js), i), bs) + self._unary(js, np.full(len(js), a))
        delta -= self._unary(np.full(len(js), i), np.full(len(js), a)) + self._unary(js, bs)
        return np.asarray(delta, dtype=np.float64)

    def seat_greedily(self, order: list[int], targets: np.ndarray) -> None:
        """Seats each person in turn at the table where they add least, never beyond its target size."""
        s, r = self.s, self.r
        for x in order:
            cost = self.cost_vector(x)
            cost[s.size[r] >= targets] = np.inf
            cost += self.rng.random(len(cost)) * 0.5  # ties broken at random, below every real difference
            s.move(r, x, int(np.argmin(cost)))

    def troubled(self, *, serious_only: bool = False) -> list[int]:
        """Returns people whose seat this round breaks a rule, repeats a meeting or (unless serious_only)
        crowds their administration or level."""
        s, pb, r = self.s, self.pb, self.r
        seat_r = s.seat[r]
        on = seat_r >= 0
        bad = np.zeros(pb.n, dtype=bool)
        cp = pb.conflict_pairs
        if len(cp):
            meet = (seat_r[cp[:, 0]] == seat_r[cp[:, 1]]) & on[cp[:, 0]]
            bad[cp[meet].ravel()] = True
        table = np.maximum(seat_r, 0)
        crowded = ((s.hosts[r] > 1)[table] & pb.host
                   | (s.acc[r] > pb.accessible_capacity)[table] & pb.needs_accessible)
        bad |= crowded & on
        bad |= (pb.pinned_table >= 0) & on & (seat_r != pb.pinned_table)
        if len(self._met_before):
            codes = round_pairs(seat_r, pb.n)
            spot = np.minimum(np.searchsorted(self._met_before, codes), len(self._met_before) - 1)
            again = codes[self._met_before[spot] == codes]
            bad[again // pb.n] = True
            bad[again % pb.n] = True
        if self._like is not None and self.topics is not None:
            bad |= on & ~self._like[np.arange(pb.n), self.topics[table]]
        for counts, group in () if serious_only else ((s.adm[r], pb.admin), (s.lev[r], pb.level)):
            hot = counts - counts[self.in_use].min(axis=0) >= 2
            bad |= on & hot[table, group] & self.in_use[table]
        return [int(x) for x in np.flatnonzero(bad)]

    def improve(self, *, deadline: float, todo: list[int] | None = None, passes: int = 8,
                serious_only: bool = False) -> int:
        """Swaps people, or moves them to free seats, while the objective drops; returns how many changes.
        With `todo`, only those people are worked on (a repair), otherwise everyone in trouble."""
        s, pb, r = self.s, self.pb, self.r
        seated = np.flatnonzero(s.seat[r] >= 0)
        seated = seated[pb.pinned_table[seated] < 0]
        changes = 0
        for _ in range(passes):
            before = changes
            people = self.troubled(serious_only=serious_only) if todo is None else todo
            work = [x for x in people if pb.pinned_table[x] < 0 and s.seat[r, x] >= 0]
            for k in self.rng.permutation(len(work)):
                if time.monotonic() > deadline:
                    return changes
                changes += self._best_change(work[k], seated)
            if changes == before:
                break
        return changes

    def _best_change(self, i: int, seated: np.ndarray) -> int:
        s, pb, r = self.s, self.pb, self.r
        a = int(s.seat[r, i])
        cands = self._candidates(i, seated)
        deltas = self.swap_deltas(i, cands) if len(cands) else np.zeros(0)
        # A move to a free seat unbalances table sizes, so it is taken only to repair a rule or to even sizes.
        move = self.cost_vector(i) - self.cost_at(i, a)
        open_ = self.in_use & (s.size[r] < pb.seats) & (np.arange(len(pb.seats)) != a)
        evens = s.size[r] + 1 < s.size[r, a]
        move[~open_ | ~(evens | (move < -HARD / 2))] = np.inf
        best_swap = float(deltas.min()) if len(deltas) else np.inf
        t = int(np.argmin(move))
        if min(best_swap, move[t]) >= 0:
            return 0
        if move[t] < best_swap:
            s.move(r, i, t)
        else:
            j = int(cands[int(np.argmin(deltas))])
            b = int(s.seat[r, j])
            s.move(r, i, b)
            s.move(r, j, a)
        return 1

    def _candidates(self, i: int, seated: np.ndarray) -> np.ndarray:
        s, pb, r = self.s, self.pb, self.r
        picks = [self.rng.choice(seated, size=min(CANDIDATES // 2, len(seated)), replace=False)]
        used = np.flatnonzero(self.in_use)
        low = used[np.argsort(s.adm[r, used, pb.admin[i]], kind="stable")[:4]]
        picks.append(np.flatnonzero(np.isin(s.seat[r], low)))
        if pb.needs_accessible[i]:
            picks.append(np.flatnonzero(pb.accessible_capacity[np.maximum(s.seat[r], 0)] > 0))
        cands = np.unique(np.concatenate(picks))
        at = s.seat[r, cands]
        cands = cands[(at != s.seat[r, i]) & (at >= 0) & (pb.pinned_table[cands] < 0)]
        if len(cands) > CANDIDATES:
            cands = self.rng.choice(cands, size=CANDIDATES, replace=False)
        return cands
