"""From what Keycloak says to what the directory should hold: groups → org units, users → people.

Pure functions: no I/O. Data problems never stop a sync; each becomes an issue in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from samla_identity.imports import messages, values
from samla_identity.keycloak_sync.client import SAMLA_ROLES, Group, Snapshot
from samla_identity.orgunits.schemas import OrgUnitIn
from samla_identity.orgunits.service import KINDS
from samla_identity.people.schemas import PersonIn

DEPTH_KINDS = ("kommunkoncern", "forvaltning", "avdelning", "enhet")  # a group's kind when it sets none
_KINDS_BY_FOLD = {values.fold(k): k for k in KINDS}


@dataclass(frozen=True)
class Issue:
    code: str
    message: str
    message_en: str
    user_id: str | None = None
    group_id: str | None = None


@dataclass(frozen=True)
class WantedPerson:
    data: PersonIn
    enabled: bool
    keep_manager: bool  # on a reporting cycle: Samla keeps the manager it has


@dataclass
class Wanted:
    """The directory as Keycloak describes it."""

    units: list[OrgUnitIn]  # parents first
    people: list[WantedPerson]
    listed_ids: set[str]  # every user Keycloak listed, including those skipped for bad data
    counted: int
    issues: list[Issue] = field(default_factory=list)


def wanted(snapshot: Snapshot) -> Wanted:
    """Maps a snapshot to org units and people, collecting every data problem as an issue."""
    issues: list[Issue] = []
    units = [_unit(g, issues) for g in snapshot.groups]
    users = {u["id"]: u for u in snapshot.users if not _is_service_account(u)}
    by_username = {str(u.get("username", "")).lower(): uid for uid, u in users.items()}
    managers = {uid: _manager(u, users, by_username, issues) for uid, u in users.items()}
    in_cycle: set[str] = set()
    for cycle in values.find_cycles(managers):
        chain = " → ".join(_label(users[i]) for i in [*cycle, cycle[0]])
        issues.append(issue("kc_manager_cycle", user_id=cycle[0], chain=chain))
        in_cycle.update(cycle)
    groups = {g.id: g for g in snapshot.groups}
    people = []
    for uid, user in users.items():
        unit = _org_unit(user, snapshot.memberships.get(uid, []), groups, issues)
        roles = _roles(uid, snapshot, groups)
        person = _person(user, manager=None if uid in in_cycle else managers[uid], unit=unit, roles=roles,
                         issues=issues)
        if person is not None:
            people.append(WantedPerson(person, bool(user.get("enabled", True)), uid in in_cycle))
    if snapshot.users_count != len(snapshot.users):
        issues.append(issue("kc_count_mismatch", count=snapshot.users_count, listed=len(snapshot.users)))
    return Wanted(units=units, people=people, listed_ids={u["id"] for u in snapshot.users},
                  counted=snapshot.users_count, issues=issues)


def issue(code: str, *, user_id: str | None = None, group_id: str | None = None, **params: Any) -> Issue:
    sv, en = messages.text(code, **params)
    return Issue(code, sv, en, user_id, group_id)


def _unit(group: Group, issues: list[Issue]) -> OrgUnitIn:
    default = DEPTH_KINDS[min(group.depth, len(DEPTH_KINDS) - 1)]
    raw = _first(group.attributes, "kind")
    kind = _KINDS_BY_FOLD.get(values.fold(raw)) if raw else default
    if kind is None:
        issues.append(issue("kc_unknown_kind", group_id=group.id, group=group.path, value=messages.shown(raw),
                             default=default))
        kind = default
    return OrgUnitIn(id=group.id, name=group.name[:300], kind=kind, parent_id=group.parent_id)


def _first(attributes: dict[str, list[str]], name: str) -> str:
    found = attributes.get(name) or []
    return str(found[0]).strip() if found else ""


def _is_service_account(user: dict[str, Any]) -> bool:
    return bool(user.get("serviceAccountClientLink")) or str(user.get("username", "")).startswith("service-account-")


def _label(user: dict[str, Any]) -> str:
    return str(user.get("username") or user["id"])


def _manager(user: dict[str, Any], users: dict[str, dict[str, Any]], by_username: dict[str, str],
             issues: list[Issue]) -> str | None:
    raw = _first(user.get("attributes") or {}, "manager")
    if not raw:
        return None
    manager = raw if raw in users else by_username.get(raw.lower())
    if manager is None:
        issues.append(issue("kc_unknown_manager", user_id=user["id"], user=_label(user), value=messages.shown(raw)))
    elif manager == user["id"]:
        issues.append(issue("kc_self_manager", user_id=user["id"], user=_label(user)))
        return None
    return manager


def _org_unit(user: dict[str, Any], member_of: list[str], groups: dict[str, Group],
              issues: list[Issue]) -> str | None:
    """The deepest group the user is in; without groups, the `department` attribute (a group id, path or name)."""
    if member_of:
        deepest = max(groups[g].depth for g in member_of)
        candidates = sorted((groups[g] for g in member_of if groups[g].depth == deepest), key=lambda g: g.path)
        if len(candidates) > 1:
            issues.append(issue("kc_several_groups", user_id=user["id"], user=_label(user),
                                 groups=", ".join(g.path for g in candidates), chosen=candidates[0].path))
        return candidates[0].id
    raw = _first(user.get("attributes") or {}, "department")
    if not raw:
        return None
    for group in groups.values():
        if raw in (group.id, group.path, group.path.lstrip("/")):
            return group.id
    named = [g for g in groups.values() if values.fold(g.name) == values.fold(raw)]
    if len(named) == 1:
        return named[0].id
    issues.append(issue("kc_unknown_group", user_id=user["id"], user=_label(user), value=messages.shown(raw)))
    return None


def _roles(user_id: str, snapshot: Snapshot, groups: dict[str, Group]) -> list[str]:
    """Samla roles held directly or through a group (members of a subgroup inherit its parents' role mappings)."""
    roles = {role for role, members in snapshot.role_members.items() if user_id in members}
    for group_id in snapshot.memberships.get(user_id, []):
        current: str | None = group_id
        while current is not None:
            roles.update(r for r in groups[current].realm_roles if r in SAMLA_ROLES)
            current = groups[current].parent_id
    return sorted(roles)


def _person(user: dict[str, Any], *, manager: str | None, unit: str | None, roles: list[str],
            issues: list[Issue]) -> PersonIn | None:
    attrs: dict[str, list[str]] = user.get("attributes") or {}
    name = " ".join(p for p in (str(user.get("firstName") or "").strip(), str(user.get("lastName") or "").strip())
                    if p)
    level_raw = _first(attrs, "level")
    level = values.normalise_level(level_raw) if level_raw else None
    if level_raw and level is None:
        issues.append(issue("kc_unknown_level", user_id=user["id"], user=_label(user),
                             value=messages.shown(level_raw)))
    locale = _first(attrs, "locale")
    fields: dict[str, Any] = {
        "id": user["id"], "name": name or user.get("username") or "", "email": user.get("email") or None,
        "title": _first(attrs, "title") or None, "level": level, "org_unit_id": unit, "manager_id": manager,
        "location": _first(attrs, "location") or None, "languages": [locale] if locale else [], "roles": roles,
        "user_name": user.get("username") or None, "employee_number": _first(attrs, "employeeNumber") or None,
    }
    try:
        return PersonIn(**fields)
    except ValidationError as exc:
        bad = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
    if bad & {"id", "name"}:
        issues.append(issue("kc_skipped_user", user_id=user["id"], user=_label(user)))
        return None
    for name_of_field in sorted(bad):
        issues.append(issue("kc_invalid_value", user_id=user["id"], user=_label(user), field=name_of_field))
        fields[name_of_field] = [] if name_of_field in ("languages", "roles") else None
    return PersonIn(**fields)

