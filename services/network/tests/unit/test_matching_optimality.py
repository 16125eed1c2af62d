"""Small group-matching instances against an exact CP-SAT model: same optimum, and bounds never below it."""

from __future__ import annotations

import random
from itertools import combinations, pairwise

import numpy as np
import pytest
from ortools.sat.python import cp_model

from samla_network.matching import (
    GroupRules,
    History,
    MatchWeights,
    Person,
    Problem,
    build_problem,
    degree_bound,
    lp_bound,
    pair_key,
    run_matching,
    upper_bound,
)

TAGS = ("rekrytering", "digitalisering", "arbetsmiljö", "ekonomi", "trygghet", "hållbarhet")
LEVELS = ("förvaltningschef", "avdelningschef", "enhetschef", "enhetschef")


def population(*, n: int, seed: int) -> tuple[list[Person], History]:
    """Random managers in skewed administrations with some reporting lines and a seating history."""
    rng = random.Random(seed)
    people = []
    for k in range(n):
        boss = f"p{rng.randrange(k)}" if k and rng.random() < 0.3 else None
        people.append(Person(
            id=f"p{k}", administration=rng.choices("ABCD", weights=(4, 3, 3, 2))[0], level=rng.choice(LEVELS),
            location=rng.choice(("Norr", "Söder", "Centrum")), years_as_manager=rng.uniform(0, 20),
            challenges=frozenset(rng.sample(TAGS, rng.randint(1, 3))), languages=frozenset({"sv"}),
            availability=frozenset(rng.sample(("mån", "tis", "ons", "tor"), rng.randint(1, 3))),
            manager_id=boss))
    met = {pair_key(a.id, b.id) for a, b in combinations(people, 2) if rng.random() < 0.15}
    return people, History(met=frozenset(met), same_table=frozenset(met))


def exact_optimum(problem: Problem, *, time_limit_s: float = 20.0) -> float:
    """Solves the grouping exactly with CP-SAT over the same sizes and hard rules; returns its objective."""
    scale = 2  # every default weight is a multiple of 0.5, so doubled scores are integers
    scores = np.rint(problem.scores * scale).astype(int)
    assert np.allclose(scores, problem.scores * scale)
    model = cp_model.CpModel()
    n, sizes = problem.n, problem.sizes
    x = [[model.new_bool_var(f"x{i}_{g}") for g in range(len(sizes))] for i in range(n)]
    for i in range(n):
        model.add_exactly_one(x[i])
    for g, size in enumerate(sizes):
        model.add(sum(x[i][g] for i in range(n)) == size)
        for admin in set(problem.admin.tolist()):
            members = [x[i][g] for i in range(n) if problem.admin[i] == admin]
            model.add(sum(members) <= problem.rules.max_per_administration)
    for unit in problem.units:
        for a, b in pairwise(unit):
            for g in range(len(sizes)):
                model.add(x[a][g] == x[b][g])
    terms = []
    for i, j in combinations(range(n), 2):
        for g in range(len(sizes)):
            if problem.forbidden[i, j]:
                model.add_bool_or([x[i][g].Not(), x[j][g].Not()])
                continue
            if scores[i, j] == 0:
                continue
            both = model.new_bool_var(f"y{i}_{j}_{g}")
            model.add_bool_or([x[i][g].Not(), x[j][g].Not(), both])
            model.add_implication(both, x[i][g])
            model.add_implication(both, x[j][g])
            terms.append(int(scores[i, j]) * both)
    model.add(x[0][0] == 1)  # groups are interchangeable; pin one person to cut symmetry
    model.maximize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 2
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver.objective_value / scale


CASES = [
    (10, 3, GroupRules(min_size=3, max_size=4, target_size=3, max_per_administration=2)),
    (12, 4, GroupRules(min_size=4, max_size=6, target_size=4, max_per_administration=2)),
    (12, 5, GroupRules(min_size=3, max_size=5, target_size=4, max_per_administration=2,
                       apart=frozenset({("p1", "p2"), ("p3", "p4")}))),
    (13, 6, GroupRules(min_size=4, max_size=5, target_size=4, max_per_administration=3,
                       together=frozenset({("p5", "p6")}))),
    (14, 7, GroupRules(min_size=4, max_size=5, target_size=5, max_per_administration=2)),
]


@pytest.mark.parametrize(("n", "seed", "rules"), CASES)
def test_search_finds_the_exact_optimum_on_small_instances(n: int, seed: int, rules: GroupRules) -> None:
    people, history = population(n=n, seed=seed)
    problem = build_problem(people=people, rules=rules, history=history)

    result = run_matching(problem=problem, time_budget_s=1.0, seed=seed)

    assert result.violations == ()
    assert result.objective == pytest.approx(exact_optimum(problem))


@pytest.mark.parametrize(("n", "seed", "rules"), CASES)
def test_every_bound_is_at_least_the_exact_optimum(n: int, seed: int, rules: GroupRules) -> None:
    people, history = population(n=n, seed=seed)
    problem = build_problem(people=people, rules=rules, history=history)

    optimum = exact_optimum(problem)

    assert degree_bound(problem=problem) >= optimum - 1e-6
    lp = lp_bound(problem=problem)
    assert lp is not None and lp >= optimum - 1e-6
    assert upper_bound(problem=problem)[0] >= optimum - 1e-6


def test_lp_bound_with_few_candidate_pairs_is_still_valid() -> None:
    n, seed, rules = CASES[1]
    people, history = population(n=n, seed=seed)
    problem = build_problem(people=people, rules=rules, history=history)

    # Two candidates per person force column generation and pricing over the pairs left out.
    restricted = lp_bound(problem=problem, per_person=2)

    assert restricted is not None and restricted >= exact_optimum(problem) - 1e-6


def test_keep_table_mode_rewards_pairs_from_the_same_table() -> None:
    people, history = population(n=12, seed=3)
    rules = GroupRules(min_size=4, max_size=4, target_size=4, max_per_administration=4)
    keep = MatchWeights(mix_administrations=0, mix_levels=0, shared_challenges=0, same_location=0,
                        common_language=0, common_availability=0, history=1.0, history_mode="keep_table")
    problem = build_problem(people=people, rules=rules, history=history, weights=keep)

    result = run_matching(problem=problem, time_budget_s=1.0)

    table_pairs = sum(pair_key(a, b) in history.same_table
                      for g in result.groups for a, b in combinations(g.members, 2))
    assert result.objective == pytest.approx(table_pairs)
    assert result.objective == pytest.approx(exact_optimum(problem))
