"""Dividing the managers over organisations and avdelningar: proportional, within bounds, utbildning biggest."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samla_identity.demo.allocation import apportion, minimum_managers, plan

Split = tuple[int, list[float], list[int], list[int | None]]


def test_apportion_gives_largest_remainders_the_leftover_seats() -> None:
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert apportion(8, [0.5, 0.3, 0.2]) == [4, 2, 2]


def test_apportion_respects_minimums_and_maximums() -> None:
    assert apportion(8, [0.36, 0.28, 0.06], [0, 0, 2]) == [3, 3, 2]
    assert apportion(10, [5, 1], None, [3, None]) == [3, 7]


def test_apportion_refuses_an_impossible_split() -> None:
    with pytest.raises(ValueError):
        apportion(3, [1, 1], [2, 2])
    with pytest.raises(ValueError):
        apportion(9, [1, 1], None, [4, 4])


@st.composite
def splits(draw: st.DrawFn) -> Split:
    n = draw(st.integers(1, 8))
    weights = draw(st.lists(st.just(0.0) | st.floats(0.01, 10), min_size=n, max_size=n))
    lows = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    extras = draw(st.lists(st.none() | st.integers(0, 20), min_size=n, max_size=n))
    highs = [None if extra is None else low + extra for low, extra in zip(lows, extras, strict=True)]
    # A share with no weight stays at its minimum, unless no share has any weight.
    reachable = sum(
        (10_000 if high is None else high) if weight or not any(weights) else low
        for weight, low, high in zip(weights, lows, highs, strict=True))
    total = draw(st.integers(sum(lows), max(sum(lows), min(reachable, 500))))
    return total, weights, lows, highs


@given(splits())
def test_apportion_always_adds_up_within_the_bounds(split: Split) -> None:
    total, weights, lows, highs = split

    seats = apportion(total, weights, lows, highs)

    assert sum(seats) == total
    for seat, low, high in zip(seats, lows, highs, strict=True):
        assert low <= seat and (high is None or seat <= high)


def test_plan_accounts_for_every_manager_and_gives_utbildning_the_most_at_every_size() -> None:
    for managers in [*range(20, 300), *range(300, 5001, 47)]:
        sizes = {o.organisation.key: o.people for o in plan(managers)}
        assert 1 + sum(sizes.values()) == managers
        assert sizes.pop("utb") > max(sizes.values()), managers


def test_plan_names_every_enhet_before_numbering_any_at_the_article_s_460() -> None:
    for organisation in plan(460):
        for department in organisation.departments:
            assert department.units <= department.department.capacity, department.department.key


def test_plan_refuses_fewer_managers_than_the_heads_and_admins() -> None:
    with pytest.raises(ValueError):
        plan(minimum_managers() - 1)
