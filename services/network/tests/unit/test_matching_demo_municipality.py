"""The demo municipality (the identity service's generator, as `make run` loads it) can be matched.

Regression: every group run of the demo ended with "4 brott kvar". The kommundirektör is above all 459 others in
the reporting line (the whole chain counts), so no group could hold them and the search only gave up at the end;
the same went for a förvaltningschef when the population was their förvaltning.
"""

from __future__ import annotations

from typing import Any

import pytest

from samla_identity.demo.generator import DemoOrgUnit, DemoPerson, generate
from samla_network.matching import (
    GroupRules,
    MatchingInfeasible,
    Problem,
    build_problem,
    check_feasible,
    run_matching,
)
from samla_network.runs import inputs as run_inputs

UNITS, PEOPLE = generate()
DIRECTOR = next(p.id for p in PEOPLE if p.level == "kommundirektor")


def _administration(unit_id: str, units: dict[str, DemoOrgUnit]) -> str:
    """As the network's org-unit read model does: the förvaltning or bolag above, else the top unit."""
    unit = units[unit_id]
    while unit.kind not in ("forvaltning", "bolag") and unit.parent_id:
        unit = units[unit.parent_id]
    return unit.name


def _inputs(population: list[DemoPerson], *, min_size: int) -> tuple[dict[str, Any], set[str]]:
    """Frozen run inputs as build_inputs makes them, and who it leaves out for the reporting line."""
    units = {u.id: u for u in UNITS}
    chosen = [{"id": p.id, "name": p.name, "administration": _administration(p.org_unit_id, units),
               "level": p.level, "location": p.location, "years_as_manager": 0.0, "challenges": [],
               "languages": list(p.languages) or ["sv"], "availability": [], "manager_id": p.manager_id}
              for p in population]
    managers = {p.id: p.manager_id for p in PEOPLE}
    stuck = run_inputs.above_too_many(chosen=chosen, managers=managers, min_group_size=min_size)
    kept = [p for p in chosen if p["id"] not in stuck]
    return {"people": kept, "managers": managers, "met": [], "same_table": [], "previous_groups": []}, stuck


def _problem(inputs: dict[str, Any], rules: GroupRules) -> Problem:
    return build_problem(people=run_inputs.to_people(inputs), rules=rules, directory=run_inputs.directory(inputs))


MILJO = [p for p in PEOPLE if _administration(p.org_unit_id, {u.id: u for u in UNITS}) == "Miljöförvaltningen"]


@pytest.mark.parametrize(("population", "rules", "left_out"), [
    (PEOPLE, GroupRules(min_size=4, max_size=8, target_size=6, max_per_administration=3), {DIRECTOR}),
    (PEOPLE, GroupRules(min_size=4, max_size=8, target_size=6, max_per_administration=4), {DIRECTOR}),
    (MILJO, GroupRules(min_size=4, max_size=6, target_size=5, max_per_administration=6),
     {p.id for p in MILJO if p.level == "forvaltningschef"}),
], ids=["everyone-cap3", "everyone-cap4", "miljoforvaltningen"])
def test_the_demo_population_is_matched_with_no_broken_rule(population: list[DemoPerson], rules: GroupRules,
                                                             left_out: set[str]) -> None:
    inputs, stuck = _inputs(population, min_size=rules.min_size)

    result = run_matching(problem=_problem(inputs, rules), time_budget_s=1.0, seed=1)

    assert stuck == left_out
    assert result.violations == ()
    assert sum(len(g.members) for g in result.groups) == len(population) - len(left_out)


def test_someone_above_everyone_is_explained_up_front_instead_of_failing_the_search() -> None:
    inputs, _ = _inputs(PEOPLE, min_size=4)
    inputs["people"] = [*inputs["people"], {**inputs["people"][0], "id": DIRECTOR, "manager_id": None}]

    with pytest.raises(MatchingInfeasible) as failure:
        check_feasible(problem=_problem(inputs, GroupRules(min_size=4, max_size=8, target_size=6,
                                                           max_per_administration=3)))

    assert DIRECTOR in failure.value.explanation and "rapporteringslinje" in failure.value.explanation
