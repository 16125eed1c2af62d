"""A Person in SCIM form and back (see the package docstring for the attribute mapping)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samla_identity.people.models import OrgUnit, Person
from samla_identity.people.schemas import PersonIn
from samla_identity.scim.attributes import CORE_USER, ENTERPRISE_USER, LEVELS, SAMLA_USER
from samla_identity.scim.errors import invalid_value
from samla_identity.scim.models import ScimUserDetails

_FIELD_NAMES = {"id": f"{SAMLA_USER}:subject", "name": "displayName", "email": "emails.value", "title": "title",
                "level": f"{SAMLA_USER}:level", "location": "addresses.locality",
                "languages": f"{SAMLA_USER}:languages", "user_name": "userName", "external_id": "externalId",
                "manager_id": "manager",
                "employee_number": f"{ENTERPRISE_USER}:employeeNumber", "org_unit_id": "department"}
_DETAIL_LIMIT = 300


@dataclass(frozen=True)
class Lookups:
    """Names needed to show references: org unit names and the managers' names, by id."""

    unit_names: dict[str, str]
    person_names: dict[str, str]


@dataclass(frozen=True)
class UserWrite:
    data: PersonIn
    active: bool
    details: dict[str, Any]


def etag(person: Person, details: ScimUserDetails | None) -> str:
    return f'W/"{person.version + (details.revision if details else 0)}"'


def to_scim(person: Person, details: ScimUserDetails | None, *, lookups: Lookups, base_url: str) -> dict[str, Any]:
    """The person as a SCIM User with the enterprise and Samla extensions."""
    rep: dict[str, Any] = {"schemas": [CORE_USER], "id": person.id, "externalId": person.external_id,
                           "userName": person.user_name or person.id}
    if details is not None and details.display_name == person.name:
        rep["name"] = _compact({"formatted": details.formatted_name, "givenName": details.given_name,
                                "familyName": details.family_name})
    languages = list(person.languages or [])
    preferred = details.preferred_language if details is not None else (languages[0] if languages else None)
    rep.update({"displayName": person.name, "title": person.title, "preferredLanguage": preferred,
                "active": person.active})
    if person.email:
        rep["emails"] = [{"value": person.email, "type": "work", "primary": True}]
    if person.location:
        rep["addresses"] = [{"locality": person.location, "type": "work", "primary": True}]
    department = None
    if details is not None and details.department and details.department_unit_id == person.org_unit_id:
        department = details.department
    elif person.org_unit_id:
        department = lookups.unit_names.get(person.org_unit_id, person.org_unit_id)
    manager = None
    if person.manager_id:
        manager = _compact({"value": person.manager_id, "$ref": f"{base_url}/Users/{person.manager_id}",
                            "displayName": lookups.person_names.get(person.manager_id)})
    extensions = {
        ENTERPRISE_USER: _compact({"employeeNumber": person.employee_number, "department": department,
                                   "manager": manager}),
        SAMLA_USER: _compact({"level": person.level, "languages": languages or None, "subject": person.id})}
    for urn, values in extensions.items():
        if values:
            rep[urn] = values
            rep["schemas"].append(urn)
    modified = max(_utc(person.updated_at), _utc(details.updated_at) if details else _utc(person.updated_at))
    rep["meta"] = {"resourceType": "User", "created": iso(person.created_at), "lastModified": iso(modified),
                   "location": f"{base_url}/Users/{person.id}", "version": etag(person, details)}
    return _compact(rep)


