"""Mentor pairs: the assignment is optimal (not greedy), never keeps a forbidden pair, and stable matching is
stable."""

from __future__ import annotations

import random
from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from samla_network.matching import (
    GroupRules,
    History,
    MatchWeights,
    Person,
    assign_mentors,
    mentor_forbidden,
    mentor_scores,
    pair_key,
    stable_mentor_matching,
)

TAGS = ("rekrytering", "digitalisering", "arbetsmiljö", "ekonomi", "trygghet")


def managers(*, prefix: str, n: int, seed: int, boss: str | None = None) -> list[Person]:
    """Random managers; mentors get more years than mentees on average."""
    rng = random.Random(seed)
    years = 10.0 if prefix == "mentor" else 2.0
    return [Person(id=f"{prefix}{k}", administration=rng.choice("ABC"),
                   level=rng.choice(("enhetschef", "avdelningschef")),
                   location=rng.choice(("Norr", "Söder")), years_as_manager=rng.uniform(0, years) + years / 2,
                   challenges=frozenset(rng.sample(TAGS, 2)), manager_id=boss) for k in range(n)]


def brute_force_best(scores: np.ndarray, forbidden: np.ndarray) -> float:
    """Best total over every full assignment without forbidden pairs (square, small)."""
    n = scores.shape[0]
    totals = [sum(scores[r, c] for r, c in enumerate(p)) for p in permutations(range(n))
              if not any(forbidden[r, c] for r, c in enumerate(p))]
    return max(totals)


@pytest.mark.parametrize("seed", range(4))
def test_assignment_reaches_the_brute_force_optimum(seed: int) -> None:
    mentors = managers(prefix="mentor", n=6, seed=seed)
    mentees = managers(prefix="mentee", n=6, seed=seed + 50)
    rules = GroupRules(apart=frozenset({("mentor0", "mentee0"), ("mentor1", "mentee2")}))

    result = assign_mentors(mentors=mentors, mentees=mentees, rules=rules)

    weights, history = MatchWeights(), History()
    scores = mentor_scores(mentors=mentors, mentees=mentees, weights=weights, history=history)
    forbidden = mentor_forbidden(mentors=mentors, mentees=mentees, rules=rules)
    assert result.objective == pytest.approx(brute_force_best(scores, forbidden))
    assert len(result.pairs) == 6 and result.blocked == ()


def test_assignment_equals_linear_sum_assignment_on_a_larger_instance() -> None:
    mentors, mentees = managers(prefix="mentor", n=60, seed=1), managers(prefix="mentee", n=45, seed=2)

    result = assign_mentors(mentors=mentors, mentees=mentees)

    scores = mentor_scores(mentors=mentors, mentees=mentees, weights=MatchWeights(), history=History())
    rows, cols = linear_sum_assignment(scores, maximize=True)
    assert result.objective == pytest.approx(scores[rows, cols].sum())
    assert len(result.unmatched_mentors) == 15 and result.unmatched_mentees == ()


def test_optimal_assignment_beats_greedy_where_greedy_is_short_sighted() -> None:
    # Greedy takes the single best pair (mentor0, mentee0) and is left with a poor pair; optimal does not.
    weights = MatchWeights(mix_administrations=0, mix_levels=0, shared_challenges=1, same_location=0,
                           common_language=0, common_availability=0, history=0, mentor_experience=0)
    mentors = [Person(id="m0", administration="A", level="x", location="x", challenges=frozenset("abc")),
               Person(id="m1", administration="A", level="x", location="x", challenges=frozenset("ad"))]
    mentees = [Person(id="e0", administration="B", level="x", location="x", challenges=frozenset("abcd")),
               Person(id="e1", administration="B", level="x", location="x", challenges=frozenset("bc"))]

    result = assign_mentors(mentors=mentors, mentees=mentees, weights=weights)

    # Greedy: m0–e0 (3) then m1–e1 (0) = 3. Optimal: m0–e1 (2) + m1–e0 (2) = 4.
    assert {(p.mentor, p.mentee) for p in result.pairs} == {("m0", "e1"), ("m1", "e0")}
    assert result.objective == pytest.approx(4.0)


def test_reporting_line_is_never_a_pair_and_is_reported_when_unavoidable() -> None:
    boss = Person(id="boss", administration="A", level="avd", location="x")
    report = Person(id="report", administration="A", level="enhetschef", location="x", manager_id="boss")

    result = assign_mentors(mentors=[boss], mentees=[report])

    assert result.pairs == ()
    assert [(p.mentor, p.mentee) for p in result.blocked] == [("boss", "report")]
    assert result.unmatched_mentees == ("report",)


def test_forbidden_pair_is_avoided_when_an_allowed_assignment_exists() -> None:
    mentors = managers(prefix="mentor", n=6, seed=3)
    mentees = managers(prefix="mentee", n=5, seed=4, boss="mentor0")

    result = assign_mentors(mentors=mentors, mentees=mentees)

    assert result.blocked == () and len(result.pairs) == 5
    assert result.unmatched_mentors == ("mentor0",)


def test_cap_of_one_per_administration_means_different_administrations() -> None:
    mentors, mentees = managers(prefix="mentor", n=8, seed=5), managers(prefix="mentee", n=8, seed=6)
    admin = {p.id: p.administration for p in [*mentors, *mentees]}

    result = assign_mentors(mentors=mentors, mentees=mentees, rules=GroupRules(max_per_administration=1))

    assert all(admin[p.mentor] != admin[p.mentee] for p in result.pairs)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(data=st.data(), mentors=st.integers(1, 6), mentees=st.integers(1, 8))
def test_stable_matching_has_no_blocking_pair(data: st.DataObject, mentors: int, mentees: int) -> None:
    mentor_ids, mentee_ids = [f"m{k}" for k in range(mentors)], [f"e{k}" for k in range(mentees)]
    mentee_prefs = {e: data.draw(st.permutations(mentor_ids)) for e in mentee_ids}
    mentor_prefs = {m: data.draw(st.permutations(mentee_ids)) for m in mentor_ids}
    capacity = {m: data.draw(st.integers(1, 2)) for m in mentor_ids}
    forbidden = frozenset({pair_key("m0", "e0")})

    result = stable_mentor_matching(mentee_preferences=mentee_prefs, mentor_preferences=mentor_prefs,
                                    capacity=capacity, forbidden=forbidden)

    match = {e: m for m, e in result.pairs}
    held = {m: [e for mm, e in result.pairs if mm == m] for m in mentor_ids}
    assert pair_key("m0", "e0") not in {pair_key(m, e) for m, e in result.pairs}
    assert all(len(held[m]) <= capacity[m] for m in mentor_ids)
    for e in mentee_ids:
        for m in mentee_prefs[e]:
            if m == match.get(e):
                break
            if pair_key(m, e) in forbidden:
                continue
            full = len(held[m]) >= capacity[m]
            worst = max(held[m], key=mentor_prefs[m].index) if held[m] else None
            mentor_prefers = not full or (worst is not None and
                                          mentor_prefs[m].index(e) < mentor_prefs[m].index(worst))
            assert not mentor_prefers, f"{e} and {m} would both rather be together"
