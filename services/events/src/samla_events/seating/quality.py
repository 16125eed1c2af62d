"""The quality report every plan comes with, computed from the plan alone so it can judge any plan."""

from __future__ import annotations

import numpy as np

from samla_events.seating.bounds import (
    pairs_within,
    repeat_free_round_limit,
    repeated_pairs_bound,
    same_group_pairs_bound,
)
from samla_events.seating.models import Person, QualityReport, RoundFigures, SeatingPlan, Table, Violation
from samla_events.seating.problem import Problem, build_problem
from samla_events.seating.state import build_seating


def quality_report(*, plan: SeatingPlan, people: list[Person], tables: list[Table]) -> QualityReport:
    """Measures a plan: repeats, mixing and contacts against their bounds, and every rule it breaks."""
    round_nos = sorted(plan.rounds)
    pb = build_problem(people=people, tables=tables, rounds=max(1, len(round_nos)), check=False)
    seat, found = seat_array(plan=plan, pb=pb)
    state = build_seating(pb=pb, seat=seat)
    codes, counts = np.unique(np.concatenate([round_pairs(seat[k], pb.n) for k in range(len(round_nos))]),
                              return_counts=True)
    contacts = np.bincount(np.concatenate([codes // max(pb.n, 1), codes % max(pb.n, 1)]), minlength=pb.n)
    per_round = []
    for k, round_no in enumerate(round_nos):
        on = seat[k] >= 0
        used = int((state.size[k] > 0).sum())
        per_round.append(RoundFigures(
            round_no=round_no, tables_used=used,
            same_administration_pairs=pairs_within(state.adm[k]),
            same_administration_pairs_bound=same_group_pairs_bound(
                group_sizes=np.bincount(pb.admin[on]), tables=used),
            same_level_pairs=pairs_within(state.lev[k]),
            same_level_pairs_bound=same_group_pairs_bound(group_sizes=np.bincount(pb.level[on]), tables=used),
        ))
        found.extend(round_violations(pb=pb, seat_r=seat[k], round_no=round_no))
    largest = int(pb.seats.max(initial=1))
    widest = sum(max(0, int(state.size[k].max(initial=0)) - 1) for k in range(len(round_nos)))
    hosts = int(((state.size > 0) & (state.hosts == 0)).sum()) if pb.host.any() else 0
    return QualityReport(
        people=pb.n, rounds=len(round_nos),
        repeated_pairs=int((counts >= 2).sum()),
        repeated_pairs_bound=repeated_pairs_bound(people=pb.n, seats=pb.seats, rounds=len(round_nos)),
        repeat_free_round_limit=repeat_free_round_limit(people=pb.n, table_size=largest),
        per_round=tuple(per_round),
        contacts_min=int(contacts.min()) if pb.n else 0,
        contacts_mean=float(contacts.mean()) if pb.n else 0.0,
        contacts_max_possible=min(max(pb.n - 1, 0), widest),
        violations=tuple(found), tables_without_host=hosts,
        interest_matched=_interest_matched(plan, pb),
    )


def seat_array(*, plan: SeatingPlan, pb: Problem) -> tuple[np.ndarray, list[Violation]]:
    """Returns (rounds, people) table numbers from a plan, and what in it fits neither people nor tables."""
    round_nos = sorted(plan.rounds)
    seat = np.full((len(round_nos), pb.n), -1, dtype=np.int64)
    table_no = {tid: t for t, tid in enumerate(pb.table_ids)}
    found: list[Violation] = []
    for k, round_no in enumerate(round_nos):
        for table_id, members in plan.rounds[round_no].items():
            t = table_no.get(table_id)
            if t is None:
                found.append(Violation("unknown_table", round_no, table_id, tuple(members),
                                       f"Bord {table_id} finns inte / Table {table_id} does not exist"))
                continue
            for pid in members:
                i = pb.index.get(pid)
                if i is None:
                    found.append(Violation("unknown_person", round_no, table_id, (pid,),
                                           f"{pid} är inte anmäld / {pid} is not among the people"))
                elif seat[k, i] >= 0:
                    found.append(Violation("seated_twice", round_no, table_id, (pid,),
                                           f"{pid} har två platser / {pid} has two seats"))
                else:
                    seat[k, i] = t
    return seat, found


def round_violations(*, pb: Problem, seat_r: np.ndarray, round_no: int) -> list[Violation]:
    """Returns every hard-constraint breach in one round."""
    ids, tid = pb.person_ids, pb.table_ids
    out: list[Violation] = []
    for i in np.flatnonzero(seat_r < 0):
        out.append(Violation("not_seated", round_no, None, (ids[i],),
                             f"{ids[i]} saknar plats / {ids[i]} has no seat"))
    cp = pb.conflict_pairs
    if len(cp):
        a, b = seat_r[cp[:, 0]], seat_r[cp[:, 1]]
        for i, j in cp[(a == b) & (a >= 0)]:
            boss = pb.manager[i] == j or pb.manager[j] == i
            why = ("chef och medarbetare / manager and direct report" if boss
                   else "önskar sitta isär / asked to sit apart")
            out.append(Violation("conflict", round_no, tid[seat_r[i]], (ids[i], ids[j]),
                                 f"{ids[i]} och {ids[j]} vid samma bord / at the same table: {why}"))
    tables = len(pb.seats)
    on = seat_r >= 0
    size = np.bincount(seat_r[on], minlength=tables)
    hosts = np.bincount(seat_r[on], weights=pb.host[on], minlength=tables)
    acc = np.bincount(seat_r[on], weights=pb.needs_accessible[on], minlength=tables)
    for t in np.flatnonzero(size > pb.seats):
        out.append(Violation("over_capacity", round_no, tid[t], (), f"Bord {tid[t]}: {size[t]} personer på "
                             f"{pb.seats[t]} platser / {size[t]} people at {pb.seats[t]} seats"))
    for t in np.flatnonzero(hosts > 1):
        who = tuple(ids[i] for i in np.flatnonzero((seat_r == t) & pb.host))
        out.append(Violation("two_hosts", round_no, tid[t], who,
                             f"Bord {tid[t]} har flera bordsvärdar / Table {tid[t]} has more than one host"))
    for t in np.flatnonzero(acc > pb.accessible_capacity):
        who = tuple(ids[i] for i in np.flatnonzero((seat_r == t) & pb.needs_accessible))
        out.append(Violation("accessible", round_no, tid[t], who,
                             f"Bord {tid[t]} saknar tillgängliga platser för alla som behöver dem / "
                             f"Table {tid[t]} lacks accessible seats for everyone who needs one"))
    for i in np.flatnonzero((pb.pinned_table >= 0) & on & (seat_r != pb.pinned_table)):
        out.append(Violation("host_moved", round_no, tid[seat_r[i]], (ids[i],),
                             f"Bordsvärden {ids[i]} ska sitta vid bord {tid[pb.pinned_table[i]]} / "
                             f"Host {ids[i]} belongs at table {tid[pb.pinned_table[i]]}"))
    return out


def round_pairs(seat_r: np.ndarray, n: int) -> np.ndarray:
    """Returns every pair sharing a table in one round, coded as low·n + high."""
    on = np.flatnonzero(seat_r >= 0)
    order = on[np.argsort(seat_r[on], kind="stable")]
    tables = seat_r[order]
    if len(order) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, tables[1:] != tables[:-1]])
    lengths = np.diff(np.r_[starts, len(order)])
    out = [np.zeros(0, dtype=np.int64)]
    for k in np.unique(lengths):
        if k < 2:
            continue
        members = order[starts[lengths == k][:, None] + np.arange(k)]
        iu, ju = np.triu_indices(int(k), 1)
        a, b = members[:, iu], members[:, ju]
        out.append((np.minimum(a, b) * n + np.maximum(a, b)).ravel())
    return np.concatenate(out)


def _interest_matched(plan: SeatingPlan, pb: Problem) -> int | None:
    if plan.interest_round is None or plan.interest_round not in plan.rounds:
        return None
    matched = 0
    for table_id, members in plan.rounds[plan.interest_round].items():
        topic = plan.topics.get(table_id)
        matched += sum(1 for pid in members if pid in pb.index and topic in pb.interests[pb.index[pid]])
    return matched
