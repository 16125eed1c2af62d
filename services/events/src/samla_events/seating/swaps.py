"""Manual swaps: what exchanging two people's seats in one round would change, and making the exchange."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from samla_events.seating.models import (
    Person,
    SeatingInfeasible,
    SeatingPlan,
    SwapConsequences,
    Table,
    Violation,
)
from samla_events.seating.problem import Problem, build_problem
from samla_events.seating.quality import round_violations, seat_array


def swap_consequences(*, plan: SeatingPlan, people: list[Person], tables: list[Table], round_no: int,
                      person_a: str, person_b: str) -> SwapConsequences:
    """Returns the repeats, rule breaches and mixing a swap of two people in one round would cause."""
    pb = build_problem(people=people, tables=tables, rounds=max(1, len(plan.rounds)), check=False)
    seat, _ = seat_array(plan=plan, pb=pb)
    k, a, b = _locate(plan, pb, seat, round_no, person_a, person_b)
    ta, tb = int(seat[k, a]), int(seat[k, b])
    after = seat[k].copy()
    after[a], after[b] = tb, ta
    new_rep: list[tuple[str, str]] = []
    resolved: list[tuple[str, str]] = []
    if ta != tb:
        valid = seat >= 0
        for x, leaves, joins, partner in ((a, ta, tb, b), (b, tb, ta, a)):
            met = ((seat == seat[:, x : x + 1]) & valid).sum(axis=0)  # meetings with x over all rounds
            for y in np.flatnonzero((seat[k] == leaves) & (np.arange(pb.n) != x)):
                if met[y] == 2:
                    resolved.append(_pair(pb, x, int(y)))
            for y in np.flatnonzero((seat[k] == joins) & (np.arange(pb.n) != partner)):
                if met[y] == 1:
                    new_rep.append(_pair(pb, x, int(y)))
    before_v = round_violations(pb=pb, seat_r=seat[k], round_no=round_no)
    after_v = round_violations(pb=pb, seat_r=after, round_no=round_no)
    return SwapConsequences(
        round_no=round_no, person_a=person_a, person_b=person_b,
        table_a=pb.table_ids[ta], table_b=pb.table_ids[tb],
        new_repeated_pairs=tuple(sorted(new_rep)), resolved_repeated_pairs=tuple(sorted(resolved)),
        new_violations=tuple(v for v in after_v if _key(v) not in {_key(w) for w in before_v}),
        resolved_violations=tuple(v for v in before_v if _key(v) not in {_key(w) for w in after_v}),
        same_administration_pairs_delta=_same_pairs(pb.admin, after) - _same_pairs(pb.admin, seat[k]),
        same_level_pairs_delta=_same_pairs(pb.level, after) - _same_pairs(pb.level, seat[k]),
    )


def apply_swap(*, plan: SeatingPlan, round_no: int, person_a: str, person_b: str) -> SeatingPlan:
    """Returns a new plan where two people have exchanged seats in one round."""
    tables = plan.rounds.get(round_no)
    if tables is None:
        raise SeatingInfeasible([f"Runda {round_no} finns inte / Round {round_no} does not exist"])
    where = {pid: tid for tid, members in tables.items() for pid in members}
    missing = [pid for pid in (person_a, person_b) if pid not in where]
    if missing:
        raise SeatingInfeasible([_no_seat(pid, round_no) for pid in missing])
    ta, tb = where[person_a], where[person_b]
    swapped = {tid: [person_b if pid == person_a and tid == ta else person_a if pid == person_b and tid == tb
                     else pid for pid in members] for tid, members in tables.items()}
    return replace(plan, rounds={**plan.rounds, round_no: swapped})


def _locate(plan: SeatingPlan, pb: Problem, seat: np.ndarray, round_no: int, person_a: str,
            person_b: str) -> tuple[int, int, int]:
    round_nos = sorted(plan.rounds)
    problems = [] if round_no in plan.rounds else [
        f"Runda {round_no} finns inte / Round {round_no} does not exist"]
    found = []
    for pid in (person_a, person_b):
        i = pb.index.get(pid)
        if i is None or (not problems and seat[round_nos.index(round_no), i] < 0):
            problems.append(_no_seat(pid, round_no))
        found.append(-1 if i is None else i)
    if problems:
        raise SeatingInfeasible(problems)
    return round_nos.index(round_no), found[0], found[1]


def _no_seat(pid: str, round_no: int) -> str:
    return f"{pid} har ingen plats i runda {round_no} / {pid} has no seat in round {round_no}"


def _pair(pb: Problem, x: int, y: int) -> tuple[str, str]:
    a, b = pb.person_ids[x], pb.person_ids[y]
    return (a, b) if a < b else (b, a)


def _key(v: Violation) -> tuple[str, str | None, tuple[str, ...]]:
    return v.kind, v.table_id, tuple(sorted(v.person_ids))


def _same_pairs(group: np.ndarray, seat_r: np.ndarray) -> int:
    on = seat_r >= 0
    codes = seat_r[on] * (int(group.max(initial=0)) + 1) + group[on]
    c = np.bincount(codes)
    return int((c * (c - 1) // 2).sum())
