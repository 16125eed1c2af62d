"""Requests that cannot be met are refused with a reason naming the problem, and nothing else ever escapes."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samla_events.seating import Person, SeatingInfeasible, SeatingPlan, Table, absorb_changes, plan_seating


def people(n: int, **overrides: Mapping[str, object]) -> list[Person]:
    base = [Person(id=f"p{i}", administration_id=f"a{i % 3}", level="ec") for i in range(n)]
    return [replace(p, **overrides.get(p.id, {})) for p in base]  # type: ignore[arg-type]


def tables(*seats: int, accessible: int = 0) -> list[Table]:
    return [Table(id=f"t{k}", seats=s, accessible=k < accessible) for k, s in enumerate(seats)]


def refusal(**request: object) -> str:
    with pytest.raises(SeatingInfeasible) as caught:
        plan_seating(**request)  # type: ignore[arg-type]
    return str(caught.value)


def test_more_people_than_seats_is_refused_with_both_numbers():
    assert "More people (10) than seats (8)" in refusal(people=people(10), tables=tables(4, 4), rounds=2)


def test_more_accessible_needs_than_accessible_seats_is_refused():
    needy = {f"p{i}": {"needs_accessible_seat": True} for i in range(3)}
    message = refusal(people=people(8, **needy), tables=tables(2, 4, 4, accessible=1), rounds=1)
    assert "3 people need an accessible seat but there are only 2" in message
    # One more accessible table and it works: everyone who needs it sits at one.
    plan = plan_seating(people=people(8, **needy), tables=tables(2, 4, 4, accessible=2), rounds=2)
    assert all(pid in [*by_table.get("t0", []), *by_table.get("t1", [])] for by_table in plan.rounds.values()
               for pid in needy)


def test_a_host_who_must_be_apart_from_everyone_is_refused():
    crowd = {"p0": {"is_table_host": True, "apart_from": tuple(f"p{i}" for i in range(1, 6))}}
    message = refusal(people=people(6, **crowd), tables=tables(3, 3), rounds=2)
    assert "p0 must be kept apart from everyone else" in message


def test_a_manager_with_more_direct_reports_than_seats_elsewhere_is_refused():
    reports = {f"p{i}": {"manager_id": "p0"} for i in range(1, 6)}
    message = refusal(people=people(7, **reports), tables=tables(4, 4), rounds=1)
    assert "p0 has 5 direct reports or people to keep apart from, but only 4 seats at other tables" in message


def test_someone_apart_from_every_host_when_every_table_has_one_is_refused():
    setup: dict[str, Mapping[str, object]] = {"p0": {"is_table_host": True}, "p1": {"is_table_host": True},
                                               "p2": {"apart_from": ("p0", "p1")}}
    message = refusal(people=people(6, **setup), tables=tables(3, 3), rounds=1)
    assert "p2 must be kept apart from every table host" in message


def test_more_hosts_than_tables_and_pins_that_cannot_hold_are_refused():
    hosts = {f"p{i}": {"is_table_host": True} for i in range(3)}
    message = refusal(people=people(6, **hosts), tables=tables(4, 4), rounds=1)
    assert "More table hosts (3) than tables (2)" in message
    hall = [Table(id="t0", seats=4, host_id="p0"), Table(id="t1", seats=4, host_id="p0"),
            Table(id="t2", seats=4, host_id="ghost")]
    message = refusal(people=people(6, p0={"needs_accessible_seat": True}), tables=hall, rounds=1)
    assert "p0 is pinned as host to two tables" in message
    assert "Host ghost of table t2 is not among the people" in message
    assert "needs an accessible seat but table" in message


def test_malformed_requests_list_every_problem_at_once():
    doubled = [*people(3), Person(id="p1", administration_id="a0"), Person(id="p9", administration_id="a0",
                                                                           manager_id="p9")]
    message = refusal(people=doubled, tables=[Table(id="t0", seats=0), Table(id="t0", seats=4)], rounds=0,
                      interest_round=3)
    for part in ("Person p1 appears twice", "p9 is their own manager", "Table t0 appears twice",
                 "Table t0 has 0 seats", "Rounds must be at least 1",
                 "Interest round 3 is not one of the rounds"):
        assert part in message


def test_constraints_no_check_catches_are_refused_by_the_search_naming_the_pair():
    # Three people who must all be apart, but only two tables: some pair has to share one.
    triangle: dict[str, Mapping[str, object]] = {"p0": {"apart_from": ("p1", "p2")},
                                                  "p1": {"apart_from": ("p2",)}}
    message = refusal(people=people(6, **triangle), tables=tables(3, 3), rounds=1)
    assert "Could not satisfy every hard constraint" in message
    assert "asked to sit apart" in message and ("p0" in message or "p1" in message)


def test_late_changes_that_name_unknown_people_are_refused():
    group = people(4)
    plan = SeatingPlan(rounds={1: {"t0": ["p0", "p1"], "t1": ["p2", "p3"]}})
    with pytest.raises(SeatingInfeasible, match="ghost is not in the plan"):
        absorb_changes(plan=plan, people=group, tables=tables(3, 3), removed=["ghost"])
    with pytest.raises(SeatingInfeasible, match="p1 is already seated"):
        absorb_changes(plan=plan, people=group, tables=tables(3, 3),
                       added=[Person(id="p1", administration_id="a")])
    with pytest.raises(SeatingInfeasible, match="More people"):
        absorb_changes(plan=plan, people=group, tables=tables(3, 3),
                       added=[Person(id=f"w{k}", administration_id="a") for k in range(3)])


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.integers(1, 14), st.lists(st.integers(0, 5), min_size=1, max_size=5), st.integers(0, 4),
       st.integers(0, 10_000))
def test_odd_requests_give_a_plan_or_a_refusal_never_a_crash(n, seats, rounds, seed):
    rng = random.Random(seed)
    crowd = [Person(id=f"p{i}", administration_id=rng.choice("ab"), level=rng.choice(("", "x")),
                    manager_id=f"p{rng.randrange(n)}" if rng.random() < 0.4 else None,
                    needs_accessible_seat=rng.random() < 0.2, is_table_host=rng.random() < 0.2,
                    apart_from=(f"p{rng.randrange(n + 2)}",) if rng.random() < 0.3 else ()) for i in range(n)]
    hall = [Table(id=f"t{k}", seats=s, accessible=rng.random() < 0.5) for k, s in enumerate(seats)]
    try:
        plan = plan_seating(people=crowd, tables=hall, rounds=rounds, seed=seed, time_limit=0.2)
    except SeatingInfeasible as refused:
        assert refused.problems and all(" / " in p for p in refused.problems)  # Swedish / English
    else:
        assert sorted(plan.rounds) == list(range(1, rounds + 1))
