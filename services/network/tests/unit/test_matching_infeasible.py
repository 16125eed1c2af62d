"""Rules that cannot all hold raise MatchingInfeasible with a reason and the smallest relaxation, which
works."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from samla_network.matching import (
    GroupRules,
    MatchingInfeasible,
    Person,
    form_groups,
    form_groups_relaxed,
)


def skewed(*, n: int, dominant_share: float) -> list[Person]:
    """A population where one administration holds the given share and the rest is spread over four others."""
    big = round(n * dominant_share)
    return [Person(id=f"p{k}", administration="Utbildningsförvaltningen" if k < big else f"Förv {k % 4}",
                   level="enhetschef", location="Norr") for k in range(n)]


def test_80_percent_in_one_administration_with_a_cap_of_two_suggests_the_smallest_feasible_cap() -> None:
    people = skewed(n=100, dominant_share=0.8)
    rules = GroupRules(min_size=4, max_size=6, target_size=5, max_per_administration=2)

    with pytest.raises(MatchingInfeasible) as caught:
        form_groups(people=people, rules=rules, time_budget_s=0.5)

    infeasible = caught.value
    assert "Utbildningsförvaltningen har 80 av 100" in infeasible.explanation
    assert "högst 40" in infeasible.explanation  # 20 groups × 2
    assert infeasible.relaxation is not None
    assert infeasible.relaxation.rules.max_per_administration == math.ceil(80 / 20)
    assert "högst 4 personer från samma förvaltning" in infeasible.relaxation.description


def test_the_suggested_cap_works_and_one_less_does_not() -> None:
    people = skewed(n=100, dominant_share=0.8)
    rules = GroupRules(min_size=4, max_size=6, target_size=5, max_per_administration=2)
    with pytest.raises(MatchingInfeasible) as caught:
        form_groups(people=people, rules=rules, time_budget_s=0.5)
    relaxation = caught.value.relaxation
    assert relaxation is not None

    result = form_groups(people=people, rules=relaxation.rules, time_budget_s=1.0)

    assert result.violations == ()
    tighter = replace(relaxation.rules, max_per_administration=relaxation.rules.max_per_administration - 1)
    with pytest.raises(MatchingInfeasible):
        form_groups(people=people, rules=tighter, time_budget_s=0.5)


def test_relaxed_run_applies_the_suggestion_and_says_so() -> None:
    people = skewed(n=100, dominant_share=0.8)

    result, applied = form_groups_relaxed(people=people, rules=GroupRules(max_per_administration=2),
                                          time_budget_s=1.0)

    assert [r.rules.max_per_administration for r in applied] == [4]
    assert result.violations == ()
    assert result.notes == (applied[0].description,)


def test_a_population_that_cannot_be_split_into_allowed_sizes_gets_a_size_relaxation() -> None:
    people = skewed(n=7, dominant_share=0.2)

    with pytest.raises(MatchingInfeasible) as caught:
        form_groups(people=people, rules=GroupRules(min_size=4, max_size=6, max_per_administration=3))

    relaxation = caught.value.relaxation
    assert "7 personer går inte att dela i grupper om 4–6" in caught.value.explanation
    assert relaxation is not None
    assert form_groups(people=people, rules=relaxation.rules, time_budget_s=0.3).violations == ()


def test_must_together_pair_with_a_reporting_line_is_explained_and_can_be_released() -> None:
    people = skewed(n=12, dominant_share=0.25)
    people[5] = replace(people[5], manager_id="p6")
    rules = GroupRules(min_size=4, max_size=4, target_size=4, max_per_administration=3,
                       together=frozenset({("p5", "p6")}))

    with pytest.raises(MatchingInfeasible) as caught:
        form_groups(people=people, rules=rules)

    assert "p5 och p6 ska vara i samma grupp men får inte" in caught.value.explanation
    relaxation = caught.value.relaxation
    assert relaxation is not None and relaxation.rules.together == frozenset()
    assert form_groups(people=people, rules=relaxation.rules, time_budget_s=0.3).violations == ()


def test_must_together_unit_larger_than_a_group_is_explained() -> None:
    people = skewed(n=12, dominant_share=0.25)
    chain = frozenset({("p0", "p1"), ("p1", "p2"), ("p2", "p3"), ("p3", "p4")})

    with pytest.raises(MatchingInfeasible) as caught:
        form_groups(people=people, rules=GroupRules(min_size=3, max_size=4, target_size=4,
                                                    max_per_administration=4, together=chain))

    assert "är 5, fler än största gruppen (4)" in caught.value.explanation
    assert caught.value.relaxation is not None


def test_everyone_opted_out_is_infeasible_without_a_relaxation() -> None:
    people = [replace(p, opted_out=True) for p in skewed(n=10, dominant_share=0.5)]

    with pytest.raises(MatchingInfeasible) as caught:
        form_groups(people=people)

    assert caught.value.relaxation is None
