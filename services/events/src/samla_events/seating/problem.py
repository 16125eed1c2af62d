"""The request turned into arrays, and every reason it cannot be seated found before any planning starts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from samla_events.seating.models import Person, SeatingInfeasible, Table


@dataclass
class Problem:
    person_ids: list[str]
    index: dict[str, int]
    admin: np.ndarray  # person -> administration number
    level: np.ndarray  # person -> level number
    manager: np.ndarray  # person -> their manager's number, or -1 when the manager does not come
    needs_accessible: np.ndarray  # bool per person
    host: np.ndarray  # bool per person
    interests: list[tuple[str, ...]]
    conflict_pairs: np.ndarray  # (E, 2), i < j: manager/report or asked to be apart
    conflict_ptr: np.ndarray  # CSR over people into conflict_idx
    conflict_idx: np.ndarray
    table_ids: list[str]
    seats: np.ndarray
    accessible_capacity: np.ndarray
    pinned_table: np.ndarray  # person -> table number they are pinned to, or -1
    rounds: int

    @property
    def n(self) -> int:
        return len(self.person_ids)

    def conflicts_of(self, i: int) -> np.ndarray:
        return self.conflict_idx[self.conflict_ptr[i] : self.conflict_ptr[i + 1]]


def build_problem(*, people: list[Person], tables: list[Table], rounds: int,
                  interest_round: int | None = None, check: bool = True) -> Problem:
    """Indexes the request; when checking, raises SeatingInfeasible listing all that cannot be met."""
    problems: list[str] = []
    _check_ids(people, tables, problems)
    if rounds < 1:
        problems.append(f"Antal rundor måste vara minst 1 (fick {rounds}) / "
                        f"Rounds must be at least 1 (got {rounds})")
    if interest_round is not None and not 1 <= interest_round <= rounds:
        problems.append(f"Intresserundan {interest_round} finns inte bland rundorna 1..{rounds} / "
                        f"Interest round {interest_round} is not one of the rounds 1..{rounds}")
    if problems and check:
        raise SeatingInfeasible(problems)
    person_ids = [p.id for p in people]
    index = {pid: i for i, pid in enumerate(person_ids)}
    admins = {a: k for k, a in enumerate(sorted({p.administration_id for p in people}))}
    levels = {lv: k for k, lv in enumerate(sorted({p.level for p in people}))}
    pairs = _conflict_pairs(people, index, problems)
    pinned = np.full(len(people), -1, dtype=np.int64)
    host = np.array([p.is_table_host for p in people], dtype=bool)
    for t, table in enumerate(tables):
        if table.host_id is None:
            continue
        i = index.get(table.host_id)
        if i is None:
            if check:
                problems.append(f"Bordsvärden {table.host_id} för bord {table.id} är inte anmäld / "
                                f"Host {table.host_id} of table {table.id} is not among the people")
            continue
        if pinned[i] >= 0:
            problems.append(f"{table.host_id} är bordsvärd vid två bord "
                            f"({tables[pinned[i]].id}, {table.id}) / "
                            f"{table.host_id} is pinned as host to two tables")
        pinned[i] = t
        host[i] = True
    n = len(people)
    ptr, idx = _csr(pairs, n)
    problem = Problem(
        person_ids=person_ids, index=index,
        admin=np.array([admins[p.administration_id] for p in people], dtype=np.int64),
        level=np.array([levels[p.level] for p in people], dtype=np.int64),
        manager=np.array([index.get(p.manager_id or "", -1) for p in people], dtype=np.int64),
        needs_accessible=np.array([p.needs_accessible_seat for p in people], dtype=bool),
        host=host, interests=[tuple(p.interests) for p in people],
        conflict_pairs=pairs, conflict_ptr=ptr, conflict_idx=idx,
        table_ids=[t.id for t in tables], seats=np.array([t.seats for t in tables], dtype=np.int64),
        accessible_capacity=np.array([t.accessible_capacity for t in tables], dtype=np.int64),
        pinned_table=pinned, rounds=rounds,
    )
    _check_capacity(problem, tables, problems)
    if problems and check:
        raise SeatingInfeasible(problems)
    return problem


def _check_ids(people: list[Person], tables: list[Table], problems: list[str]) -> None:
    seen: set[str] = set()
    for p in people:
        if p.id in seen:
            problems.append(f"Personen {p.id} finns två gånger / Person {p.id} appears twice")
        seen.add(p.id)
        if p.manager_id == p.id:
            problems.append(f"{p.id} är sin egen chef / {p.id} is their own manager")
    seen_tables: set[str] = set()
    for t in tables:
        if t.id in seen_tables:
            problems.append(f"Bord {t.id} finns två gånger / Table {t.id} appears twice")
        seen_tables.add(t.id)
        if t.seats < 1:
            problems.append(f"Bord {t.id} har {t.seats} platser / Table {t.id} has {t.seats} seats")
    if not tables:
        problems.append("Det finns inga bord / There are no tables")


def _conflict_pairs(people: list[Person], index: dict[str, int], problems: list[str]) -> np.ndarray:
    pairs: set[tuple[int, int]] = set()
    for i, p in enumerate(people):
        others = [p.manager_id] if p.manager_id else []
        others += list(p.apart_from)
        for other in others:
            j = index.get(other)  # someone who does not come cannot share a table
            if j is None or j == i:
                continue
            pairs.add((min(i, j), max(i, j)))
    if not pairs:
        return np.zeros((0, 2), dtype=np.int64)
    return np.array(sorted(pairs), dtype=np.int64)


def _csr(pairs: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    both = np.concatenate([pairs, pairs[:, ::-1]]) if len(pairs) else np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((both[:, 1], both[:, 0]))
    both = both[order]
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(ptr, both[:, 0] + 1, 1)
    return np.cumsum(ptr), both[:, 1].copy()


def _check_capacity(pb: Problem, tables: list[Table], problems: list[str]) -> None:
    total = int(pb.seats.sum())
    if pb.n > total:
        problems.append(f"Fler deltagare ({pb.n}) än platser ({total}) / "
                        f"More people ({pb.n}) than seats ({total})")
    need = int(pb.needs_accessible.sum())
    acc = int(pb.accessible_capacity.sum())
    if need > acc:
        problems.append(f"{need} personer behöver tillgänglig plats men det finns {acc} / "
                        f"{need} people need an accessible seat but there are only {acc}")
    hosts = int(pb.host.sum())
    if hosts > len(tables):
        problems.append(f"Fler bordsvärdar ({hosts}) än bord ({len(tables)}); högst en per bord / "
                        f"More table hosts ({hosts}) than tables ({len(tables)}); at most one per table")
    for i in np.flatnonzero((pb.pinned_table >= 0) & pb.needs_accessible):
        table = tables[pb.pinned_table[i]]
        if table.accessible_capacity == 0:
            pid = pb.person_ids[i]
            problems.append(f"Bordsvärden {pid} behöver tillgänglig plats men bord {table.id} saknar det / "
                            f"Host {pid} needs an accessible seat but table {table.id} has none")
    if 0 < len(tables) <= hosts:
        # Every table has a host in every round, so nobody may be kept apart from all of them.
        host_set = set(np.flatnonzero(pb.host).tolist())
        for k in range(pb.n):
            if not pb.host[k] and host_set <= set(pb.conflicts_of(k).tolist()):
                pid = pb.person_ids[k]
                problems.append(f"{pid} ska hållas isär från alla bordsvärdar, men varje bord har en / "
                                f"{pid} must be kept apart from every table host, and every table has one")
    smallest = int(pb.seats.min()) if len(pb.seats) else 0
    degree = np.diff(pb.conflict_ptr)
    for i in np.flatnonzero(degree > 0):
        pid, d = pb.person_ids[i], int(degree[i])
        if d >= pb.n - 1 and pb.n > 1:
            problems.append(f"{pid} ska hållas isär från alla andra och kan inte dela bord med någon / "
                            f"{pid} must be kept apart from everyone else, so they cannot share a table "
                            "with anyone")
        elif d > total - smallest:
            elsewhere = total - smallest
            problems.append(f"{pid} har {d} direktrapporterande eller personer att hållas isär från, men "
                            f"bara {elsewhere} platser vid andra bord / {pid} has {d} direct reports or "
                            f"people to keep apart from, but only {elsewhere} seats at other tables")
