"""Stable mentor pairs from ranked preferences (mentee-proposing Gale–Shapley), as a run result.

People who gave no ranking rank everyone on the other side by the pair scores, so a run works with a few
rankings or none. The same hard rules as optimal mentor runs apply: reporting lines, never-together pairs and
earlier partners are never formed. The optimal assignment's total score is reported in the notes, so an admin
sees what honouring the rankings costs in score.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from samla_network.matching import (
    GroupRules,
    History,
    MatchWeights,
    Person,
    assign_mentors,
    mentor_forbidden,
    mentor_scores,
    stable_mentor_matching,
)


def _by_score(row: Sequence[float], others: Sequence[Person]) -> list[str]:
    return [others[k].id for k in sorted(range(len(others)), key=lambda k: (-row[k], others[k].id))]


def stable_pairs(*, mentors: Sequence[Person], mentees: Sequence[Person], preferences: Mapping[str, Sequence[str]],
                 rules: GroupRules, weights: MatchWeights, history: History, directory: Sequence[Person],
                 names: Mapping[str, str]) -> dict[str, Any]:
    """The stored result of a stable mentor run (kind "mentors"; members are [mentor, mentee])."""
    started = time.monotonic()
    scores = mentor_scores(mentors=mentors, mentees=mentees, weights=weights, history=history)
    banned = mentor_forbidden(mentors=mentors, mentees=mentees, rules=rules, directory=directory)
    mentor_prefs = {m.id: list(preferences.get(m.id) or _by_score(scores[r].tolist(), mentees))
                    for r, m in enumerate(mentors)}
    mentee_prefs = {e.id: list(preferences.get(e.id) or _by_score(scores[:, c].tolist(), mentors))
                    for c, e in enumerate(mentees)}
    forbidden = frozenset((mentors[r].id, mentees[c].id) for r, c in zip(*banned.nonzero(), strict=True))
    matching = stable_mentor_matching(mentee_preferences=mentee_prefs, mentor_preferences=mentor_prefs,
                                      forbidden=forbidden)
    row = {m.id: r for r, m in enumerate(mentors)}
    col = {e.id: c for c, e in enumerate(mentees)}
    groups: list[dict[str, Any]] = []
    for mentor, mentee in matching.pairs:
        choice = mentee_prefs[mentee].index(mentor) + 1
        chosen = mentor_prefs[mentor].index(mentee) + 1
        groups.append({"members": [mentor, mentee], "score": float(scores[row[mentor], col[mentee]]),
                       "explanation": f"{names[mentor]} är mentor för {names[mentee]}: adeptens val nr {choice}, "
                                      f"mentorns val nr {chosen}"})
    objective = sum(g["score"] for g in groups)
    optimal = assign_mentors(mentors=mentors, mentees=mentees, rules=rules, weights=weights, history=history,
                             directory=directory).objective
    unranked = sum(1 for p in (*mentors, *mentees) if not preferences.get(p.id))
    notes = [f"stabil matchning: ingen mentor och adept föredrar varandra framför sina par; "
             f"optimal tilldelning utan hänsyn till rangordningarna skulle ge {optimal:.2f} poäng"]
    if unranked:
        notes.append(f"{unranked} personer utan egen rangordning rangordnade den andra sidan efter profilerna")
    paired = {x for pair in matching.pairs for x in pair}
    return {"kind": "mentors", "groups": groups, "objective": objective, "upper_bound": None,
            "bound_method": "stable matching (ranked preferences; no score bound)", "violations": [],
            "stopped": False, "elapsed_seconds": time.monotonic() - started, "notes": notes,
            "unmatched": [p.id for p in (*mentors, *mentees) if p.id not in paired]}
