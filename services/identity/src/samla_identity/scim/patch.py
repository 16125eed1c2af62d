"""PATCH (RFC 7644 §3.5.2) applied to a resource in its SCIM form; the caller then stores the result as a whole.

Working on the representation keeps one path for every write (POST, PUT, PATCH all end in the same
conversion), so a PATCH can reach exactly the attributes a PUT can. Entra ID habits are accepted: capitalised
op names, path-less values with URN-qualified keys, "True"/"False" strings, and `add` on
`emails[type eq "work"].value` when the person has no work address yet (the filter's values seed the new one).
"""

from __future__ import annotations

import copy
from typing import Any

from samla_identity.scim.attributes import Attr, ResourceKind, coerce
from samla_identity.scim.errors import invalid_path, invalid_syntax, invalid_value, mutability, no_target
from samla_identity.scim.evaluate import matches_item
from samla_identity.scim.filters import And, Compare, Filter, PatchPath, parse_patch_path

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
OPS = ("add", "remove", "replace")


def apply(kind: ResourceKind, resource: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The resource after every operation of a PatchOp message, in order."""
    if PATCH_SCHEMA not in (body.get("schemas") or []):
        raise invalid_syntax(f"A PATCH body must have schemas [\"{PATCH_SCHEMA}\"].")
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise invalid_syntax("A PATCH body needs a non-empty Operations list.")
    result = copy.deepcopy(resource)
    for number, operation in enumerate(operations, start=1):
        if not isinstance(operation, dict) or str(operation.get("op", "")).lower() not in OPS:
            raise invalid_syntax(f"Operation {number} needs op add, remove or replace.")
        _operation(kind, result, str(operation["op"]).lower(), operation.get("path"), operation.get("value"))
    return result


def _operation(kind: ResourceKind, rep: dict[str, Any], op: str, path: Any, value: Any) -> None:
    if path is not None and not isinstance(path, str):
        raise invalid_path("path must be a string.")
    if not path:
        if op == "remove":
            raise no_target("A remove operation needs a path naming what to remove.")
        if not isinstance(value, dict):
            raise invalid_value(f"An {op} without a path needs an object of attributes as its value.")
        for key, item in value.items():
            if key.lower() != "schemas":
                _operation(kind, rep, op, key, item)
        return
    ext = kind.extension(path)
    if ext is not None:
        if op == "remove":
            rep.pop(ext.id, None)
            return
        if not isinstance(value, dict):
            raise invalid_value(f"{ext.id} takes an object of extension attributes.")
        for key, item in value.items():
            if key.lower() != "schemas":
                _operation(kind, rep, op, f"{ext.id}:{key}", item)
        return
    _at_path(kind, rep, op, parse_patch_path(path), value)


def _at_path(kind: ResourceKind, rep: dict[str, Any], op: str, pp: PatchPath, value: Any) -> None:
    found = kind.resolve(pp.path.urn, pp.path.attr)
    if found is None:
        raise invalid_path(f"{kind.name} has no attribute {pp.path}.")
    where, attr = found
    sub_name = pp.path.sub or pp.sub
    target = attr.sub(sub_name) if sub_name else attr
    if target is None:
        raise invalid_path(f"{attr.name} has no sub-attribute {sub_name}.")
    if attr.mutability == "readOnly" or target.mutability == "readOnly":
        raise mutability(f"{pp.path} is read-only in Samla and cannot be changed.")
    if op != "remove" and value is None:
        raise invalid_value(f"{op} {pp.path} needs a value.")
    container = rep if where is None else rep.setdefault(where, {})
    _check_immutable(target if sub_name is None else attr, container.get(attr.name), value, pp)
    if pp.filter is not None:
        _filtered(kind, container, op, attr, pp, value)
    elif sub_name is not None:
        _sub_attribute(container, op, attr, target, value)
    elif op == "remove":
        _remove(container, attr, value)
    else:
        _set(container, op, attr, coerce(attr, value, str(pp.path)))


def _check_immutable(attr: Attr, current: Any, value: Any, pp: PatchPath) -> None:
    if attr.mutability == "immutable" and current is not None and value != current:
        raise mutability(f"{pp.path} is immutable: it was set at creation and cannot change.")


def _set(container: dict[str, Any], op: str, attr: Attr, value: Any) -> None:
    current = container.get(attr.name)
    if attr.multi and op == "add":
        items = list(current or [])
        items.extend(v for v in value or [] if v not in items)
        container[attr.name] = _one_primary(items)
    elif attr.type == "complex" and not attr.multi and isinstance(current, dict):
        container[attr.name] = {**current, **(value or {})}  # replace on a complex attribute merges (§3.5.2.3)
    else:
        container[attr.name] = _one_primary(value) if attr.multi else value


def _remove(container: dict[str, Any], attr: Attr, value: Any) -> None:
    if attr.multi and isinstance(value, list) and value:
        # Remove the listed values only, matched by their `value` (how clients remove one member or e-mail).
        doomed = {str(v.get("value")) for v in value if isinstance(v, dict)}
        container[attr.name] = [i for i in container.get(attr.name) or [] if str(i.get("value")) not in doomed]
    else:
        container.pop(attr.name, None)


def _sub_attribute(container: dict[str, Any], op: str, attr: Attr, sub: Attr, value: Any) -> None:
    current = container.get(attr.name)
    if attr.multi:
        items = [i for i in current or [] if isinstance(i, dict)]
        if not items and op == "add":
            items = [{}]
        for item in items:
            _assign(item, op, sub, value)
        container[attr.name] = items
        return
    item = dict(current or {})
    _assign(item, op, sub, value)
    container[attr.name] = item


def _assign(item: dict[str, Any], op: str, sub: Attr, value: Any) -> None:
    if op == "remove":
        item.pop(sub.name, None)
    else:
        item[sub.name] = coerce(sub, value, sub.name)


def _filtered(kind: ResourceKind, container: dict[str, Any], op: str, attr: Attr, pp: PatchPath,
              value: Any) -> None:
    if attr.type != "complex" or not attr.multi or pp.filter is None:
        raise invalid_path(f"{pp.path}[...] needs a multi-valued complex attribute such as emails.")
    items = [dict(i) for i in container.get(attr.name) or [] if isinstance(i, dict)]
    hits = [n for n, item in enumerate(items) if matches_item(kind, attr, item, pp.filter)]
    sub = attr.sub(pp.sub) if pp.sub else None
    if op == "remove":
        if sub is not None:
            for n in hits:
                items[n].pop(sub.name, None)
        else:
            items = [item for n, item in enumerate(items) if n not in hits]
        container[attr.name] = items
        return
    if not hits:
        seed = _equalities(pp.filter)
        if op == "replace" or seed is None:
            raise no_target(f"No value of {attr.name} matches the filter in {pp.path}[...]; "
                            "use add to create it or check the filter.")
        items.append({k: coerce(attr.sub(k) or attr, v, k) for k, v in seed.items()})
        hits = [len(items) - 1]
    for n in hits:
        if sub is not None:
            _assign(items[n], op, sub, value)
        else:
            items[n] = {**items[n], **(coerce(attr, value, attr.name)[0] if value is not None else {})}
    container[attr.name] = _one_primary(items)


def _equalities(f: Filter) -> dict[str, Any] | None:
    """`a eq x and b eq y` as {a: x, b: y}; None for any other filter."""
    if isinstance(f, Compare) and f.op == "eq" and f.path.sub is None and f.path.urn is None:
        return {f.path.attr: f.value}
    if isinstance(f, And):
        left, right = _equalities(f.left), _equalities(f.right)
        return {**left, **right} if left is not None and right is not None else None
    return None


def _one_primary(items: Any) -> Any:
    """At most one value is primary (RFC 7643 §2.4): the last one marked wins."""
    if not isinstance(items, list):
        return items
    marked = [n for n, i in enumerate(items) if isinstance(i, dict) and i.get("primary") is True]
    for n in marked[:-1]:
        items[n] = {**items[n], "primary": False}
    return items
