"""SCIM Users: every write goes through people.service, so each real change publishes identity.person.v1 once."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from samla_identity.people import service as people
from samla_identity.people.models import OrgUnit, Person
from samla_identity.scim import listing, patch, versions
from samla_identity.scim.attributes import CORE_USER, SAMLA_USER, USER, normalize
from samla_identity.scim.errors import invalid_syntax, mutability, not_found, uniqueness
from samla_identity.scim.evaluate import to_datetime
from samla_identity.scim.filters import And, Compare, Filter
from samla_identity.scim.models import ScimUserDetails
from samla_identity.scim.sql import folded_equals
from samla_identity.scim.user_map import Lookups, etag, from_scim, to_scim

Row = tuple[Person, ScimUserDetails | None]


def get(*, session: Session, user_id: str, base_url: str) -> dict[str, Any]:
    """One user in SCIM form; 404 for unknown and SCIM-deleted people."""
    return _render(session, [_load(session, user_id)], base_url)[0]


def create(*, session: Session, body: dict[str, Any], base_url: str) -> dict[str, Any]:
    """Creates a person from a SCIM User (POST); a userName already taken is a 409 uniqueness error."""
    rep = _resource(body)
    subject = (rep.get(SAMLA_USER) or {}).get("subject")
    taken = _user_name_owner(session, str(rep.get("userName") or ""), exclude=None)
    target = taken or (session.get(Person, subject) if subject else None)
    current, details = None, None
    if target is not None:
        details = session.get(ScimUserDetails, target.id)
        if details is None or details.deleted_at is None:
            what = f"userName {rep.get('userName')!r}" if taken else f"subject {subject!r}"
            raise uniqueness(f"{what} already belongs to User {target.id}; find it with "
                             f"filter=userName eq \"...\" and change it with PUT or PATCH instead.")
        current = target  # a SCIM-deleted person provisioned again comes back with their history
    person_id = current.id if current else subject or str(uuid.uuid4())
    stored = _store(session, person_id, rep, current, details, user_name_free=taken is None)
    return _render(session, [stored], base_url)[0]


def replace(*, session: Session, user_id: str, body: dict[str, Any], if_match: str | None,
            base_url: str) -> dict[str, Any]:
    """Replaces a user's attributes (PUT); an identical PUT changes and publishes nothing."""
    person, details = _load(session, user_id, lock=True)
    versions.require(if_match, etag(person, details), f"User {user_id}")
    rep = _resource(body)
    _keep_subject(rep, person.id)
    return _render(session, [_store(session, person.id, rep, person, details)], base_url)[0]


def modify(*, session: Session, user_id: str, body: dict[str, Any], if_match: str | None,
           base_url: str) -> dict[str, Any]:
    """Applies a PatchOp to the user's SCIM form and stores the result."""
    person, details = _load(session, user_id, lock=True)
    versions.require(if_match, etag(person, details), f"User {user_id}")
    current = _render(session, [(person, details)], base_url)[0]
    rep = normalize(USER, patch.apply(USER, current, body))
    return _render(session, [_store(session, person.id, rep, person, details)], base_url)[0]


def delete(*, session: Session, user_id: str, if_match: str | None) -> None:
    """Deactivates the person (kept for history) and hides them from SCIM: later requests answer 404."""
    person, details = _load(session, user_id, lock=True)
    versions.require(if_match, etag(person, details), f"User {user_id}")
    if person.active:
        people.deactivate(session=session, person_id=person.id, source="scim")
    now = datetime.now(UTC)
    if details is None:
        details = ScimUserDetails(person_id=person.id, revision=0, display_name=person.name, updated_at=now)
        session.add(details)
    details.deleted_at, details.updated_at = now, now
    session.flush()


def search(*, session: Session, query: listing.ListQuery, base_url: str) -> dict[str, Any]:
    """A page of users matching the query."""
    return listing.respond([(USER, r) for r in matching(session=session, query=query, base_url=base_url)], query)


def matching(*, session: Session, query: listing.ListQuery, base_url: str) -> list[dict[str, Any]]:
    """Every user matching the query's filter, in its order."""
    stmt: Select[tuple[Person, ScimUserDetails]] = (
        select(Person, ScimUserDetails).outerjoin(ScimUserDetails, ScimUserDetails.person_id == Person.id)
        .where(ScimUserDetails.deleted_at.is_(None)))
    for condition in _narrowing(session, query.filter):
        stmt = stmt.where(condition)
    rows: list[Row] = [(p, d) for p, d in session.execute(stmt).all()]
    return listing.select(USER, _render(session, rows, base_url), query)


