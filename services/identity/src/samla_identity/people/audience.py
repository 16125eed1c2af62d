"""Resolving an audience ("all managers in Utbildningsförvaltningen and below, level enhetschef") to people."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_identity.people.models import OrgUnit, Person


def subtree(*, session: Session, roots: Iterable[str]) -> set[str]:
    """The given org units and every unit below them."""
    children: dict[str | None, list[str]] = {}
    for unit_id, parent_id in session.execute(select(OrgUnit.id, OrgUnit.parent_id)):
        children.setdefault(parent_id, []).append(unit_id)
    found: set[str] = set()
    stack = list(roots)
    while stack:
        unit = stack.pop()
        if unit in found:
            continue
        found.add(unit)
        stack.extend(children.get(unit, []))
    return found


def resolve(*, session: Session, org_unit_ids: Iterable[str] = (), levels: Iterable[str] = (),
            roles: Iterable[str] = (), person_ids: Iterable[str] = (), include_inactive: bool = False) -> list[Person]:
    """People matching every given filter (org subtree, level, role), plus the hand-picked ones.

    With no filter and nobody hand-picked, the audience is everyone (the whole group of companies).
    """
    org_unit_ids, levels, roles, person_ids = list(org_unit_ids), list(levels), list(roles), list(person_ids)
    has_filter = bool(org_unit_ids or levels or roles)
    stmt = select(Person)
    if not include_inactive:
        stmt = stmt.where(Person.active.is_(True))
    people = list(session.scalars(stmt.order_by(Person.name, Person.id)))
    units = subtree(session=session, roots=org_unit_ids) if org_unit_ids else None
    wanted_roles = set(roles)
    picked = set(person_ids)

    def matches(p: Person) -> bool:
        if units is not None and p.org_unit_id not in units:
            return False
        if levels and p.level not in levels:
            return False
        return not (wanted_roles and not wanted_roles & set(p.roles or []))

    if not has_filter and not picked:
        return people
    return [p for p in people if p.id in picked or (has_filter and matches(p))]
