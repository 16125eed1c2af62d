"""Peer-network matching: groups and mentor pairs with certified bounds, checks and Swedish explanations.

Objective: the sum, over all groups, of a pair score s_ij for every pair inside a group. s_ij adds the admin's
weights for different administrations, different levels, each shared challenge, the same location, and
subtracts them for pairs who have met (or, in keep-table mode, adds them for pairs from the same table), with
no common language, or with no common availability. Every goal is a property of one pair, so the problem is
a clique partitioning and a b-matching LP (with cuts) bounds it from above (see `bound`, `relaxation`).

Entry points: `form_groups` / `run_matching` (groups), `preview_swap` / `apply_swap` (manual swaps),
`rematch` / `rematch_remainder` / `draw_leadership_groups` (later rounds), `assign_mentors` /
`stable_mentor_matching` (pairs), `form_groups_relaxed` (applies MatchingInfeasible's suggested relaxation).
"""

from samla_network.matching.bound import degree_bound, lp_bound, upper_bound
from samla_network.matching.evaluate import check_groups, explain, objective
from samla_network.matching.feasibility import check_feasible, smallest_feasible_cap, unplaceable
from samla_network.matching.groups import (
    apply_swap,
    form_groups,
    form_groups_relaxed,
    preview_swap,
    run_matching,
)
from samla_network.matching.leadership import LeadershipDraw, draw_leadership_groups
from samla_network.matching.mentor import (
    MentorPair,
    MentorResult,
    StableMatching,
    assign_mentors,
    mentor_forbidden,
    mentor_scores,
    stable_mentor_matching,
)
from samla_network.matching.model import (
    FIRST_LINE_LEVEL,
    Group,
    GroupRules,
    History,
    MatchingInfeasible,
    MatchingResult,
    MatchWeights,
    Person,
    Relaxation,
    SwapPreview,
    Violation,
    pair_key,
)
from samla_network.matching.problem import Problem, build_problem, group_sizes
from samla_network.matching.rematch import RemainderResult, previous_pairs, rematch, rematch_remainder

__all__ = [
    "FIRST_LINE_LEVEL",
    "Group",
    "GroupRules",
    "History",
    "LeadershipDraw",
    "MatchWeights",
    "MatchingInfeasible",
    "MatchingResult",
    "MentorPair",
    "MentorResult",
    "Person",
    "Problem",
    "Relaxation",
    "RemainderResult",
    "StableMatching",
    "SwapPreview",
    "Violation",
    "apply_swap",
    "assign_mentors",
    "build_problem",
    "check_feasible",
    "check_groups",
    "degree_bound",
    "draw_leadership_groups",
    "explain",
    "form_groups",
    "form_groups_relaxed",
    "group_sizes",
    "lp_bound",
    "mentor_forbidden",
    "mentor_scores",
    "objective",
    "pair_key",
    "preview_swap",
    "previous_pairs",
    "rematch",
    "rematch_remainder",
    "run_matching",
    "smallest_feasible_cap",
    "stable_mentor_matching",
    "unplaceable",
    "upper_bound",
]
