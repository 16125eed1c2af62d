"""Inputs, settings and results of a matching run (pure data, no behaviour)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

Pair = tuple[str, str]
ProgressCallback = Callable[[float, float], None]
ViolationKind = Literal["reporting_line", "apart", "together", "administration_cap", "size", "coverage"]

FIRST_LINE_LEVEL = "enhetschef"


def pair_key(a: str, b: str) -> Pair:
    """Returns the pair in a canonical (sorted) order so history lookups ignore direction."""
    return (a, b) if a <= b else (b, a)


@dataclass(frozen=True)
class Person:
    """A manager as the matcher sees them."""

    id: str
    administration: str
    level: str
    location: str
    years_as_manager: float = 0.0
    challenges: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset({"sv"})
    availability: frozenset[str] = frozenset()
    opted_out: bool = False
    manager_id: str | None = None


@dataclass(frozen=True)
class History:
    """Who has met whom: `met` from chefsdag tables or past networks, `same_table` at the latest day."""

    met: frozenset[Pair] = frozenset()
    same_table: frozenset[Pair] = frozenset()

    @staticmethod
    def of(*, met: Iterable[Pair] = (), same_table: Iterable[Pair] = ()) -> History:
        """Builds a history from any iterables of pairs, normalising their order."""
        return History(met=frozenset(pair_key(a, b) for a, b in met),
                       same_table=frozenset(pair_key(a, b) for a, b in same_table))


@dataclass(frozen=True)
class MatchWeights:
    """Admin-tunable weights of the pair score; every term is a property of one pair."""

    mix_administrations: float = 1.0
    mix_levels: float = 0.5
    shared_challenges: float = 1.0
    history: float = 2.0
    history_mode: Literal["avoid", "keep_table"] = "avoid"
    same_location: float = 0.5
    common_language: float = 1.0
    common_availability: float = 0.5
    mentor_experience: float = 0.1


@dataclass(frozen=True)
class GroupRules:
    """Hard constraints of a group matching run."""

    min_size: int = 4
    max_size: int = 6
    target_size: int = 5
    max_per_administration: int = 2
    together: frozenset[Pair] = frozenset()
    apart: frozenset[Pair] = frozenset()


@dataclass(frozen=True)
class Relaxation:
    """A change of the rules that makes an infeasible run feasible."""

    rules: GroupRules
    description: str


class MatchingInfeasible(ValueError):
    """The rules cannot all be satisfied; carries what fails and the smallest relaxation found."""

    def __init__(self, explanation: str, relaxation: Relaxation | None) -> None:
        detail = explanation if relaxation is None else f"{explanation} {relaxation.description}"
        super().__init__(detail)
        self.explanation = explanation
        self.relaxation = relaxation


@dataclass(frozen=True)
class Violation:
    """One broken hard constraint in a grouping."""

    kind: ViolationKind
    people: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class Group:
    """A formed peer group with its score and a short Swedish explanation."""

    members: tuple[str, ...]
    score: float
    explanation: str


@dataclass(frozen=True)
class MatchingResult:
    """Outcome of a run: the groups, objective, a certified upper bound and the constraint check."""

    groups: tuple[Group, ...]
    objective: float
    upper_bound: float
    bound_method: str
    violations: tuple[Violation, ...]
    elapsed_s: float
    stopped: bool = False
    iterations: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def gap(self) -> float:
        """Certified relative gap (bound − objective) / |bound|; the optimum lies within it."""
        if self.upper_bound == 0:
            return 0.0
        return (self.upper_bound - self.objective) / abs(self.upper_bound)


@dataclass(frozen=True)
class SwapPreview:
    """Consequences of swapping two people between groups, before it is applied."""

    person_a: str
    person_b: str
    objective_delta: float
    new_objective: float
    new_violations: tuple[Violation, ...]
    resolved_violations: tuple[Violation, ...]
