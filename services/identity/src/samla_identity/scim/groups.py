"""SCIM Groups are org units. Members are read-only: the active people placed in the unit.

Writes go through orgunits.service (which publishes identity.orgunit.v1), and only when the name, kind or
parent really change, so an identical PUT publishes nothing. externalId and the version are kept here:
the version moves on every change and is the Group's ETag. A Group without the Samla extension keeps its
kind and parent (Entra ID knows neither); a new one without it is an `enhet` at the top of the tree.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from samla_identity import events
from samla_identity.orgunits import service as orgunits
from samla_identity.orgunits.schemas import OrgUnitIn
from samla_identity.people.models import OrgUnit, Person
from samla_identity.scim import listing, patch, versions
from samla_identity.scim.attributes import CORE_GROUP, GROUP, SAMLA_GROUP, normalize
from samla_identity.scim.errors import ScimError, invalid_syntax, invalid_value, not_found
from samla_identity.scim.user_map import iso


def etag(unit: OrgUnit) -> str:
    return f'W/"{unit.version}"'


def get(*, session: Session, group_id: str, base_url: str) -> dict[str, Any]:
    """One org unit in SCIM form."""
    return _render(session, [_load(session, group_id)], base_url)[0]


def create(*, session: Session, body: dict[str, Any], base_url: str) -> dict[str, Any]:
    """Creates an org unit from a SCIM Group (POST)."""
    unit = _store(session, str(uuid.uuid4()), _resource(body), None)
    return _render(session, [unit], base_url)[0]


def replace(*, session: Session, group_id: str, body: dict[str, Any], if_match: str | None,
            base_url: str) -> dict[str, Any]:
    """Replaces an org unit's name, kind, parent and externalId (PUT)."""
    unit = _load(session, group_id, lock=True)
    versions.require(if_match, etag(unit), f"Group {group_id}")
    return _render(session, [_store(session, unit.id, _resource(body), unit)], base_url)[0]


def modify(*, session: Session, group_id: str, body: dict[str, Any], if_match: str | None,
           base_url: str) -> dict[str, Any]:
    """Applies a PatchOp to the org unit's SCIM form and stores the result."""
    unit = _load(session, group_id, lock=True)
    versions.require(if_match, etag(unit), f"Group {group_id}")
    current = _render(session, [unit], base_url)[0]
    rep = normalize(GROUP, patch.apply(GROUP, current, body))
    return _render(session, [_store(session, unit.id, rep, unit)], base_url)[0]


def delete(*, session: Session, group_id: str, if_match: str | None) -> None:
    """Removes an empty org unit and publishes its removal; one with people or sub-units is refused."""
    unit = _load(session, group_id, lock=True)
    versions.require(if_match, etag(unit), f"Group {group_id}")
    if session.scalar(select(exists().where(Person.org_unit_id == unit.id))):
        raise ScimError(409, f"Group {unit.id} ({unit.name}) still has people placed in it (active or not); "
                             "move them to another department first.")
    if session.scalar(select(exists().where(OrgUnit.parent_id == unit.id))):
        raise ScimError(409, f"Group {unit.id} ({unit.name}) has sub-units; move or remove them first.")
    session.delete(unit)
    session.flush()
    events.writer.add(session, topic=events.ORGUNIT_TOPIC, type=events.ORGUNIT_REMOVED, key=unit.id,
                      data={"id": unit.id, "removed_at": iso(datetime.now(UTC))})


def search(*, session: Session, query: listing.ListQuery, base_url: str) -> dict[str, Any]:
    """A page of org units matching the query."""
    return listing.respond([(GROUP, r) for r in matching(session=session, query=query, base_url=base_url)], query)


def matching(*, session: Session, query: listing.ListQuery, base_url: str) -> list[dict[str, Any]]:
    """Every org unit matching the query's filter, in its order."""
    return listing.select(GROUP, _render(session, list(session.scalars(select(OrgUnit))), base_url), query)


