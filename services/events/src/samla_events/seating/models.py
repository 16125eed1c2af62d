"""The seating vocabulary: who comes, which tables exist, the plan, and what a plan is judged by."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# progress(fraction 0..1, what the planner is doing in English). A caller that wants to cancel raises from it;
# planning is pure, so nothing is left half-done.
ProgressCallback = Callable[[float, str], None]


class SeatingInfeasible(ValueError):
    """The request cannot be seated; `problems` lists every reason, each in Swedish and English."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        heading = "Placeringen går inte att genomföra / Seating is not possible:"
        super().__init__("\n- ".join([heading, *problems]))


@dataclass(frozen=True)
class Person:
    id: str
    administration_id: str
    level: str = ""
    manager_id: str | None = None
    needs_accessible_seat: bool = False
    is_table_host: bool = False
    apart_from: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    id: str
    seats: int
    accessible: bool = False
    # How many seats suit someone who needs an accessible seat; None: all seats of an accessible table.
    accessible_seats: int | None = None
    # A host pinned to this table for every round.
    host_id: str | None = None

    @property
    def accessible_capacity(self) -> int:
        if not self.accessible:
            return 0
        return self.seats if self.accessible_seats is None else min(self.accessible_seats, self.seats)


@dataclass
class SeatingPlan:
    # round number (1..R) -> table id -> person ids
    rounds: dict[int, dict[str, list[str]]]
    strategy: str = "greedy"
    seed: int = 0
    interest_round: int | None = None
    # interest round only: table id -> the shared interest its people were gathered around
    topics: dict[str, str] = field(default_factory=dict)

    def table_of(self, *, round_no: int, person_id: str) -> str | None:
        """Returns the table a person sits at in a round, or None."""
        for table_id, members in self.rounds[round_no].items():
            if person_id in members:
                return table_id
        return None


@dataclass(frozen=True)
class Violation:
    kind: str  # conflict | accessible | two_hosts | host_moved | over_capacity | not_seated | seated_twice
    round_no: int
    table_id: str | None
    person_ids: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class RoundFigures:
    round_no: int
    tables_used: int
    same_administration_pairs: int
    same_administration_pairs_bound: int
    same_level_pairs: int
    same_level_pairs_bound: int


@dataclass(frozen=True)
class QualityReport:
    people: int
    rounds: int
    repeated_pairs: int
    repeated_pairs_bound: int
    repeat_free_round_limit: int
    per_round: tuple[RoundFigures, ...]
    contacts_min: int
    contacts_mean: float
    contacts_max_possible: int
    violations: tuple[Violation, ...]
    tables_without_host: int
    interest_matched: int | None = None

    @property
    def hard_violations(self) -> int:
        return len(self.violations)

    @property
    def same_administration_pairs(self) -> int:
        return sum(r.same_administration_pairs for r in self.per_round)

    @property
    def same_administration_pairs_bound(self) -> int:
        return sum(r.same_administration_pairs_bound for r in self.per_round)


@dataclass(frozen=True)
class Move:
    round_no: int
    person_id: str
    from_table: str | None  # None: a walk-in placed for the first time
    to_table: str | None  # None: a no-show taken off the table


@dataclass(frozen=True)
class ChangeResult:
    plan: SeatingPlan
    moves: tuple[Move, ...]  # only people who were already seated and now sit elsewhere
    placed: tuple[Move, ...]  # walk-ins seated and no-shows removed
    report: QualityReport


@dataclass(frozen=True)
class SwapConsequences:
    round_no: int
    person_a: str
    person_b: str
    table_a: str
    table_b: str
    new_repeated_pairs: tuple[tuple[str, str], ...]
    resolved_repeated_pairs: tuple[tuple[str, str], ...]
    new_violations: tuple[Violation, ...]
    resolved_violations: tuple[Violation, ...]
    same_administration_pairs_delta: int
    same_level_pairs_delta: int
