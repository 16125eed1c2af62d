"""Changes to published networks: a member leaves (the remainder is re-matched), dissolve, merge."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict
from samla_network.errors import invalid
from samla_network.groups import messages
from samla_network.groups import service as groups
from samla_network.groups.models import ACTIVE, DISSOLVED, Membership, NetworkGroup
from samla_network.matching import GroupRules, rematch_remainder
from samla_network.runs import inputs as run_inputs
from samla_network.topics import utcnow


@dataclass
class LeaveOutcome:
    """What a departure changed: who moved where, and groups dissolved because they became too small."""

    moved: dict[str, str] = field(default_factory=dict)  # person id → group id
    dissolved: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)


def _require_active(group: NetworkGroup) -> None:
    if group.status != ACTIVE:
        raise Conflict("The network is dissolved; nothing in it can change.")


def _end(session: Session, *, group_id: str, person_ids: set[str], reason: str) -> None:
    now = utcnow()
    for m in groups.memberships(session=session, group_id=group_id):
        if m.person_id in person_ids:
            m.left_at, m.left_reason = now, reason


def leave(*, session: Session, group_id: str, person_id: str, reason: str = "left") -> LeaveOutcome:
    """Ends a membership; a group left below its run's minimum size is re-matched into its sibling groups."""
    group = groups.get(session=session, group_id=group_id, lock=True)
    _require_active(group)
    if person_id not in groups.member_ids(session=session, group_id=group_id):
        raise invalid("person_id", f"{person_id} is not a member of this network")
    _end(session, group_id=group_id, person_ids={person_id}, reason=reason)
    remaining = groups.memberships(session=session, group_id=group_id)
    run = groups.run_of(session=session, group=group)
    rules = run_inputs.rules(run.parameters) if run is not None else GroupRules()
    now = utcnow()
    outcome = LeaveOutcome()
    if group.kind == "mentor_pair" or len(remaining) >= rules.min_size or run is None:
        messages.membership_changed(session, group=group, memberships=remaining, joined=[], left=[person_id],
                                    reason=reason, at=now)
        if group.kind == "mentor_pair" and not remaining:
            _dissolve(session, group=group, reason="empty")
        return outcome
    return _regroup(session=session, group=group, run_parameters=run.parameters, run_inputs_=run.inputs,
                    left=person_id, reason=reason)


def _regroup(*, session: Session, group: NetworkGroup, run_parameters: dict, run_inputs_: dict,
             left: str, reason: str) -> LeaveOutcome:
    """Re-matches the remainder of a too-small group into the other active groups of its run (the library's
    rematch_remainder); people who fit nowhere stay together in the smaller group."""
    siblings = groups.listing(session=session, run_id=group.run_id, status=ACTIVE)
    before = {g.id: set(groups.member_ids(session=session, group_id=g.id)) for g in siblings}
    everyone = {p.id: p for p in run_inputs.to_people(run_inputs_)}
    members = [pid for ids in before.values() for pid in ids]
    missing = [pid for pid in members if pid not in everyone]
    if missing:  # joined after the run (a merge): match them on what the directory says now
        extra, _ = run_inputs.build_inputs(session=session, person_ids=missing, event_id=None)
        everyone.update({p.id: p for p in run_inputs.to_people({**extra, "managers": {}})})
    result = rematch_remainder(
        people=[everyone[pid] for pid in members if pid in everyone], groups=[sorted(ids) for ids in before.values()],
        dropped=[left], rules=run_inputs.rules(run_parameters), weights=run_inputs.weights(run_parameters),
        history=run_inputs.history(run_inputs_), directory=run_inputs.directory(run_inputs_))
    outcome = LeaveOutcome(unplaced=list(result.unplaced))
    now = utcnow()
    joined: dict[str, list[str]] = defaultdict(list)
    left_by: dict[str, list[str]] = defaultdict(list, {group.id: [left]})
    for new in result.groups:
        home = max(before, key=lambda gid, new=new: len(before[gid] & set(new.members)))  # type: ignore[misc]
        for pid in new.members:
            origin = next(gid for gid, ids in before.items() if pid in ids)
            if origin != home:
                _end(session, group_id=origin, person_ids={pid}, reason="regrouped")
                _join(session, group_id=home, person_id=pid, now=now)
                joined[home].append(pid)
                left_by[origin].append(pid)
                outcome.moved[pid] = home
    session.flush()
    for g in siblings:
        if g.id in joined or g.id in left_by:
            current = groups.memberships(session=session, group_id=g.id)
            messages.membership_changed(session, group=g, memberships=current, joined=joined[g.id],
                                        left=left_by[g.id], reason=reason if g.id == group.id else "regrouped",
                                        at=now)
            if not current:
                _dissolve(session, group=g, reason="too_small")
                outcome.dissolved.append(g.id)
    return outcome


def _join(session: Session, *, group_id: str, person_id: str, now: datetime) -> None:
    """Adds a member; someone who was in the group before and left gets their old row back (one row per pair)."""
    old = session.scalar(select(Membership).where(Membership.group_id == group_id,
                                                  Membership.person_id == person_id))
    if old is None:
        session.add(Membership(group_id=group_id, person_id=person_id, role="member", joined_at=now))
    else:
        old.left_at, old.left_reason, old.joined_at = None, None, now


def _dissolve(session: Session, *, group: NetworkGroup, reason: str) -> None:
    now = utcnow()
    _end(session, group_id=group.id, person_ids=set(groups.member_ids(session=session, group_id=group.id)),
         reason="dissolved")
    group.status, group.dissolved_at = DISSOLVED, now
    messages.dissolved(session, group=group, reason=reason, at=now)


def dissolve(*, session: Session, group_id: str) -> NetworkGroup:
    """Ends a network: every membership ends (history keeps who was in it)."""
    group = groups.get(session=session, group_id=group_id, lock=True)
    _require_active(group)
    _dissolve(session, group=group, reason="dissolved")
    session.flush()
    return group


def merge(*, session: Session, group_id: str, other_id: str) -> NetworkGroup:
    """Moves every member of `other_id` into `group_id` and dissolves the other group."""
    if group_id == other_id:
        raise invalid("other_group_id", "a network cannot be merged with itself")
    target = groups.get(session=session, group_id=group_id, lock=True)
    other = groups.get(session=session, group_id=other_id, lock=True)
    _require_active(target)
    _require_active(other)
    if target.kind != other.kind:
        raise Conflict("A peer group and a mentor pair cannot be merged.")
    now = utcnow()
    incoming = groups.member_ids(session=session, group_id=other_id)
    already = set(groups.member_ids(session=session, group_id=group_id))
    for pid in incoming:
        if pid not in already:
            _join(session, group_id=group_id, person_id=pid, now=now)
    session.flush()
    other.merged_into = target.id
    _dissolve(session, group=other, reason="merged")
    messages.membership_changed(session, group=target, memberships=groups.memberships(session=session,
                                                                                       group_id=group_id),
                                joined=[p for p in incoming if p not in already], left=[], reason="merged", at=now)
    session.flush()
    return target
