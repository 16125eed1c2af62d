"""Late changes: no-shows leave their seats and walk-ins take free ones; people move only when a table would
otherwise be too small, or a walk-in fits nowhere without someone making room."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from samla_events.seating.models import ChangeResult, Move, Person, SeatingInfeasible, SeatingPlan, Table
from samla_events.seating.problem import Problem, build_problem
from samla_events.seating.quality import quality_report, seat_array
from samla_events.seating.rounds import RoundWork
from samla_events.seating.service import to_rounds
from samla_events.seating.state import HARD, Seating, build_seating


def absorb_changes(*, plan: SeatingPlan, people: list[Person], tables: list[Table],
                   removed: list[str] | None = None, added: list[Person] | None = None,
                   min_table_size: int | None = None, seed: int = 0) -> ChangeResult:
    """Takes no-shows off and seats walk-ins in every round, moving as few seated people as possible."""
    gone, new = set(removed or ()), list(added or ())
    known = {p.id for p in people}
    problems = [f"{pid} finns inte i placeringen / {pid} is not in the plan" for pid in sorted(gone - known)]
    staying = known - gone
    problems += [f"{p.id} är redan placerad / {p.id} is already seated" for p in new if p.id in staying]
    if problems:
        raise SeatingInfeasible(problems)
    now = [p for p in people if p.id not in gone] + new
    tables_now = [replace(t, host_id=None) if t.host_id in gone else t for t in tables]
    round_nos = sorted(plan.rounds)
    pb = build_problem(people=now, tables=tables_now, rounds=len(round_nos), check=True)
    seat, _ = seat_array(plan=plan, pb=pb)
    pb = _keep_hosts_in_place(pb, seat)
    state = build_seating(pb=pb, seat=seat)
    rng = np.random.default_rng(seed)
    in_use = np.asarray((state.size > 0).any(axis=0), dtype=bool)
    before = np.zeros_like(state.size)  # only tables this change shrinks, or opens, are evened out
    table_no = {tid: t for t, tid in enumerate(pb.table_ids)}
    for k, round_no in enumerate(round_nos):
        for tid, members in plan.rounds[round_no].items():
            if tid in table_no:
                before[k, table_no[tid]] = len(members)
    # Nobody is left alone at a table; a caller who wants fuller tables pays for them in moves.
    smallest_ok = 2 if min_table_size is None else min_table_size
    topics, likes = _topics(plan, pb)
    walk_ins = sorted((pb.index[p.id] for p in new), key=lambda i: (pb.pinned_table[i] < 0, not pb.host[i],
                                                                     not pb.needs_accessible[i]))
    interest = None if plan.interest_round is None else round_nos.index(plan.interest_round)
    for r in range(len(round_nos)):
        on = r == interest
        work = RoundWork(state=state, r=r, rng=rng, in_use=in_use, topics=topics if on else None,
                         likes=likes if on else None)
        for x in walk_ins:
            _seat_walk_in(state, work, x, in_use, round_no=round_nos[r])
        _fix_small_tables(state, work, smallest_ok, before=before[r])
    new_plan = replace(plan, rounds=_keep_order(plan, to_rounds(pb=pb, seat=state.seat), round_nos))
    moves, placed = _moves(plan=plan, new_plan=new_plan, gone=gone, walk_ins={p.id for p in new})
    return ChangeResult(plan=new_plan, moves=tuple(moves), placed=tuple(placed),
                        report=quality_report(plan=new_plan, people=now, tables=tables_now))


def _keep_order(plan: SeatingPlan, fresh: dict[int, dict[str, list[str]]],
                round_nos: list[int]) -> dict[int, dict[str, list[str]]]:
    """Keeps each table's list as it was, newcomers last, so printed lists and screens change as little."""
    out: dict[int, dict[str, list[str]]] = {}
    for k, round_no in enumerate(round_nos):
        before = plan.rounds[round_no]
        out[round_no] = {}
        for tid, members in fresh[k + 1].items():
            place = {pid: n for n, pid in enumerate(before.get(tid, []))}
            rank = {pid: place.get(pid, len(place) + n) for n, pid in enumerate(members)}
            out[round_no][tid] = sorted(members, key=rank.__getitem__)
    return out


def _keep_hosts_in_place(pb: Problem, seat: np.ndarray) -> Problem:
    """Hosts who sat at one table all day stay there."""
    pinned = pb.pinned_table.copy()
    steady = pb.host & (seat >= 0).all(axis=0) & (seat == seat[:1]).all(axis=0) & (pinned < 0)
    pinned[steady] = seat[0, steady]
    return replace(pb, pinned_table=pinned)


def _topics(plan: SeatingPlan, pb: Problem) -> tuple[np.ndarray | None, list[set[int]] | None]:
    if plan.interest_round is None:
        return None, None
    names = sorted(set(plan.topics.values()) | {tag for tags in pb.interests for tag in tags})
    number = {name: k for k, name in enumerate(names)}
    topics = np.array([number.get(plan.topics.get(tid, ""), -1) for tid in pb.table_ids], dtype=np.int64)
    return topics, [{number[tag] for tag in tags} for tags in pb.interests]


