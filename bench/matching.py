"""Peer-network matching benchmark: quality against a certified upper bound and against random grouping,
constraint violations, and optimal mentor assignment speed.

Populations come from `bench.population` (skewed administrations, reporting lines, 20 challenge tags) with
matching extras from `bench.matching_population` (seating history of a 6-round day at tables of 8).
Run: `python -m bench.matching [--quick]`.

The reference bound for each population is computed once, with more time than a run gets (it certifies
quality; it is not part of the run). Each run also certifies its own gap with the bound it computes inside its
budget; both are reported.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, vstack

from bench.harness import Report
from bench.matching_population import default_rules, matching_population
from samla_network.matching import (
    History,
    MatchWeights,
    Problem,
    assign_mentors,
    build_problem,
    check_groups,
    mentor_forbidden,
    mentor_scores,
    objective,
    run_matching,
    upper_bound,
)


@dataclass(frozen=True)
class Budgets:
    """Seconds for each measured run and for the reference bounds."""

    small_short: float
    small_long: float
    large: float
    small_bound: float
    large_bound: float


FULL = Budgets(small_short=5.0, small_long=30.0, large=60.0, small_bound=120.0, large_bound=240.0)
QUICK = Budgets(small_short=2.0, small_long=5.0, large=10.0, small_bound=10.0, large_bound=15.0)


def random_groupings(*, problem: Problem, samples: int, seed: int) -> tuple[float, int]:
    """Returns the mean objective and mean violations of random groupings with the run's group sizes."""
    rng = np.random.default_rng(seed)
    cuts = np.cumsum(problem.sizes)[:-1]
    values, broken = [], []
    for _ in range(samples):
        groups = [list(g) for g in np.split(rng.permutation(problem.n), cuts)]
        values.append(objective(problem=problem, groups=groups))
        broken.append(len(check_groups(problem=problem, groups=groups)))
    return float(np.mean(values)), round(float(np.mean(broken)))


def measure_groups(*, report: Report, size: int, budgets: list[tuple[float, float]], bound_s: float) -> None:
    """Adds quality figures for one population: each (budget, target ratio) run against the bound."""
    population = matching_population(size=size, seed=1)
    problem = build_problem(people=population.people, rules=default_rules(apart=population.apart),
                            history=population.history)
    started = time.monotonic()
    bound, method = upper_bound(problem=problem, time_limit_s=bound_s)
    report.note(f"N={size}: {problem.n} matched ({size - problem.n} opted out), {len(problem.sizes)} groups; "
                f"reference bound {bound:.1f} by {method} in {time.monotonic() - started:.0f} s")
    baseline, random_broken = random_groupings(problem=problem, samples=20, seed=size)
    for budget, target in budgets:
        result = run_matching(problem=problem, time_budget_s=budget, seed=1)
        certified = min(bound, result.upper_bound)
        report.add(f"N={size} objective after {budget:g} s (ref: bound)", result.objective, "points",
                   reference=certified, target=f"objective / bound ≥ {target}",
                   meets=bool(result.objective / certified >= target))
        report.add(f"N={size} run's own certified gap ({budget:g} s)", 100 * result.gap, "%",
                   target="informational: bound computed inside the run's budget")
        report.add(f"N={size} violations ({budget:g} s)", len(result.violations), "count", target="0",
                   meets=not result.violations)
    report.add(f"N={size} objective vs random grouping", result.objective, "points", reference=baseline,
               target="≥ 1.5× random", meets=bool(result.objective >= 1.5 * baseline))
    report.add(f"N={size} gain over random / bound's gain over random", result.objective - baseline, "points",
               reference=certified - baseline, target="informational: constant-free quality")
    report.add(f"N={size} random grouping violations (mean)", random_broken, "count",
               target="informational: what the rules prevent")


def measure_mentors(*, report: Report, pairs: int) -> None:
    """Times an optimal 1:1 mentor assignment and checks it against an independent solver."""
    population = matching_population(size=2 * pairs + 200, seed=2, opt_out_share=0.0).people
    ranked = sorted(population, key=lambda p: -p.years_as_manager)
    mentors, mentees = ranked[:pairs], ranked[-pairs:]
    rules = default_rules(apart=frozenset())
    assign_mentors(mentors=mentors[:10], mentees=mentees[:10], rules=rules)  # warm imports and caches
    timings, solver = [], []
    for _ in range(5):
        result = assign_mentors(mentors=mentors, mentees=mentees, rules=rules, directory=population)
        timings.append(result.elapsed_s)
        solver.append(result.solver_s)
    scores = mentor_scores(mentors=mentors, mentees=mentees, weights=MatchWeights(), history=History())
    forbidden = mentor_forbidden(mentors=mentors, mentees=mentees, rules=rules, directory=population)
    # Independent optimum: the assignment LP over allowed pairs only, solved by HiGHS. The assignment polytope
    # is integral, so the LP optimum is the best pairing; no prohibitive costs are involved.
    rows, cols = np.nonzero(~forbidden)
    edges = np.arange(rows.size)
    constraints = vstack([coo_matrix((np.ones(rows.size), (rows, edges)), shape=(pairs, rows.size)),
                          coo_matrix((np.ones(rows.size), (cols, edges)), shape=(pairs, rows.size))]).tocsr()
    exact = linprog(-scores[rows, cols], A_eq=constraints, b_eq=np.ones(2 * pairs), bounds=(0, 1),
                    method="highs")
    independent = float(-exact.fun)
    report.add(f"mentor assignment {pairs}×{pairs}: objective vs independent optimum", result.objective,
               "points", reference=independent, target="= 1.000 (optimal)",
               meets=bool(abs(result.objective - independent) < 1e-6))
    report.add(f"mentor assignment {pairs}×{pairs}: time end to end (median of 5)", float(np.median(timings)),
               "s", target="≤ 0.1 s", meets=bool(np.median(timings) <= 0.1))
    report.add(f"mentor assignment {pairs}×{pairs}: linear_sum_assignment alone", float(np.median(solver)),
               "s",
               target="informational: the solver's share")
    report.add(f"mentor assignment {pairs}×{pairs}: forbidden pairs kept", len(result.blocked), "count",
               target="0", meets=not result.blocked)


def main() -> None:
    """Runs the benchmark and writes var/bench/matching.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short budgets for CI smoke runs")
    quick = parser.parse_args().quick
    budgets = QUICK if quick else FULL
    report = Report(name="matching")
    if quick:
        report.note("--quick: short run and bound budgets for a smoke run; the targets are for the full ones")
    report.note("load average at start (1/5/15 min): {:.1f} {:.1f} {:.1f}; timings are wall-clock".format(
        *os.getloadavg()))
    measure_groups(report=report, size=460, bound_s=budgets.small_bound,
                   budgets=[(budgets.small_short, 0.92), (budgets.small_long, 0.95)])
    measure_groups(report=report, size=5000, bound_s=budgets.large_bound, budgets=[(budgets.large, 0.90)])
    measure_mentors(report=report, pairs=1000)
    report.note("load average at end (1/5/15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    report.write()


if __name__ == "__main__":
    main()
