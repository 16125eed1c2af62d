"""A run's contract: budget, progress, stop flag, a certified bound, Swedish explanations, manual swaps."""

from __future__ import annotations

import random
import threading
import time
from itertools import combinations

import pytest

from samla_network.matching import (
    GroupRules,
    History,
    Person,
    build_problem,
    pair_key,
    preview_swap,
    run_matching,
)
from samla_network.matching import apply_swap as apply_manual_swap

TAGS = ("rekrytering", "digitalisering", "arbetsmiljö", "ekonomi", "trygghet", "hållbarhet", "AI")
RULES = GroupRules(min_size=4, max_size=6, target_size=5, max_per_administration=2)


def organisation(*, n: int, seed: int) -> tuple[list[Person], History]:
    """Managers in eight administrations with reporting lines and a random seating history."""
    rng = random.Random(seed)
    people = [Person(id=f"p{k}", administration=f"Förvaltning {rng.randrange(8)}",
                     level=rng.choice(("enhetschef", "enhetschef", "avdelningschef")),
                     location=rng.choice(("Norr", "Söder", "Centrum")),
                     challenges=frozenset(rng.sample(TAGS, 2)),
                     availability=frozenset(rng.sample(("mån-fm", "tis-fm", "ons-em"), 2)),
                     manager_id=f"p{rng.randrange(k)}" if k and rng.random() < 0.3 else None)
              for k in range(n)]
    met = {pair_key(f"p{a}", f"p{b}") for a, b in combinations(range(n), 2) if rng.random() < 0.05}
    return people, History(met=frozenset(met))


def test_progress_reports_growing_fractions_and_the_best_objective_so_far() -> None:
    people, history = organisation(n=80, seed=1)
    calls: list[tuple[float, float]] = []

    result = run_matching(problem=build_problem(people=people, rules=RULES, history=history),
                          time_budget_s=0.6, progress=lambda f, best: calls.append((f, best)))

    fractions = [f for f, _ in calls]
    assert len(calls) >= 3
    assert fractions == sorted(fractions)
    assert fractions[0] >= 0.0
    assert fractions[-1] == 1.0
    assert calls[-1][1] == pytest.approx(result.objective)


def test_stop_flag_returns_the_best_valid_grouping_so_far_well_before_the_budget() -> None:
    people, history = organisation(n=120, seed=2)
    stop = threading.Event()
    problem = build_problem(people=people, rules=RULES, history=history)

    started = time.monotonic()
    result = run_matching(problem=problem, time_budget_s=30.0, stop=stop,
                          progress=lambda fraction, best: stop.set())

    assert time.monotonic() - started < 5.0
    assert result.stopped
    assert sorted(m for g in result.groups for m in g.members) == sorted(p.id for p in people)


def test_result_reports_a_bound_at_least_the_objective_and_no_violations() -> None:
    people, history = organisation(n=60, seed=3)

    problem = build_problem(people=people, rules=RULES, history=history)

    result = run_matching(problem=problem, time_budget_s=0.5)

    assert result.violations == ()
    assert result.upper_bound >= result.objective
    assert 0.0 <= result.gap < 1.0
    assert result.bound_method
    assert result.objective == pytest.approx(sum(g.score for g in result.groups))


def test_explanations_are_swedish_and_match_the_group() -> None:
    people = [Person(id=f"p{k}", administration=f"Förv {k % 5}", level="enhetschef", location="Norr",
                     challenges=frozenset({"rekrytering"} if k < 5 else {"AI"}),
                     availability=frozenset({"mån-fm"})) for k in range(10)]
    rules = GroupRules(min_size=5, max_size=5, target_size=5, max_per_administration=1)

    result = run_matching(problem=build_problem(people=people, rules=rules), time_budget_s=0.3)

    texts = {g.explanation for g in result.groups}
    assert texts == {
        "blandar 5 förvaltningar; 5 delar utmaningen 'rekrytering'; ingen har träffats förut; "
        "alla på orten Norr; gemensam tid: mån-fm",
        "blandar 5 förvaltningar; 5 delar utmaningen 'AI'; ingen har träffats förut; "
        "alla på orten Norr; gemensam tid: mån-fm",
    }


def test_swap_preview_shows_the_objective_change_and_a_new_reporting_line_break() -> None:
    people, history = organisation(n=40, seed=4)
    problem = build_problem(people=people, rules=RULES, history=history)
    result = run_matching(problem=problem, time_budget_s=0.3)
    boss_of = {p.id: p.manager_id for p in people}
    report = next(p for p in people if p.manager_id is not None)
    home = next(g for g in result.groups if boss_of[report.id] in g.members)
    other = next(g for g in result.groups if report.id in g.members)
    others = [problem.index[x] for x in other.members]
    partner = next(m for m in home.members
                   if m != boss_of[report.id] and problem.forbidden[problem.index[m]][others].sum() == 0)

    preview = preview_swap(problem=problem, result=result, person_a=report.id, person_b=partner)
    applied = apply_manual_swap(problem=problem, result=result, person_a=report.id, person_b=partner)

    assert preview.objective_delta == pytest.approx(applied.objective - result.objective)
    assert preview.new_objective == pytest.approx(applied.objective)
    assert any(v.kind == "reporting_line" and report.id in v.people for v in preview.new_violations)
    assert set(preview.new_violations) <= set(applied.violations)
    moved = next(g for g in applied.groups if report.id in g.members)
    assert boss_of[report.id] in moved.members


def test_swap_within_one_group_is_refused() -> None:
    people, history = organisation(n=24, seed=5)
    problem = build_problem(people=people, rules=RULES, history=history)
    result = run_matching(problem=problem, time_budget_s=0.2)
    a, b = result.groups[0].members[:2]

    with pytest.raises(ValueError, match="same group"):
        preview_swap(problem=problem, result=result, person_a=a, person_b=b)
