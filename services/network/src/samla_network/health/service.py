"""The network health view for HR: are networks meeting? Counts only, k-anonymous (DESIGN §7).

A row (one matching run's networks) is shown only when at least k people are in it; a check-in rate only
when at least k answers lie behind it. When the hidden rows together hold fewer than k people, the smallest
shown row is hidden too, so the total minus the shown rows never reveals a group below k (differencing).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_network.groups.models import ACTIVE, CheckIn, Meeting, Membership, NetworkGroup
from samla_network.runs.models import MatchingRun


@dataclass
class Row:
    key: str
    name: str
    people: int = 0
    groups: int = 0
    groups_meeting: int = 0
    answers: int = 0
    met_answers: int = 0
    members: set[str] = field(default_factory=set)


def rows(*, session: Session, period: str | None) -> list[Row]:
    """One row per matching run (cohort) of active networks, with raw counts."""
    names = dict(session.execute(select(MatchingRun.id, MatchingRun.name)).tuples().all())
    by_run: dict[str, Row] = {}
    group_run: dict[str, str] = {}
    for g in session.scalars(select(NetworkGroup).where(NetworkGroup.status == ACTIVE)):
        key = g.run_id or "-"
        row = by_run.setdefault(key, Row(key=key, name=names.get(key, "Sammanslagna och manuella")))
        row.groups += 1
        group_run[g.id] = key
    for m in session.scalars(select(Membership).where(Membership.left_at.is_(None),
                                                      Membership.group_id.in_(group_run))):
        by_run[group_run[m.group_id]].members.add(m.person_id)
    meeting_groups = set(session.scalars(select(Meeting.group_id).where(Meeting.group_id.in_(group_run))))
    met_by_check_in: dict[str, bool] = defaultdict(bool)
    query = select(CheckIn).where(CheckIn.group_id.in_(group_run))
    if period:
        query = query.where(CheckIn.period == period)
    for c in session.scalars(query):
        row = by_run[group_run[c.group_id]]
        row.answers += 1
        row.met_answers += int(c.met)
        met_by_check_in[c.group_id] |= c.met
    for gid, key in group_run.items():
        if gid in meeting_groups or met_by_check_in[gid]:
            by_run[key].groups_meeting += 1
    for row in by_run.values():
        row.people = len(row.members)
    return sorted(by_run.values(), key=lambda r: r.name)


def suppress(all_rows: list[Row], *, k: int) -> tuple[list[Row], list[Row]]:
    """(rows that may be shown, rows hidden) under k, with complementary hiding against differencing."""
    hidden = [r for r in all_rows if r.people < k]
    shown = [r for r in all_rows if r.people >= k]
    while hidden and sum(r.people for r in hidden) < k and shown:
        smallest = min(shown, key=lambda r: r.people)
        shown.remove(smallest)
        hidden.append(smallest)
    return shown, hidden
