"""No published breakdown lets anyone single out fewer than k people (DESIGN §7)."""

from __future__ import annotations

from collections.abc import Mapping

from hypothesis import given, settings
from hypothesis import strategies as st

from samla_feedback.anonymity.suppression import CellKey, protect

Person = tuple[str, str, str]  # (table, administration, level); each person their own atom


def cells_of(people: list[Person]) -> dict[CellKey, set[int]]:
    """Every group results can be broken down by, as sets of people."""
    cells: dict[CellKey, set[int]] = {("total", ""): set(range(len(people)))}
    for i, person in enumerate(people):
        for dim, value in zip(("table", "administration", "level"), person, strict=True):
            cells.setdefault((dim, value), set()).add(i)
    return cells


def publish(cells: Mapping[CellKey, set[int]], k: int) -> set[CellKey]:
    return protect(cells, {i: 1 for members in cells.values() for i in members}, k)


def leaks(cells: Mapping[CellKey, set[int]], published: set[CellKey], k: int) -> list[str]:
    """Every way the published cells single out between 1 and k-1 people (what the rules promise to prevent)."""
    found = [f"{c} has {len(cells[c])}" for c in published if len(cells[c]) < k]
    shown = sorted(published)
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            diff = len(cells[a] ^ cells[b])
            if 0 < diff < k:
                found.append(f"{a} and {b} differ by {diff}")
    for parent in shown:
        for dim in ("administration", "level", "table"):
            inside = [c for c in shown if c[0] == dim and c != parent and cells[c] <= cells[parent]]
            if inside:
                residual = len(cells[parent]) - sum(len(cells[c]) for c in inside)
                if 0 < residual < k:
                    found.append(f"{parent} minus its published {dim}s leaves {residual}")
    return found


populations = st.integers(min_value=0, max_value=70).flatmap(lambda n: st.lists(
    st.tuples(st.sampled_from([f"T{i}" for i in range(1, 9)]), st.sampled_from(["utb", "soc", "kultur", "tek"]),
              st.sampled_from(["enhetschef", "avdelningschef", "forvaltningschef"])), min_size=n, max_size=n))


@settings(max_examples=300, deadline=None)
@given(people=populations, k=st.integers(min_value=3, max_value=7))
def test_no_published_cell_or_difference_of_cells_is_smaller_than_k(people: list[Person], k: int) -> None:
    cells = cells_of(people)

    published = publish(cells, k)

    assert leaks(cells, published, k) == []


@settings(max_examples=100, deadline=None)
@given(people=populations, k=st.integers(min_value=3, max_value=7))
def test_whenever_everyone_together_is_k_or_more_the_total_is_published(people: list[Person], k: int) -> None:
    cells = cells_of(people)

    published = publish(cells, k)

    assert (("total", "") in published) == (len(people) >= k)


def test_an_administration_and_the_same_administration_minus_one_table_are_not_both_published() -> None:
    # Socialförvaltningen: 12 people, 10 of them at T1 and 2 at T2 (the rest of T2 come from elsewhere).
    people = [("T1", "soc", "enhetschef")] * 10 + [("T2", "soc", "enhetschef")] * 2 + \
             [("T2", "utb", "avdelningschef")] * 6
    cells = cells_of(people)
    assert leaks(cells, {("administration", "soc"), ("table", "T1")}, 5)  # what naive k-filtering would show

    published = publish(cells, 5)

    assert not {("administration", "soc"), ("table", "T1")} <= published
    assert leaks(cells, published, 5) == []


def test_a_small_group_is_not_revealed_as_everyone_minus_the_published_groups() -> None:
    people = [("T1", "utb", "x")] * 8 + [("T2", "soc", "x")] * 8 + [("T3", "kultur", "x")] * 2
    cells = cells_of(people)

    published = publish(cells, 5)

    assert ("administration", "kultur") not in published
    assert ("total", "") in published
    # One more administration is suppressed as a complement, so "everyone minus the rest" is at least k people.
    assert len([c for c in published if c[0] == "administration"]) <= 1
    assert leaks(cells, published, 5) == []


def test_groups_of_k_or_more_with_no_overlap_problems_are_all_published() -> None:
    people = [("T1", "utb", "a")] * 6 + [("T2", "soc", "b")] * 6
    cells = cells_of(people)

    assert publish(cells, 5) == set(cells)


def test_weights_count_people_behind_an_atom() -> None:
    cells = {("total", ""): {"T1", "T2"}, ("table", "T1"): {"T1"}, ("table", "T2"): {"T2"}}

    published = protect(cells, {"T1": 8, "T2": 3}, 5)
    assert ("table", "T2") not in published
    assert not ({("total", ""), ("table", "T1")} <= published)  # total minus T1 would be T2's 3 people