def _resource(body: dict[str, Any]) -> dict[str, Any]:
    if CORE_GROUP not in (body.get("schemas") or []):
        raise invalid_syntax(f"A Group must have schemas [\"{CORE_GROUP}\", ...].")
    return normalize(GROUP, body)


def _load(session: Session, group_id: str, *, lock: bool = False) -> OrgUnit:
    unit = session.get(OrgUnit, group_id, with_for_update=lock)
    if unit is None:
        raise not_found(f"No Group with id {group_id!r}.")
    return unit


def _store(session: Session, unit_id: str, rep: dict[str, Any], current: OrgUnit | None) -> OrgUnit:
    name = rep.get("displayName")
    if not name:
        raise invalid_value("displayName is required: the org unit's name.")
    kind, parent_id = (current.kind, current.parent_id) if current is not None else ("enhet", None)
    if SAMLA_GROUP in rep:
        extension = rep[SAMLA_GROUP]
        kind = extension.get("kind") or "enhet"
        parent = extension.get("parent") or {}
        parent_id = parent.get("value") or str(parent.get("$ref") or "").rstrip("/").rpartition("/")[2] or None
    try:
        data = OrgUnitIn(id=unit_id, name=name, kind=kind, parent_id=parent_id)
    except ValidationError as exc:
        problems = "; ".join(f"{e['loc'][0] if e.get('loc') else ''}: {str(e['msg']).rstrip('.')}"
                             for e in exc.errors())
        raise invalid_value(f"Some attributes are invalid: {problems}.") from exc
    external_id = rep.get("externalId")
    if current is None:
        unit = orgunits.upsert(session=session, data=data)[0]
    elif (current.name, current.kind, current.parent_id) != (name, kind, parent_id):
        unit = orgunits.upsert(session=session, data=data)[0]
        unit.version += 1
    elif current.external_id != external_id:
        unit = current
        unit.version += 1
        unit.updated_at = datetime.now(UTC)
    else:
        return current
    unit.external_id = external_id
    session.flush()
    return unit


def _render(session: Session, units: list[OrgUnit], base_url: str) -> list[dict[str, Any]]:
    ids = [u.id for u in units]
    members: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    names = {u.id: u.name for u in units}
    stmt = (select(Person.id, Person.name, Person.org_unit_id)
            .where(Person.active.is_(True), Person.org_unit_id.is_not(None)).order_by(Person.id))
    if len(ids) <= 100:
        stmt = stmt.where(Person.org_unit_id.in_(ids))
    for person_id, person_name, unit_id in session.execute(stmt):
        if unit_id in members:
            members[unit_id].append({"value": person_id, "$ref": f"{base_url}/Users/{person_id}",
                                     "display": person_name, "type": "User"})
    parent_ids = {u.parent_id for u in units if u.parent_id and u.parent_id not in names}
    if parent_ids:
        names.update({i: n for i, n in session.execute(select(OrgUnit.id, OrgUnit.name)
                                                       .where(OrgUnit.id.in_(parent_ids)))})
    return [_to_scim(u, members[u.id], names, base_url) for u in units]


def _to_scim(unit: OrgUnit, members: list[dict[str, Any]], names: dict[str, str], base_url: str) -> dict[str, Any]:
    extension: dict[str, Any] = {"kind": unit.kind}
    if unit.parent_id:
        extension["parent"] = {"value": unit.parent_id, "$ref": f"{base_url}/Groups/{unit.parent_id}",
                               "display": names.get(unit.parent_id, unit.parent_id)}
    rep: dict[str, Any] = {"schemas": [CORE_GROUP, SAMLA_GROUP], "id": unit.id, "displayName": unit.name}
    if unit.external_id:
        rep["externalId"] = unit.external_id
    if members:
        rep["members"] = members
    rep[SAMLA_GROUP] = extension
    rep["meta"] = {"resourceType": "Group", "lastModified": iso(unit.updated_at),
                   "location": f"{base_url}/Groups/{unit.id}", "version": etag(unit)}
    return rep
