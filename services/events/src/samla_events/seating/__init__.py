"""Round-table seating for a chefsdag: who sits where in each dialogue round.

Pure logic, no I/O: routers, gRPC servicers and Kafka handlers call these functions and translate.
"""

from samla_events.seating.bounds import (
    design_primes,
    design_sizes,
    repeat_free_round_limit,
    repeated_pairs_bound,
    same_group_pairs_bound,
)
from samla_events.seating.changes import absorb_changes
from samla_events.seating.models import (
    ChangeResult,
    Move,
    Person,
    ProgressCallback,
    QualityReport,
    RoundFigures,
    SeatingInfeasible,
    SeatingPlan,
    SwapConsequences,
    Table,
    Violation,
)
from samla_events.seating.quality import quality_report
from samla_events.seating.service import plan_seating
from samla_events.seating.swaps import apply_swap, swap_consequences

__all__ = [
    "ChangeResult",
    "Move",
    "Person",
    "ProgressCallback",
    "QualityReport",
    "RoundFigures",
    "SeatingInfeasible",
    "SeatingPlan",
    "SwapConsequences",
    "Table",
    "Violation",
    "absorb_changes",
    "apply_swap",
    "design_primes",
    "design_sizes",
    "plan_seating",
    "quality_report",
    "repeat_free_round_limit",
    "repeated_pairs_bound",
    "same_group_pairs_bound",
    "swap_consequences",
]
