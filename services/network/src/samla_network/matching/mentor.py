"""Mentor pairs: an optimal assignment (Hungarian-type, not greedy) and stable matching from rankings."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from samla_network.matching.model import GroupRules, History, MatchWeights, Pair, Person, pair_key
from samla_network.matching.scores import cross_forbidden, cross_scores


@dataclass(frozen=True)
class MentorPair:
    """One mentor and one mentee with their pair score."""

    mentor: str
    mentee: str
    score: float


@dataclass(frozen=True)
class MentorResult:
    """An optimal set of mentor pairs; `blocked` are forbidden pairs no allowed pairing could avoid."""

    pairs: tuple[MentorPair, ...]
    objective: float
    unmatched_mentors: tuple[str, ...]
    unmatched_mentees: tuple[str, ...]
    blocked: tuple[MentorPair, ...]
    elapsed_s: float
    solver_s: float = 0.0


def mentor_scores(*, mentors: Sequence[Person], mentees: Sequence[Person], weights: MatchWeights,
                  history: History) -> np.ndarray:
    """Returns mentor × mentee scores: the group pair score plus a bonus per year of extra experience."""
    scores = cross_scores(rows=mentors, cols=mentees, weights=weights, history=history)
    years_mentor = np.array([p.years_as_manager for p in mentors])[:, None]
    years_mentee = np.array([p.years_as_manager for p in mentees])[None, :]
    return scores + weights.mentor_experience * np.maximum(years_mentor - years_mentee, 0.0)


def mentor_forbidden(*, mentors: Sequence[Person], mentees: Sequence[Person], rules: GroupRules,
                     directory: Sequence[Person] = ()) -> np.ndarray:
    """Returns mentor × mentee pairs the rules forbid: reporting lines, kept apart, or a cap of one."""
    forbidden = cross_forbidden(rows=mentors, cols=mentees, directory=directory, apart=rules.apart)
    if rules.max_per_administration < 2:
        same = np.array([p.administration for p in mentors])[:, None] == np.array(
            [p.administration for p in mentees])[None, :]
        forbidden |= same
    # A must-together pair forbids each of its two people from pairing with anyone else.
    mentor_at = {p.id: k for k, p in enumerate(mentors)}
    mentee_at = {p.id: k for k, p in enumerate(mentees)}
    for a, b in rules.together:
        for mentor, mentee in ((a, b), (b, a)):
            if mentor in mentor_at and mentee in mentee_at:
                r, c = mentor_at[mentor], mentee_at[mentee]
                keep = forbidden[r, c]
                forbidden[r, :] = True
                forbidden[:, c] = True
                forbidden[r, c] = keep
    return forbidden


def assign_mentors(*, mentors: Sequence[Person], mentees: Sequence[Person], rules: GroupRules | None = None,
                   weights: MatchWeights | None = None, history: History | None = None,
                   directory: Sequence[Person] = ()) -> MentorResult:
    """Pairs mentors and mentees for the highest total score; unavoidable forbidden pairs are dropped."""
    started = time.monotonic()
    rules, weights, history = rules or GroupRules(), weights or MatchWeights(), history or History()
    mentors = [p for p in mentors if not p.opted_out]
    mentees = [p for p in mentees if not p.opted_out]
    if not mentors or not mentees:
        return MentorResult((), 0.0, tuple(p.id for p in mentors), tuple(p.id for p in mentees), (),
                            time.monotonic() - started)
    scores = mentor_scores(mentors=mentors, mentees=mentees, weights=weights, history=history)
    forbidden = mentor_forbidden(mentors=mentors, mentees=mentees, rules=rules, directory=directory)
    # Prohibitive: larger than any spread of total scores, so fewer forbidden pairs always wins first.
    prohibitive = (float(np.ptp(scores)) + 1.0) * (min(scores.shape) + 1)
    cost = np.where(forbidden, prohibitive, 0.0) - scores
    # Subtracting a constant from a line every assignment uses leaves the optimum unchanged and roughly halves
    # the solver's time on these near-additive scores (rows are all used when they are the fewer, and so on).
    if cost.shape[0] <= cost.shape[1]:
        cost -= cost.min(axis=1, keepdims=True)
    if cost.shape[1] <= cost.shape[0]:
        cost -= cost.min(axis=0, keepdims=True)
    solving = time.monotonic()
    rows, cols = linear_sum_assignment(cost)
    solver_s = time.monotonic() - solving
    pairs: list[MentorPair] = []
    blocked: list[MentorPair] = []
    for r, c in zip(rows, cols, strict=True):
        pair = MentorPair(mentor=mentors[r].id, mentee=mentees[c].id, score=float(scores[r, c]))
        (blocked if forbidden[r, c] else pairs).append(pair)
    paired_mentors, paired_mentees = {p.mentor for p in pairs}, {p.mentee for p in pairs}
    return MentorResult(
        pairs=tuple(pairs), objective=float(sum(p.score for p in pairs)),
        unmatched_mentors=tuple(p.id for p in mentors if p.id not in paired_mentors),
        unmatched_mentees=tuple(p.id for p in mentees if p.id not in paired_mentees),
        blocked=tuple(blocked), elapsed_s=time.monotonic() - started, solver_s=solver_s)


@dataclass(frozen=True)
class StableMatching:
    """Mentee-proposing Gale–Shapley outcome: no mentor and mentee both prefer each other to their match."""

    pairs: tuple[Pair, ...]
    unmatched_mentees: tuple[str, ...]


def stable_mentor_matching(*, mentee_preferences: Mapping[str, Sequence[str]],
                           mentor_preferences: Mapping[str, Sequence[str]],
                           capacity: Mapping[str, int] | None = None,
                           forbidden: frozenset[Pair] = frozenset()) -> StableMatching:
    """Returns the mentee-optimal stable matching; unranked or forbidden pairs are never formed."""
    rank = {m: {e: k for k, e in enumerate(prefs)} for m, prefs in mentor_preferences.items()}
    banned = {pair_key(a, b) for a, b in forbidden}
    allowed = {e: [m for m in prefs if e in rank.get(m, {}) and pair_key(e, m) not in banned]
               for e, prefs in mentee_preferences.items()}
    held: dict[str, list[str]] = {m: [] for m in mentor_preferences}
    next_choice = dict.fromkeys(allowed, 0)
    free = sorted(allowed)
    while free:
        mentee = free.pop()
        if next_choice[mentee] >= len(allowed[mentee]):
            continue
        mentor = allowed[mentee][next_choice[mentee]]
        next_choice[mentee] += 1
        held[mentor].append(mentee)
        held[mentor].sort(key=rank[mentor].__getitem__)
        if len(held[mentor]) > (capacity or {}).get(mentor, 1):
            free.append(held[mentor].pop())
    pairs = tuple(sorted((m, e) for m, es in held.items() for e in es))
    matched = {e for _, e in pairs}
    unmatched = tuple(e for e in sorted(allowed) if e not in matched)
    return StableMatching(pairs=pairs, unmatched_mentees=unmatched)
