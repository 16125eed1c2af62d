"""Planning a seating: the algebraic design where one fits, greedy seating otherwise, then local search."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from samla_events.seating.bounds import balanced_sizes
from samla_events.seating.cells import CellSearch, search_cells, violators
from samla_events.seating.design import Design, choose_designs
from samla_events.seating.interest import assign_topics, interest_order
from samla_events.seating.layout import initial_cells
from samla_events.seating.models import Person, ProgressCallback, SeatingInfeasible, SeatingPlan, Table
from samla_events.seating.problem import Problem, build_problem
from samla_events.seating.quality import round_violations
from samla_events.seating.rounds import RoundWork
from samla_events.seating.state import Seating, build_seating


def plan_seating(*, people: list[Person], tables: list[Table], rounds: int, interest_round: int | None = None,
                 pin_hosts: bool = True, seed: int = 0, time_limit: float | None = None,
                 progress: ProgressCallback | None = None) -> SeatingPlan:
    """Seats everyone at a table in every round; raises SeatingInfeasible when the request cannot be met."""
    say = progress or _silent
    say(0.0, "checking the request")
    pb = build_problem(people=people, tables=tables, rounds=rounds, interest_round=interest_round)
    rng = np.random.default_rng(seed)
    deadline = time.monotonic() + (time_limit if time_limit is not None else default_time_limit(people=pb.n))
    normal = [k for k in range(rounds) if k + 1 != interest_round]
    designs = choose_designs(pb=pb, rounds=len(normal), pin_hosts=pin_hosts) if normal else []
    # Each fallback runs only when the attempts before could not keep every rule: hard constraints come first.
    # Round-by-round seating tries the fewest tables first, then a few more, then the whole hall.
    attempts: list[Design | int] = [*designs, 0, 1, 2, len(tables)]
    best: tuple[int, Seating, str, dict[str, str]] | None = None
    for step, attempt in enumerate(attempts):
        if isinstance(attempt, Design):
            say(0.1 + 0.8 * step / len(attempts), f"arranging a repeat-free design of {attempt.p} tables")
            state, in_use = _by_design(pb, attempt, normal, pin_hosts=pin_hosts, rng=rng, deadline=deadline)
            strategy, design_seat = "design", state.seat[normal].copy()
            if violators(state) and attempt is not designs[-1]:
                continue  # another table count may leave the rules more room
        else:
            say(0.1 + 0.8 * step / len(attempts), f"seating round by round ({attempt} extra tables)")
            # A fallback gets time of its own: the attempts before it may have used up the deadline.
            later = deadline if step == 0 else max(deadline, time.monotonic() + 1.0)
            state, in_use = _by_greedy(pb, normal, extra_tables=attempt, pin_hosts=pin_hosts, rng=rng,
                                       deadline=later)
            strategy = "greedy"
        topics: dict[str, str] = {}
        if interest_round is not None:
            topics = _seat_interest_round(state=state, r=interest_round - 1, in_use=in_use, rng=rng,
                                          deadline=deadline)
        _repair(state=state, in_use=in_use, rng=rng, deadline=deadline)
        if strategy == "design" and not np.array_equal(state.seat[normal], design_seat):
            strategy = "design+repair"  # repairs outside the design may have cost repeats; say so
        broken = len(violators(state))
        if best is None or broken < best[0]:
            best = (broken, state, strategy, topics)
        if broken == 0:
            break
    assert best is not None
    _, state, strategy, topics = best
    _raise_if_broken(state)
    say(1.0, "done")
    return SeatingPlan(rounds=to_rounds(pb=pb, seat=state.seat), strategy=strategy, seed=seed,
                       interest_round=interest_round, topics=topics)


def _by_design(pb: Problem, design: Design, normal: list[int], *, pin_hosts: bool, rng: np.random.Generator,
               deadline: float) -> tuple[Seating, np.ndarray]:
    in_use = np.zeros(len(pb.seats), dtype=bool)
    in_use[design.tables] = True
    cell_of = initial_cells(pb=pb, design=design, pin_hosts=pin_hosts)
    occupant = np.full(design.rows * design.p, -1, dtype=np.int64)
    occupant[cell_of] = np.arange(pb.n)
    search = CellSearch(state=build_seating(pb=pb, seat=design.cell_table[:, cell_of]), design=design,
                        cell_of=cell_of, occupant=occupant, fixed=pb.pinned_table >= 0,
                        static=pb.host & pin_hosts, rng=rng, deadline=deadline)
    search_cells(search=search)
    for _ in range(3 if pb.n <= 2000 else 0):
        if not violators(search.state):
            break
        # Small, dense requests can leave the search stuck; a fresh start elsewhere often gets through.
        search.restart(search.rng.permutation(pb.n))
        search_cells(search=search)
    seat = np.full((pb.rounds, pb.n), -1, dtype=np.int64)
    seat[normal] = search.state.seat
    if pin_hosts:
        pb = _pin_hosts_where_they_sit(pb, seat[normal[0]])
    return build_seating(pb=pb, seat=seat), in_use


def _by_greedy(pb: Problem, normal: list[int], *, extra_tables: int, pin_hosts: bool,
               rng: np.random.Generator, deadline: float) -> tuple[Seating, np.ndarray]:
    in_use = _tables_in_use(pb, extra=extra_tables)
    if pin_hosts:
        pb = _pin_hosts_to_tables(pb, in_use)
    targets = _targets(pb, in_use)
    state = build_seating(pb=pb, seat=np.full((pb.rounds, pb.n), -1, dtype=np.int64))
    for r in normal:
        work = RoundWork(state=state, r=r, rng=rng, in_use=in_use)
        work.seat_greedily(_greedy_order(pb, rng), targets)
        work.improve(deadline=deadline, serious_only=True)
    # Later rounds knew more than earlier ones when they were seated: rules and repeats first, then mixing.
    for serious in (True, True, False, False):
        for r in normal:
            if time.monotonic() < deadline:
                RoundWork(state=state, r=r, rng=rng, in_use=in_use).improve(deadline=deadline,
                                                                             serious_only=serious)
    return state, in_use


def _targets(pb: Problem, in_use: np.ndarray) -> np.ndarray:
    targets = np.zeros(len(pb.seats), dtype=np.int64)
    targets[in_use] = balanced_sizes(people=pb.n, seats=pb.seats[in_use])
    return targets


def default_time_limit(*, people: int) -> float:
    """Returns the seconds planning may take by default: under a second up to 1,000 people, 8 s at 50,000."""
    return 0.8 + people * 1.5e-4


def to_rounds(*, pb: Problem, seat: np.ndarray) -> dict[int, dict[str, list[str]]]:
    """Returns round number -> table id -> person ids (hosts first), leaving out empty tables."""
    out: dict[int, dict[str, list[str]]] = {}
    order = np.lexsort((np.arange(pb.n), ~pb.host))
    for r in range(seat.shape[0]):
        tables: dict[str, list[str]] = {}
        for i in order[seat[r, order] >= 0]:
            tables.setdefault(pb.table_ids[seat[r, i]], []).append(pb.person_ids[i])
        out[r + 1] = {tid: tables[tid] for tid in pb.table_ids if tid in tables}
    return out


def _silent(fraction: float, message: str) -> None:
    return None


def _tables_in_use(pb: Problem, *, extra: int) -> np.ndarray:
    """Returns the fewest tables that seat everyone, plus `extra`: pinned-host tables, accessible ones, then
    the biggest."""
    pinned = set(pb.pinned_table[pb.pinned_table >= 0].tolist())
    access = bool(pb.needs_accessible.any())
    order = sorted(range(len(pb.seats)), key=lambda t: (
        t not in pinned, not (access and pb.accessible_capacity[t]), -int(pb.seats[t]), t))
    in_use = np.zeros(len(pb.seats), dtype=bool)
    seats = accessible = 0
    for k, t in enumerate(order):
        enough = seats >= pb.n and accessible >= int(pb.needs_accessible.sum()) and k >= int(pb.host.sum())
        if enough and t not in pinned:
            if extra == 0:
                break
            extra -= 1
        in_use[t] = True
        seats += int(pb.seats[t])
        accessible += int(pb.accessible_capacity[t])
    return in_use


def _pin_hosts_to_tables(pb: Problem, in_use: np.ndarray) -> Problem:
    pinned = pb.pinned_table.copy()
    free = [t for t in np.flatnonzero(in_use) if t not in set(pinned.tolist())]
    free.sort(key=lambda t: pb.accessible_capacity[t] == 0)
    for i in sorted(np.flatnonzero(pb.host & (pinned < 0)), key=lambda i: not pb.needs_accessible[i]):
        choices = [t for t in free if pb.accessible_capacity[t] > 0] if pb.needs_accessible[i] else free[::-1]
        if choices:
            pinned[i] = choices[0]
            free.remove(choices[0])
    return replace(pb, pinned_table=pinned)


def _pin_hosts_where_they_sit(pb: Problem, seat_r: np.ndarray) -> Problem:
    pinned = pb.pinned_table.copy()
    pinned[pb.host] = seat_r[pb.host]
    return replace(pb, pinned_table=pinned)


def _greedy_order(pb: Problem, rng: np.random.Generator) -> list[int]:
    degree = np.diff(pb.conflict_ptr)
    noise = rng.random(pb.n)
    return sorted(range(pb.n), key=lambda i: (
        pb.pinned_table[i] < 0, not pb.host[i], not pb.needs_accessible[i], -int(degree[i]), noise[i]))


def _seat_interest_round(*, state: Seating, r: int, in_use: np.ndarray, rng: np.random.Generator,
                         deadline: float) -> dict[str, str]:
    pb = state.pb
    targets = _targets(pb, in_use)
    topics, names, likes = assign_topics(pb=pb, in_use=in_use, targets=targets)
    work = RoundWork(state=state, r=r, rng=rng, in_use=in_use, topics=topics, likes=likes)
    work.seat_greedily(interest_order(pb=pb, likes=likes, rng=rng), targets)
    work.improve(deadline=deadline)
    return {pb.table_ids[t]: names[topics[t]] for t in np.flatnonzero(in_use & (topics >= 0))}


def _repair(*, state: Seating, in_use: np.ndarray, rng: np.random.Generator, deadline: float) -> None:
    """Works on rule breaches round by round; breaking a rule is never traded for speed, so repairs get time
    of their own, and may use every table of the hall."""
    repair_deadline = max(deadline, time.monotonic() + 1.0 + state.pb.n * 1e-4)
    for attempt in range(4):
        broken = violators(state)
        if not broken:
            return
        tables = in_use if attempt < 2 else np.ones_like(in_use)
        for r in range(state.rounds):
            todo = [i for i in broken if state.seat[r, i] >= 0]
            RoundWork(state=state, r=r, rng=rng, in_use=tables).improve(deadline=repair_deadline, todo=todo)


def _raise_if_broken(state: Seating) -> None:
    found = [v for r in range(state.rounds) for v in round_violations(pb=state.pb, seat_r=state.seat[r],
                                                                       round_no=r + 1)]
    if found:
        shown = [f"runda/round {v.round_no}: {v.detail}" for v in found[:20]]
        if len(found) > 20:
            shown.append(f"... och {len(found) - 20} till / and {len(found) - 20} more")
        heading = "Kunde inte uppfylla alla krav / Could not satisfy every hard constraint"
        raise SeatingInfeasible([heading, *shown])
