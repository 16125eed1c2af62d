"""The lower bounds and the design's arithmetic, checked against hand-computed values and brute force."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import numpy as np
import pytest

from samla_events.seating import (
    design_primes,
    design_sizes,
    repeat_free_round_limit,
    repeated_pairs_bound,
    same_group_pairs_bound,
)
from samla_events.seating.bounds import balanced_sizes, is_prime


def test_same_administration_bound_matches_a_hand_count():
    # 5 people of A over 2 tables: 3 + 2 -> C(3,2) + C(2,2) = 4; 3 of B: 2 + 1 -> 1.
    assert same_group_pairs_bound(group_sizes=[5, 3], tables=2) == 5
    # 10 in one administration over 4 tables: 3,3,2,2 -> 3 + 3 + 1 + 1.
    assert same_group_pairs_bound(group_sizes=[10], tables=4) == 8
    # Fewer people than tables: nobody need share.
    assert same_group_pairs_bound(group_sizes=[3, 2, 1], tables=3) == 0
    assert same_group_pairs_bound(group_sizes=[7], tables=1) == 21


def test_same_administration_bound_is_the_true_minimum_for_small_halls():
    # Every way to seat 8 people of three administrations at 2 tables of 4.
    admin = [0, 0, 0, 0, 0, 1, 1, 2]
    best = min(
        sum(math.comb(sum(1 for i in side if admin[i] == d), 2) + math.comb(
            sum(1 for i in range(8) if i not in side and admin[i] == d), 2) for d in range(3))
        for side in itertools.combinations(range(8), 4)
    )
    assert same_group_pairs_bound(group_sizes=[5, 2, 1], tables=2) == best == 4


def test_repeat_free_round_limit():
    assert repeat_free_round_limit(people=460, table_size=8) == 65  # ⌊459/7⌋
    assert repeat_free_round_limit(people=9, table_size=3) == 4  # the Kirkman schoolgirls' little sister
    assert repeat_free_round_limit(people=5000, table_size=10) == 555
    assert repeat_free_round_limit(people=3, table_size=8) == 1


def test_design_primes_lie_between_n_over_s_and_n_over_s_minus_one():
    assert design_primes(people=460, table_size=8, rounds=6) == [59, 61]
    assert design_primes(people=5000, table_size=10, rounds=4) == [503, 509, 521, 523, 541, 547]
    assert design_primes(people=20, table_size=8, rounds=3) == []  # 5 tables but p must be at least s
    assert design_primes(people=60, table_size=6, rounds=13) == []  # p = 11 is below the rounds
    assert all(is_prime(p) for p in design_primes(people=50_000, table_size=10, rounds=3))


def test_design_sizes_include_composites_whose_row_differences_repeat_slowly_enough():
    assert design_sizes(people=460, table_size=8, rounds=6) == [58, 59, 60, 61, 62, 63, 64, 65]
    assert design_sizes(people=20, table_size=4, rounds=3) == [5]  # 6 fails: rows 0 and 3 meet every 2 rounds
    assert design_sizes(people=20, table_size=4, rounds=2) == [5, 6]


@pytest.mark.parametrize(("p", "rows", "rounds"), [(6, 4, 2), (10, 5, 4), (58, 8, 6), (9, 3, 3), (12, 5, 2)])
def test_every_design_size_really_keeps_every_pair_to_one_meeting(p, rows, rounds):
    assert p in design_sizes(people=p * rows, table_size=rows, rounds=rounds)
    seen: Counter[tuple[tuple[int, int], tuple[int, int]]] = Counter()
    for r in range(rounds):
        table = {(i, c): (c + r * i) % p for i in range(rows) for c in range(p)}
        for a, b in itertools.combinations(sorted(table), 2):
            seen[(a, b)] += table[a] == table[b]
    assert max(seen.values()) == 1
    # One round more than the arithmetic allows does make some pair meet twice.
    if p not in design_sizes(people=p * rows, table_size=rows, rounds=rounds + 1):
        table2 = [{(i, c): (c + r * i) % p for i in range(rows) for c in range(p)} for r in range(rounds + 1)]
        twice = [pair for pair in itertools.combinations(sorted(table2[0]), 2)
                 if sum(t[pair[0]] == t[pair[1]] for t in table2) >= 2]
        assert twice


def test_balanced_sizes_fill_evenly_within_the_seats():
    assert balanced_sizes(people=20, seats=np.array([8, 8, 6])).tolist() == [7, 7, 6]
    assert balanced_sizes(people=21, seats=np.array([8, 8, 6])).tolist() == [8, 7, 6]
    assert balanced_sizes(people=12, seats=np.array([8, 8, 2])).tolist() == [5, 5, 2]


def test_repeated_pairs_bound_matches_a_hand_count_and_brute_force():
    # 6 people, 2 tables of 3, 3 rounds: 18 meetings among 15 pairs -> 3 extra, at most 2 per pair -> 2.
    assert repeated_pairs_bound(people=6, seats=np.array([3, 3]), rounds=3) == 2
    splits = [frozenset(c) for c in itertools.combinations(range(6), 3) if 0 in c]
    best = 99
    for plan in itertools.combinations_with_replacement(splits, 3):
        meets = {pair: 0 for pair in itertools.combinations(range(6), 2)}
        for side in plan:
            for group in (side, frozenset(range(6)) - side):
                for pair in itertools.combinations(sorted(group), 2):
                    meets[pair] += 1
        best = min(best, sum(1 for m in meets.values() if m >= 2))
    assert repeated_pairs_bound(people=6, seats=np.array([3, 3]), rounds=3) <= best
    assert best == 4  # the bound is valid, not tight here
    # Few enough rounds: no pair needs to meet twice.
    assert repeated_pairs_bound(people=460, seats=np.full(60, 8), rounds=6) == 0