def _seat_walk_in(state: Seating, work: RoundWork, x: int, in_use: np.ndarray, *, round_no: int) -> None:
    r, pb = work.r, state.pb
    cost = work.cost_vector(x).astype(np.float64)
    room = in_use & (state.size[r] < pb.seats)
    free = np.where(room, cost, np.inf)
    t = int(np.argmin(free))
    if free[t] < HARD:
        state.move(r, x, t)
        return
    # Make room: someone at a full table where x is welcome moves to a free seat where they are welcome.
    best: tuple[float, int, int, int] | None = None
    welcome = np.flatnonzero(in_use & ~room & (cost < HARD))
    for full in welcome[np.argsort(cost[welcome], kind="stable")[:12]]:  # the dozen best are plenty
        for y in np.flatnonzero((state.seat[r] == full) & (pb.pinned_table < 0)):
            other = np.where(room, work.cost_vector(int(y)), np.inf)
            u = int(np.argmin(other))
            if other[u] < HARD and (best is None or cost[full] + other[u] < best[0]):
                best = (float(cost[full] + other[u]), int(full), int(y), u)
    if best is not None:
        _, into, mover, u = best
        state.move(r, mover, u)
        state.move(r, x, into)
        return
    spare = np.flatnonzero(~in_use & (cost < HARD))
    if len(spare):
        t = int(spare[np.argmax(pb.seats[spare])])
        in_use[t] = True  # a new table; the small-table fix fills it
        state.move(r, x, t)
        return
    pid = pb.person_ids[x]
    raise SeatingInfeasible([f"{pid} får inte plats i runda {round_no} utan att bryta ett krav / "
                             f"{pid} cannot be seated in round {round_no} without breaking a rule"])


def _fix_small_tables(state: Seating, work: RoundWork, smallest_ok: int, *, before: np.ndarray) -> None:
    """Fills a table the change left too small from the fullest ones, or spreads its people out, whichever
    moves fewer people."""
    r, pb = work.r, state.pb
    stuck: set[int] = set()
    while True:
        size = state.size[r]
        shrunk = (size > 0) & (size < smallest_ok) & ((size < before) | (before == 0))
        small = [int(t) for t in np.flatnonzero(shrunk) if int(t) not in stuck]
        if not small:
            return
        t = small[0]
        others = np.arange(len(size)) != t
        donors = np.flatnonzero((size > smallest_ok) & others)
        spare = int(np.maximum(pb.seats - size, 0)[(size > 0) & others].sum())
        need = smallest_ok - int(size[t])
        can_pull = need <= int((size[donors] - smallest_ok).sum())
        moved = False
        if can_pull and (need <= size[t] or spare < size[t]):
            moved = _pull_one(state, work, t, donors)
        if not moved and spare >= size[t]:
            moved = _push_one(state, work, t)
        if not moved:
            stuck.add(t)  # nothing allowed would help; the table stays small


def _pull_one(state: Seating, work: RoundWork, t: int, donors: np.ndarray) -> bool:
    r, pb = work.r, state.pb
    donors = donors[np.argsort(-state.size[r, donors], kind="stable")[:12]]  # the fullest tables give
    people = np.flatnonzero(np.isin(state.seat[r], donors) & (pb.pinned_table < 0))
    if len(people) == 0:
        return False
    gain = np.array([work.cost_at(int(y), t) for y in people])
    stay = np.array([work.cost_at(int(y), int(state.seat[r, y])) for y in people])
    ok = gain < HARD
    if not ok.any():
        return False
    k = int(np.argmin(np.where(ok, gain - stay, np.inf)))
    state.move(r, int(people[k]), t)
    return True


def _push_one(state: Seating, work: RoundWork, t: int) -> bool:
    r, pb = work.r, state.pb
    room = (state.size[r] > 0) & (state.size[r] < pb.seats) & (np.arange(len(pb.seats)) != t)
    for y in np.flatnonzero((state.seat[r] == t) & (pb.pinned_table < 0)):
        cost = np.where(room, work.cost_vector(int(y)), np.inf)
        u = int(np.argmin(cost))
        if cost[u] < HARD:
            state.move(r, int(y), u)
            return True
    return False


def _moves(*, plan: SeatingPlan, new_plan: SeatingPlan, gone: set[str], walk_ins: set[str]
           ) -> tuple[list[Move], list[Move]]:
    moves: list[Move] = []
    placed: list[Move] = []
    for round_no in sorted(plan.rounds):
        before = {pid: tid for tid, members in plan.rounds[round_no].items() for pid in members}
        after = {pid: tid for tid, members in new_plan.rounds[round_no].items() for pid in members}
        for pid in sorted(gone):
            placed.append(Move(round_no, pid, before.get(pid), None))
        for pid, tid in sorted(after.items()):
            if pid in walk_ins:
                placed.append(Move(round_no, pid, None, tid))
            elif before.get(pid) != tid:
                moves.append(Move(round_no, pid, before.get(pid), tid))
    return moves, placed
