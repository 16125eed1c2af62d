"""Lower bounds a plan is measured against, and the arithmetic of the algebraic design."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np


def repeat_free_round_limit(*, people: int, table_size: int) -> int:
    """Returns the most rounds that can possibly be free of repeats: ⌊(N−1)/(s−1)⌋."""
    if table_size <= 1 or people <= 1:
        return 10**9  # nobody ever meets anybody
    # Everyone meets s−1 new people per round and there are only N−1 others.
    return max(1, (people - 1) // (table_size - 1))


def same_group_pairs_bound(*, group_sizes: Iterable[int], tables: int) -> int:
    """Returns the fewest same-group pairs one round can have with T tables: Σ r·C(q+1,2) + (T−r)·C(q,2)."""
    if tables <= 0:
        return 0
    total = 0
    for n in group_sizes:
        q, r = divmod(int(n), tables)
        total += r * math.comb(q + 1, 2) + (tables - r) * math.comb(q, 2)
    return total


def pairs_within(counts: np.ndarray) -> int:
    """Returns Σ C(c, 2) over an array of group counts."""
    c = counts.astype(np.int64)
    return int((c * (c - 1) // 2).sum())


def balanced_sizes(*, people: int, seats: np.ndarray) -> np.ndarray:
    """Returns table sizes as equal as the seats allow (water-filling); ValueError if seats are short."""
    seats = np.asarray(seats, dtype=np.int64)
    if people > int(seats.sum()):
        raise ValueError("more people than seats")
    if people == 0:
        return np.zeros_like(seats)
    lo, hi = 0, int(seats.max())
    while lo < hi:  # smallest level L with Σ min(seats, L) ≥ N
        mid = (lo + hi) // 2
        if int(np.minimum(seats, mid).sum()) >= people:
            hi = mid
        else:
            lo = mid + 1
    sizes = np.minimum(seats, lo - 1)
    extra = people - int(sizes.sum())
    room = np.flatnonzero(seats >= lo)
    sizes[room[:extra]] += 1
    return sizes


def repeated_pairs_bound(*, people: int, seats: np.ndarray, rounds: int) -> int:
    """Returns a lower bound on pairs who must share a table more than once, whatever the seating."""
    if rounds < 2 or people < 2:
        return 0
    sizes = balanced_sizes(people=people, seats=seats)
    meetings = rounds * pairs_within(sizes)  # even tables meet the fewest pairs per round
    excess = meetings - math.comb(people, 2)
    # A repeated pair absorbs at most R−1 of the meetings beyond the first.
    return max(0, -(-excess // (rounds - 1)))


def is_prime(n: int) -> bool:
    """Returns whether n is prime."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    return all(n % k for k in range(3, math.isqrt(n) + 1, 2))


def design_sizes(*, people: int, table_size: int, rounds: int) -> list[int]:
    """Returns every table count p in [N/s, N/(s−1)] whose design is repeat-free for R rounds, primes or not.

    Cells in rows i ≠ j meet in round r when r·(i−j) ≡ Δcolumn (mod p). The solutions r are one residue class
    modulo p/gcd(i−j, p), so with p/gcd(d, p) ≥ R for every row difference d < s no pair meets twice in
    rounds 0..R−1. A prime p ≥ max(R, s) always qualifies; many composite p do too (58 for 460 people at
    tables of 8 over 6 rounds), which lets the design fit more halls.
    """
    if table_size < 2 or people < 1:
        return []
    lo = max(-(-people // table_size), table_size)
    hi = people // (table_size - 1)
    return [p for p in range(lo, hi + 1)
            if all(p // math.gcd(d, p) >= rounds for d in range(1, table_size))]


def design_primes(*, people: int, table_size: int, rounds: int) -> list[int]:
    """Returns the primes p with N/s ≤ p ≤ N/(s−1) and p ≥ max(R, s): each gives a repeat-free design."""
    if table_size < 2 or people < 1:
        return []
    lo = max(-(-people // table_size), rounds, table_size)
    hi = people // (table_size - 1)
    return [p for p in range(lo, hi + 1) if is_prime(p)]
