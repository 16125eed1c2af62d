"""Turns a population choice into the matcher's inputs: people, reporting lines and who has met whom.

The inputs are frozen into the run as JSON when it is created (see models.MatchingRun.inputs).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_network.db import people
from samla_network.directory import attendance, org_units, seating
from samla_network.groups.models import Membership, NetworkGroup
from samla_network.matching import (
    GroupRules,
    History,
    MatchWeights,
    Person,
    previous_pairs,
    unplaceable,
)
from samla_network.matching.scores import forbidden_pairs
from samla_network.profiles import service as profiles
from samla_network.runs.schemas import ParametersIn

UNKNOWN_ADMINISTRATION = "(okänd förvaltning)"


def population_ids(*, session: Session, population: dict[str, Any]) -> list[str]:
    """The person ids a population choice names (before opt-outs and the directory are checked)."""
    kind = population["kind"]
    if kind == "event":
        return attendance.attendees(session=session, event_id=population["event_id"],
                                    checked_in_only=population.get("checked_in_only", True))
    if kind == "people":
        return list(dict.fromkeys(population["person_ids"]))
    query = select(people.c.id).where(people.c.active, people.c.erased.is_(False))
    if kind == "org_unit":
        query = query.where(people.c.org_unit_id.in_(org_units.subtree(session=session,
                                                                        unit_id=population["org_unit_id"])))
    return sorted(session.scalars(query))


def build_inputs(*, session: Session, person_ids: list[str], event_id: str | None,
                 min_group_size: int | None = None) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """(the matcher's frozen inputs for these people, the people left out and why).

    With `min_group_size` (group runs), people above so many of the others in the reporting line that no group
    of that size could hold them are left out too (reason `reporting_line`): in a whole kommun the
    kommundirektör is above everyone, and no grouping could ever be valid with them in it.
    """
    rows = {r.id: r for r in session.execute(select(people).where(people.c.id.in_(set(person_ids))))}
    saved = profiles.of_people(session=session, person_ids=set(person_ids))
    admins = org_units.administrations(session=session, unit_ids={r.org_unit_id for r in rows.values()
                                                                  if r.org_unit_id})
    chosen: list[dict[str, Any]] = []
    excluded: list[dict[str, str]] = []
    for pid in person_ids:
        row, profile = rows.get(pid), saved.get(pid)
        if row is None or row.erased:
            excluded.append({"person_id": pid, "reason": "not_in_directory"})
        elif not row.active:
            excluded.append({"person_id": pid, "reason": "inactive"})
        elif profile is not None and profile.opted_out:
            excluded.append({"person_id": pid, "reason": "opted_out"})
        else:
            chosen.append({
                "id": pid, "name": row.name,
                "administration": admins.get(row.org_unit_id or "", "") or UNKNOWN_ADMINISTRATION,
                "level": row.level or "", "location": (profile.location if profile else None) or row.location or "",
                "years_as_manager": (profile.years_as_manager if profile else None) or 0.0,
                "challenges": profile.challenges if profile else [],
                "languages": (profile.languages if profile else None) or list(row.languages or []) or ["sv"],
                "availability": profile.availability if profile else [],
                "manager_id": row.manager_id})
    managers = {r.id: r.manager_id for r in session.execute(select(people.c.id, people.c.manager_id))}
    if min_group_size is not None:
        stuck = above_too_many(chosen=chosen, managers=managers, min_group_size=min_group_size)
        chosen = [p for p in chosen if p["id"] not in stuck]
        excluded += [{"person_id": pid, "reason": "reporting_line"} for pid in sorted(stuck)]
    ids = [p["id"] for p in chosen]
    met, same_table = seating.sat_together(session=session, person_ids=ids, event_id=event_id)
    return {"people": chosen, "managers": managers, "met": sorted(met), "same_table": sorted(same_table),
            "previous_groups": previous_groups(session=session, person_ids=set(ids))}, excluded


def above_too_many(*, chosen: list[dict[str, Any]], managers: dict[str, str | None],
                   min_group_size: int) -> set[str]:
    """Ids of people who may share a group with fewer than min_group_size − 1 of the others because of
    reporting lines (the whole chain counts, as in the matcher). Leaving someone out only shrinks the others'
    choices, so the check repeats until nobody more is left out."""
    directory = [Person(id=pid, administration="", level="", location="", manager_id=boss)
                 for pid, boss in managers.items()]
    remaining = [Person(id=p["id"], administration="", level="", location="", manager_id=p["manager_id"])
                 for p in chosen]
    stuck: set[str] = set()
    while True:
        forbidden = forbidden_pairs(people=remaining, directory=directory, apart=frozenset())
        found = {remaining[k].id for k in unplaceable(forbidden=forbidden, min_size=min_group_size)}
        if not found:
            return stuck
        stuck |= found
        remaining = [p for p in remaining if p.id not in found]


def previous_groups(*, session: Session, person_ids: set[str]) -> list[list[str]]:
    """Earlier networks of these people (dissolved ones too), each as the members among them."""
    groups: dict[str, list[str]] = {}
    for m in session.scalars(select(Membership).join(NetworkGroup).where(Membership.person_id.in_(person_ids))):
        groups.setdefault(m.group_id, []).append(m.person_id)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def to_people(inputs: dict[str, Any]) -> list[Person]:
    return [Person(id=p["id"], administration=p["administration"], level=p["level"], location=p["location"],
                   years_as_manager=float(p["years_as_manager"]), challenges=frozenset(p["challenges"]),
                   languages=frozenset(p["languages"]), availability=frozenset(p["availability"]),
                   manager_id=p["manager_id"]) for p in inputs["people"]]


def directory(inputs: dict[str, Any]) -> list[Person]:
    """Everyone's reporting line, so a chain through someone outside the population still counts."""
    return [Person(id=pid, administration="", level="", location="", manager_id=boss)
            for pid, boss in inputs["managers"].items()]


def history(inputs: dict[str, Any], *, with_previous_groups: bool = True) -> History:
    met = [tuple(p) for p in inputs["met"]]
    if with_previous_groups:
        met += list(previous_pairs(groups=inputs["previous_groups"]))
    return History.of(met=met, same_table=[tuple(p) for p in inputs["same_table"]])


def rules(parameters: dict[str, Any]) -> GroupRules:
    p = ParametersIn.model_validate(parameters)
    target = p.target_size or (p.min_size + p.max_size + 1) // 2
    return GroupRules(min_size=p.min_size, max_size=p.max_size, target_size=target,
                      max_per_administration=p.max_per_administration,
                      together=frozenset(tuple(sorted(x)) for x in p.together),  # type: ignore[misc]
                      apart=frozenset(tuple(sorted(x)) for x in p.apart))  # type: ignore[misc]


def weights(parameters: dict[str, Any]) -> MatchWeights:
    return MatchWeights(**ParametersIn.model_validate(parameters).weights.model_dump())
