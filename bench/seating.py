"""Seating quality and speed on realistic municipalities: `python -m bench.seating`.

Each case seats a generated population (bench/population.py) in a hall and compares the plan with the lower
bounds of the quality report and with random seating. Figures land in var/bench/seating.json.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np

from bench import checkin
from bench.harness import Report
from bench.population import Population, generate_population
from samla_events.seating import (
    Person,
    QualityReport,
    SeatingPlan,
    Table,
    absorb_changes,
    plan_seating,
    quality_report,
)


@dataclass(frozen=True)
class Case:
    name: str
    people: int
    table_size: int
    rounds: int
    tables: int  # of table_size seats
    smaller: int  # extra tables with two seats fewer
    mixing_target: float  # same-administration pairs per round, as a multiple of the bound
    seconds: float


CASES = (
    Case("460 people, tables of 8, 6 rounds", 460, 8, 6, 60, 4, 1.10, 1.0),
    Case("460 people, tight hall (no design fits)", 460, 8, 6, 57, 2, 1.10, 1.0),
    # The brief sets no time target at 5,000; the 50,000 one applies a fortiori.
    Case("5,000 people, tables of 10, 4 rounds", 5_000, 10, 4, 520, 20, 1.02, 10.0),
    Case("50,000 people, tables of 10, 3 rounds", 50_000, 10, 3, 5_100, 100, 1.02, 10.0),
)


def request(case: Case, population: Population, seed: int) -> tuple[list[Person], list[Table]]:
    """Returns the people (a tenth of them table hosts) and the hall (every eighth table accessible)."""
    rng = random.Random(seed)
    hosts = set(rng.sample(range(case.people), case.people // 10))
    people = [Person(id=m.id, administration_id=m.administration_id, level=m.level, manager_id=m.manager_id,
                     needs_accessible_seat=m.needs_accessible_seat, is_table_host=k in hosts,
                     apart_from=m.apart_from, interests=m.interests) for k, m in enumerate(population.people)]
    count = case.tables + case.smaller
    tables = [Table(id=f"bord-{k + 1}", seats=case.table_size if k < case.tables else case.table_size - 2,
                    accessible=k % 8 == 0) for k in range(count)]
    return people, tables


def random_repeats(plan: SeatingPlan, people: int, seed: int) -> int:
    """Returns the repeated pairs of random seating at the same table sizes: the baseline to beat."""
    rng = np.random.default_rng(seed)
    codes = []
    for tables in plan.rounds.values():
        sizes = np.array([len(m) for m in tables.values()])
        table_of = np.repeat(np.arange(len(sizes)), sizes)[rng.permutation(people)]
        order = np.argsort(table_of, kind="stable")
        starts = np.r_[0, np.cumsum(sizes)]
        for t in range(len(sizes)):
            members = np.sort(order[starts[t] : starts[t + 1]])
            a, b = np.triu_indices(len(members), 1)
            codes.append(members[a] * people + members[b])
    _, counts = np.unique(np.concatenate(codes), return_counts=True)
    return int((counts >= 2).sum())


def run_case(report: Report, case: Case, seed: int = 1) -> None:
    population = generate_population(size=case.people, seed=seed)
    people, tables = request(case, population, seed)
    wall, cpu = time.perf_counter(), time.process_time()
    plan = plan_seating(people=people, tables=tables, rounds=case.rounds, seed=seed)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    started = time.perf_counter()
    quality = quality_report(plan=plan, people=people, tables=tables)
    report_seconds = time.perf_counter() - started
    label = case.name
    sizes = Counter(p.administration_id for p in population.people)
    used = quality.per_round[0].tables_used
    report.note(f"{label}: strategy {plan.strategy}, {used} of {len(tables)} tables used; "
                f"{len(sizes)} administrations, largest {max(sizes.values())}; "
                f"{sum(p.is_table_host for p in people)} hosts, "
                f"{sum(p.needs_accessible_seat for p in people)} needing an accessible seat")
    _repeats(report, label, plan, quality, plan.strategy == "design", case, seed)
    _mixing(report, label, quality, case)
    report.add(f"{label}: hard-constraint violations", quality.hard_violations, "count", target="0",
               meets=quality.hard_violations == 0)
    report.add(f"{label}: contacts per person (mean)", quality.contacts_mean, "people",
               reference=quality.contacts_max_possible, target="informational: max is R·(s−1)")
    report.add(f"{label}: planning time (wall)", wall, "s", target=f"≤ {case.seconds:g} s",
               meets=wall <= case.seconds)
    report.add(f"{label}: planning time (CPU of this process)", cpu, "s", target="informational")
    report.add(f"{label}: quality report time", report_seconds, "s", target="informational")
    if case.people <= 5_000:
        _late_changes(report, label, plan, people, tables, case, seed)


def _repeats(report: Report, label: str, plan: SeatingPlan, quality: QualityReport, design: bool, case: Case,
             seed: int) -> None:
    bound = quality.repeated_pairs_bound
    target = "0 (a design exists)" if design else "≤ 1.1 × bound"
    meets = quality.repeated_pairs == 0 if design else quality.repeated_pairs <= 1.1 * bound
    report.add(f"{label}: repeated pairs", quality.repeated_pairs, "pairs", reference=bound, target=target,
               meets=meets)
    baseline = random_repeats(plan, case.people, seed)
    report.add(f"{label}: repeated pairs vs random seating", quality.repeated_pairs, "pairs",
               reference=baseline, target="far below random")


def _mixing(report: Report, label: str, quality: QualityReport, case: Case) -> None:
    worst = max(quality.per_round, key=lambda r: (r.same_administration_pairs
                                                  - case.mixing_target * r.same_administration_pairs_bound))
    target = f"≤ {case.mixing_target:g} × bound"
    value, bound = worst.same_administration_pairs, worst.same_administration_pairs_bound
    report.add(f"{label}: same-administration pairs, worst round", value, "pairs", reference=bound,
               target=target, meets=value <= case.mixing_target * bound)
    value, bound = quality.same_administration_pairs, quality.same_administration_pairs_bound
    report.add(f"{label}: same-administration pairs, all rounds", value, "pairs", reference=bound,
               target=target, meets=value <= case.mixing_target * bound)
    levels = sum(r.same_level_pairs for r in quality.per_round)
    level_bound = sum(r.same_level_pairs_bound for r in quality.per_round)
    report.add(f"{label}: same-level pairs, all rounds", levels, "pairs", reference=level_bound,
               target="informational (second goal)")


def _late_changes(report: Report, label: str, plan: SeatingPlan, people: list[Person], tables: list[Table],
                  case: Case, seed: int) -> None:
    rng = random.Random(seed)
    gone = rng.sample([p.id for p in people], max(3, case.people // 50))
    walk_ins = [Person(id=f"walk-in-{k}", administration_id=rng.choice(people).administration_id,
                       level="enhetschef", manager_id=rng.choice(people).id)
                for k in range(max(2, case.people // 100))]
    started = time.perf_counter()
    result = absorb_changes(plan=plan, people=people, tables=tables, removed=gone, added=walk_ins, seed=seed)
    seconds = time.perf_counter() - started
    changed = len(gone) + len(walk_ins)
    report.add(f"{label}: late changes, people moved per change", len(result.moves) / changed, "moves",
               target=f"≤ {case.rounds} (one per round)", meets=len(result.moves) <= case.rounds * changed)
    report.add(f"{label}: late changes, violations after", result.report.hard_violations, "count", target="0",
               meets=result.report.hard_violations == 0)
    report.add(f"{label}: late changes time ({changed} changes)", seconds, "s", target="informational")


def main(argv: list[str] | None = None) -> None:
    report = Report(name="seating")
    for case in CASES:
        run_case(report, case)
    checkin.measure(report)  # the day itself: 460 people through two doors against the real services
    report.note("same-administration bounds are Σ_d r·C(q+1,2) + (T−r)·C(q,2) for the T tables the plan "
                "uses; the repeat bound is max(0, ⌈(R·min pairs per round − C(N,2)) / (R−1)⌉)")
    report.note("planning is deadline-driven local search: on a loaded machine wall time and, for the greedy "
                "case, quality depend on the CPU the process gets (compare wall with CPU time)")
    report.write()


if __name__ == "__main__":
    main()
