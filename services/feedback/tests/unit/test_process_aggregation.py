"""Structured input of a process: totals that add up, spread that is right, and no published cell that singles
out fewer than k people, alone or by differencing across administration x level (DESIGN §7)."""

from __future__ import annotations

import statistics

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from samla_feedback.processes.aggregation import Unit, aggregate, borda, published_cells

AREAS = ["skola", "omsorg", "klimat", "kultur"]
ADMINS = ["utb", "soc", "kultur", "tek"]
LEVELS = ["enhetschef", "avdelningschef", "forvaltningschef"]


def allocation() -> st.SearchStrategy[dict[str, float]]:
    """100 points over the areas, as a priority prompt takes them."""
    return st.lists(st.integers(0, 100), min_size=len(AREAS) - 1, max_size=len(AREAS) - 1).map(
        lambda cuts: dict(zip(AREAS, np.diff([0, *sorted(cuts), 100]).astype(float).tolist(), strict=True)))


units_strategy = st.lists(st.builds(
    lambda admin, level, values: Unit(table_id="", administration_id=admin, level=level, people=1, values=values),
    st.sampled_from([*ADMINS, ""]), st.sampled_from([*LEVELS, ""]), allocation()), max_size=80)


def members(units: list[Unit], dimension: str, value: str) -> set[int]:
    if dimension == "total":
        return set(range(len(units)))
    attr = {"administration": "administration_id", "level": "level", "table": "table_id"}[dimension]
    return {i for i, u in enumerate(units) if getattr(u, attr) == value}


def leaks(groups: dict[tuple[str, str], set[int]], k: int) -> list[str]:
    """Every way the published groups single out 1..k-1 people: small cells, pairs and residuals."""
    found = [f"{g} has {len(m)}" for g, m in groups.items() if len(m) < k]
    shown = sorted(groups)
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            if 0 < len(groups[a] ^ groups[b]) < k:
                found.append(f"{a} and {b} differ by {len(groups[a] ^ groups[b])}")
    for parent in shown:
        for dim in ("administration", "level"):
            inside = [c for c in shown if c[0] == dim and c != parent and groups[c] <= groups[parent]]
            residual = len(groups[parent]) - sum(len(groups[c]) for c in inside)
            if inside and 0 < residual < k:
                found.append(f"{parent} minus its published {dim}s leaves {residual}")
    return found


@settings(max_examples=200, deadline=None)
@given(units=units_strategy, k=st.integers(3, 7))
def test_published_totals_equal_the_sum_of_the_inputs_of_the_people_in_the_cell(units: list[Unit], k: int) -> None:
    cells = aggregate(units, AREAS, ["administration", "level"], k)

    for cell in cells:
        if cell.suppressed:
            continue
        inside = members(units, cell.dimension, cell.value)
        assert cell.units == cell.people == len(inside)
        for s in cell.areas:
            assert s.total == sum(units[i].values.get(s.area_id, 0.0) for i in inside)
            assert s.min <= s.q1 <= s.median <= s.q3 <= s.max
    total = next(c for c in cells if c.dimension == "total")
    if not total.suppressed:
        assert sum(s.total for s in total.areas) == 100 * len(units)  # every point given is counted once


@settings(max_examples=300, deadline=None)
@given(units=units_strategy, k=st.integers(3, 7))
def test_no_published_cell_nor_difference_across_administration_and_level_is_below_k(units: list[Unit],
                                                                                    k: int) -> None:
    cells = aggregate(units, AREAS, ["administration", "level"], k)

    shown = {(c.dimension, c.value): members(units, c.dimension, c.value) for c in cells if not c.suppressed}

    assert leaks(shown, k) == []
    assert all(c.areas == [] and c.people is None for c in cells if c.suppressed)


@settings(max_examples=100, deadline=None)
@given(units=units_strategy, k=st.integers(3, 7))
def test_the_published_set_is_the_one_the_live_results_publish(units: list[Unit], k: int) -> None:
    # The same cells and weights as the prompt's results page: nothing here can be differenced against it.
    _, published = published_cells(units, ["administration", "level"], k)

    cells = aggregate(units, AREAS, ["administration", "level"], k)

    assert {(c.dimension, c.value) for c in cells if not c.suppressed} == published


def test_spread_is_min_quartiles_max_and_population_standard_deviation() -> None:
    points = [10.0, 20.0, 30.0, 40.0, 100.0]
    units = [Unit("", "utb", "enhetschef", 1, {"skola": p}) for p in points]

    total = aggregate(units, ["skola"], [], 3)[0].areas[0]

    assert (total.min, total.q1, total.median, total.q3, total.max) == (10, 20, 30, 40, 100)
    assert total.mean == 40 and total.total == 200
    assert abs(total.sd - statistics.pstdev(points)) < 1e-3


def test_a_table_answer_speaks_for_everyone_at_the_table() -> None:
    units = [Unit("T1", "", "", 6, {"skola": 60.0}), Unit("T2", "", "", 2, {"skola": 10.0})]

    cells = {(c.dimension, c.value): c for c in aggregate(units, ["skola"], ["table"], 5)}

    assert cells[("total", "")].people == 8 and cells[("total", "")].units == 2
    # T1 has six people but T2 has two, and the total minus T1 would show T2's answer.
    assert cells[("table", "T1")].suppressed and cells[("table", "T2")].suppressed


def test_borda_gives_first_place_one_point_per_option_and_unranked_options_none() -> None:
    assert borda(["b", "a"], 4) == {"b": 4.0, "a": 3.0}