def _resource(body: dict[str, Any]) -> dict[str, Any]:
    if CORE_USER not in (body.get("schemas") or []):
        raise invalid_syntax(f"A User must have schemas [\"{CORE_USER}\", ...].")
    return normalize(USER, body)


def _keep_subject(rep: dict[str, Any], person_id: str) -> None:
    subject = (rep.get(SAMLA_USER) or {}).get("subject")
    if subject is not None and subject != person_id:
        raise mutability(f"{SAMLA_USER}:subject is immutable: it is {person_id!r}, not {subject!r}.")


def _load(session: Session, user_id: str, *, lock: bool = False) -> Row:
    person = session.get(Person, user_id, with_for_update=lock)
    details = session.get(ScimUserDetails, user_id) if person is not None else None
    if person is None or (details is not None and details.deleted_at is not None):
        raise not_found(f"No User with id {user_id!r}.")
    return person, details


def _store(session: Session, person_id: str, rep: dict[str, Any], current: Person | None,
           details: ScimUserDetails | None, *, user_name_free: bool = False) -> Row:
    write = from_scim(session, rep, person_id=person_id, current=current, current_details=details)
    owner = None if user_name_free else _user_name_owner(session, str(write.data.user_name), exclude=person_id)
    if owner is not None:
        raise uniqueness(f"userName {write.data.user_name!r} already belongs to User {owner.id}.")
    deactivating = current is not None and current.active and not write.active
    result = people.upsert(session=session, data=write.data, source="scim", active=write.active or deactivating)
    if deactivating:
        people.deactivate(session=session, person_id=person_id, source="scim")
    now = datetime.now(UTC)
    if details is None:
        details = ScimUserDetails(person_id=person_id, revision=0, updated_at=now)
        session.add(details)
    changed = {k: v for k, v in write.details.items() if getattr(details, k) != v}
    if changed or details.deleted_at is not None:
        for key, value in changed.items():
            setattr(details, key, value)
        details.deleted_at, details.updated_at = None, now
        if result.outcome == "unchanged" and not deactivating:
            details.revision += 1  # only SCIM details changed: the ETag must still move
    session.flush()
    return result.person, details


def _user_name_owner(session: Session, user_name: str, *, exclude: str | None) -> Person | None:
    if not user_name:
        return None
    stmt = select(Person).where(folded_equals(session, Person.user_name, user_name))
    if exclude is not None:
        stmt = stmt.where(Person.id != exclude)
    return session.scalars(stmt.limit(1)).first()


def _render(session: Session, rows: list[Row], base_url: str) -> list[dict[str, Any]]:
    people_ = [p for p, _ in rows]
    units = _names(session, OrgUnit, {p.org_unit_id for p in people_ if p.org_unit_id})
    managers = _names(session, Person, {p.manager_id for p in people_ if p.manager_id})
    lookups = Lookups(units, managers)
    return [to_scim(p, d, lookups=lookups, base_url=base_url) for p, d in rows]


def _names(session: Session, model: type[Person] | type[OrgUnit], ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(ids)
    if len(wanted) <= 5:  # one resource: usually already in the session's identity map, so no query
        found = [session.get(model, i) for i in wanted]
        return {f.id: f.name for f in found if isinstance(f, Person | OrgUnit)}
    out: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        out.update({i: n for i, n in session.execute(select(model.id, model.name).where(model.id.in_(chunk)))})
    return out


def _narrowing(session: Session, f: Filter | None) -> list[Any]:
    """SQL conditions every match satisfies (a superset); the filter itself is then evaluated exactly."""
    if isinstance(f, And):
        return _narrowing(session, f.left) + _narrowing(session, f.right)
    if not isinstance(f, Compare) or f.value is None:
        return []
    if f.path.urn is not None and f.path.urn.lower() != CORE_USER.lower():
        return []
    name, sub, value = f.path.attr.lower(), (f.path.sub or "").lower(), f.value
    if f.op == "eq" and isinstance(value, str) and not sub:
        if name == "username":
            return [or_(folded_equals(session, Person.user_name, value),
                        and_(Person.user_name.is_(None), folded_equals(session, Person.id, value)))]
        if name == "externalid":
            return [Person.external_id == value]
        if name == "id":
            return [Person.id == value]
    if f.op == "eq" and isinstance(value, str) and name == "emails" and sub in ("", "value"):
        return [folded_equals(session, Person.email, value)]
    if f.op == "eq" and isinstance(value, bool) and name == "active" and not sub:
        return [Person.active.is_(value)]
    if f.op in ("gt", "ge") and isinstance(value, str) and name == "meta" and sub == "lastmodified":
        since = to_datetime(value, "meta.lastModified").astimezone(UTC)
        return [or_(Person.updated_at >= since, ScimUserDetails.updated_at >= since)]
    return []