def from_scim(session: Session, rep: dict[str, Any], *, person_id: str, current: Person | None,
              current_details: ScimUserDetails | None) -> UserWrite:
    """What to store for a SCIM User (already normalized): the person, its active flag and the SCIM details."""
    user_name = rep.get("userName")
    if not user_name:
        raise invalid_value("userName is required: the unique sign-in name, e.g. the user's UPN.")
    name = rep.get("name") or {}
    given, family = name.get("givenName"), name.get("familyName")
    display = (rep.get("displayName") or name.get("formatted") or " ".join(p for p in (given, family) if p)
               or user_name)
    enterprise, samla = rep.get(ENTERPRISE_USER) or {}, rep.get(SAMLA_USER) or {}
    preferred = rep.get("preferredLanguage")
    languages = _languages(samla.get("languages"), preferred, current, current_details)
    level = samla.get("level")
    if level is not None and level not in LEVELS:
        raise invalid_value(f"{SAMLA_USER}:level must be one of {', '.join(LEVELS)}, not {level!r}.")
    department = enterprise.get("department")
    unit_id = resolve_department(session, department, current.org_unit_id if current else None)
    details = {"formatted_name": name.get("formatted"), "given_name": given, "family_name": family,
               "display_name": display, "department": department, "department_unit_id": unit_id,
               "preferred_language": preferred}
    for key, value in details.items():
        if value is not None and len(value) > _DETAIL_LIMIT:
            raise invalid_value(f"{key} is longer than {_DETAIL_LIMIT} characters.")
    try:
        data = PersonIn(
            id=person_id, name=display, email=_primary(rep.get("emails"), "value"), title=rep.get("title"),
            level=level, org_unit_id=unit_id,
            manager_id=_manager_id(session, enterprise.get("manager"), person_id),
            location=_primary(rep.get("addresses"), "locality"), languages=languages,
            roles=list(current.roles or []) if current else [], user_name=user_name,
            external_id=rep.get("externalId"), employee_number=enterprise.get("employeeNumber"))
    except ValidationError as exc:
        problems = "; ".join(f"{_FIELD_NAMES.get(str(e['loc'][0]), e['loc'][0])}: {str(e['msg']).rstrip('.')}"
                             for e in exc.errors() if e.get("loc"))
        raise invalid_value(f"Some attributes are invalid: {problems}.") from exc
    active = rep.get("active")
    return UserWrite(data, True if active is None else bool(active), details)


def _languages(sent: list[str] | None, preferred: str | None, current: Person | None,
               details: ScimUserDetails | None) -> list[str]:
    """Samla's languages: as sent in the extension; else, and while they only echo it, the preferredLanguage.

    Clients that do not know the Samla extension (Entra ID) set preferredLanguage alone; the languages follow
    it as long as they are exactly the earlier preferredLanguage, so a PATCH of preferredLanguage moves both.
    """
    earlier = details.preferred_language if details is not None else None
    echoed = current is not None and earlier is not None and list(current.languages or []) == [earlier]
    if sent is None or (echoed and sent == [earlier] and preferred != earlier):
        return [preferred] if preferred else []
    return sent


def resolve_department(session: Session, department: str | None, current_unit_id: str | None) -> str | None:
    """The org unit a department names: by id, else by name (the current unit wins a tie); None if unknown."""
    if not department:
        return None
    if session.get(OrgUnit, department) is not None:
        return department
    current = session.get(OrgUnit, current_unit_id) if current_unit_id else None
    if current is not None and current.name.lower() == department.lower():
        return current.id
    ids = list(session.scalars(select(OrgUnit.id).where(OrgUnit.name == department).limit(2)))
    if not ids:
        ids = list(session.scalars(select(OrgUnit.id).where(func.lower(OrgUnit.name) == department.lower()).limit(2)))
    return ids[0] if len(ids) == 1 else None


def _manager_id(session: Session, manager: dict[str, Any] | None, person_id: str) -> str | None:
    if not manager:
        return None
    value = manager.get("value") or str(manager.get("$ref") or "").rstrip("/").rpartition("/")[2] or None
    if value is None:
        return None
    if value == person_id:
        raise invalid_value("A person cannot be their own manager.")
    if session.get(Person, value) is None:
        raise invalid_value(f"manager {value!r} is not a User here; provision the manager first, then set it.")
    return value


def _primary(items: list[dict[str, Any]] | None, key: str) -> Any:
    """The primary value's `key`, else the work value's, else the first one's."""
    values = [i for i in items or [] if i.get(key)]
    chosen = (next((i for i in values if i.get("primary")), None)
              or next((i for i in values if str(i.get("type", "")).lower() == "work"), None)
              or (values[0] if values else None))
    return chosen.get(key) if chosen else None


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None and v != {} and v != []}


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def iso(value: datetime) -> str:
    return _utc(value).isoformat().replace("+00:00", "Z")
