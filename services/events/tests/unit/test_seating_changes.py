"""Late changes and manual swaps on small hand-made plans, where the right answer is known exactly."""

from __future__ import annotations

from samla_events.seating import (
    Move,
    Person,
    SeatingPlan,
    Table,
    absorb_changes,
    apply_swap,
    quality_report,
    swap_consequences,
)


def person(pid: str, admin: str = "a", **more: object) -> Person:
    return Person(id=pid, administration_id=admin, level="ec", **more)  # type: ignore[arg-type]


def test_a_no_show_leaves_an_empty_seat_and_nobody_moves():
    crowd = [person(p) for p in "abcdefgh"]
    plan = SeatingPlan(rounds={1: {"t0": list("abcd"), "t1": list("efgh")},
                               2: {"t0": list("aefb"), "t1": list("cdgh")}})
    result = absorb_changes(plan=plan, people=crowd, tables=[Table("t0", 4), Table("t1", 4)], removed=["a"])
    assert result.moves == ()
    assert result.plan.rounds == {1: {"t0": list("bcd"), "t1": list("efgh")},
                                  2: {"t0": list("efb"), "t1": list("cdgh")}}
    assert Move(1, "a", "t0", None) in result.placed


def test_a_table_left_too_small_is_filled_by_one_move():
    crowd = [person(p) for p in "abcdefghijk"]
    plan = SeatingPlan(rounds={1: {"t0": list("abcd"), "t1": list("efgh"), "t2": list("ijk")}})
    hall = [Table("t0", 4), Table("t1", 4), Table("t2", 4)]
    result = absorb_changes(plan=plan, people=crowd, tables=hall, removed=["j", "k"])
    assert len(result.moves) == 1  # t2 would seat i alone; one person joins rather than i leaving
    assert len(result.plan.rounds[1]["t2"]) == 2 and "i" in result.plan.rounds[1]["t2"]
    assert result.report.violations == ()


def test_a_walk_in_whose_manager_sits_at_the_only_free_seat_makes_one_person_move():
    crowd = [person(p) for p in "abcde"]
    plan = SeatingPlan(rounds={1: {"t0": list("abc"), "t1": list("de")}})
    walk_in = person("w", manager_id="d")
    result = absorb_changes(plan=plan, people=crowd, tables=[Table("t0", 3), Table("t1", 3)], added=[walk_in])
    assert len(result.moves) == 1 and result.moves[0].from_table == "t0" and result.moves[0].to_table == "t1"
    assert "w" in result.plan.rounds[1]["t0"]
    assert result.report.violations == ()
    assert result.placed == (Move(1, "w", None, "t0"),)


def test_walk_ins_prefer_a_table_without_their_administration_and_without_old_acquaintances():
    crowd = [person("a", "x"), person("b", "x"), person("c", "y"), person("d", "y")]
    same = {"t0": ["a", "c"], "t1": ["b", "d"]}
    plan = SeatingPlan(rounds={1: dict(same), 2: dict(same)})
    walk_in = person("w", "x")
    result = absorb_changes(plan=plan, people=crowd, tables=[Table("t0", 3), Table("t1", 3), Table("t2", 3)],
                            added=[walk_in])
    # Both tables hold one of w's administration; w joins one in round 1 and must join the other in round 2.
    first = next(t for t, m in result.plan.rounds[1].items() if "w" in m)
    second = next(t for t, m in result.plan.rounds[2].items() if "w" in m)
    met_first = set(result.plan.rounds[1][first]) - {"w"}
    assert not met_first & set(result.plan.rounds[2][second])
    assert result.moves == ()


def test_swap_consequences_name_new_repeats_and_broken_rules_before_anything_changes():
    crowd = [person("a"), person("b"), person("c"), person("d", manager_id="c")]
    hall = [Table("t0", 3), Table("t1", 3)]
    plan = SeatingPlan(rounds={1: {"t0": ["a", "b", "d"], "t1": ["c"]},
                               2: {"t0": ["a", "c"], "t1": ["b", "d"]}})
    assert quality_report(plan=plan, people=crowd, tables=hall).repeated_pairs == 1  # b and d
    seen = swap_consequences(plan=plan, people=crowd, tables=hall, round_no=2, person_a="a", person_b="d")
    assert seen.new_repeated_pairs == (("a", "b"),)
    assert seen.resolved_repeated_pairs == (("b", "d"),)
    assert [(v.kind, v.person_ids) for v in seen.new_violations] == [("conflict", ("c", "d"))]
    assert (seen.table_a, seen.table_b) == ("t0", "t1")
    assert plan.rounds[2] == {"t0": ["a", "c"], "t1": ["b", "d"]}  # nothing applied yet
    swapped = apply_swap(plan=plan, round_no=2, person_a="a", person_b="d")
    assert swapped.rounds[2] == {"t0": ["d", "c"], "t1": ["b", "a"]}
    report = quality_report(plan=swapped, people=crowd, tables=hall)
    assert report.repeated_pairs == 1
    assert [(v.kind, v.person_ids) for v in report.violations] == [("conflict", ("c", "d"))]
