"""Evaluating SCIM filters and sort keys on resources in their SCIM form (RFC 7644 §3.4.2.2 and §3.4.2.3).

Rules: a comparison on a multi-valued attribute holds when any value satisfies it; a complex multi-valued
attribute compared without a sub-attribute compares its `value`; strings compare case-insensitively unless
the attribute is caseExact; `ne` is the negation of `eq` (so an absent attribute is "not equal");
`eq null` means "not present". Booleans take only eq/ne, dates compare chronologically. A comparison whose
value does not fit the attribute's type is refused as invalidFilter instead of silently matching nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from samla_identity.scim.attributes import Attr, ResourceKind
from samla_identity.scim.errors import invalid_filter, invalid_path
from samla_identity.scim.filters import And, AttrPath, Filter, Not, Or, Present, Value, ValuePath


def matches(kind: ResourceKind, resource: dict[str, Any], f: Filter) -> bool:
    """Whether `resource` (in SCIM form) satisfies the filter."""
    return _eval(kind, None, resource, f)


def matches_item(kind: ResourceKind, attr: Attr, item: dict[str, Any], f: Filter) -> bool:
    """Whether one value of the multi-valued complex attribute `attr` satisfies a value filter."""
    return _eval(kind, attr, item, f)


def check(kind: ResourceKind, f: Filter) -> None:
    """Refuses unknown attributes and misfit comparisons before any resource is read."""
    _eval(kind, None, {}, f)


def _eval(kind: ResourceKind, scope: Attr | None, resource: dict[str, Any], f: Filter) -> bool:
    if isinstance(f, And):
        left = _eval(kind, scope, resource, f.left)
        return _eval(kind, scope, resource, f.right) and left
    if isinstance(f, Or):
        left = _eval(kind, scope, resource, f.left)
        return _eval(kind, scope, resource, f.right) or left
    if isinstance(f, Not):
        return not _eval(kind, scope, resource, f.inner)
    if isinstance(f, ValuePath):
        attr, values = lookup(kind, scope, resource, f.path)
        if attr.type != "complex" or not attr.multi:
            raise invalid_filter(f"{f.path}[...] needs a multi-valued complex attribute such as emails.")
        raw = values if isinstance(values, list) else []
        if not raw:
            _eval(kind, attr, {}, f.inner)  # still refuse a bad inner filter when there is nothing to test
        return any(_eval(kind, attr, item, f.inner) for item in raw if isinstance(item, dict))
    attr, values = _leaf_values(kind, scope, resource, f.path, present_only=isinstance(f, Present))
    if isinstance(f, Present):
        return bool(values)
    return compare(attr, values, f.op, f.value, str(f.path))


def lookup(kind: ResourceKind, scope: Attr | None, resource: dict[str, Any], path: AttrPath) -> tuple[Attr, Any]:
    """The definition and raw value of `path` in `resource` (scope: the complex attribute a value filter is in)."""
    if scope is not None:
        attr = scope.sub(path.attr) if path.urn is None else None
        if attr is None or path.sub:
            raise invalid_filter(f"{scope.name} has no sub-attribute {path}.")
        return attr, resource.get(attr.name)
    found = kind.resolve(path.urn, path.attr)
    if found is None:
        raise invalid_filter(f"{kind.name} has no attribute {path}.")
    where, attr = found
    container = resource if where is None else resource.get(where) or {}
    value = container.get(attr.name)
    if path.sub is None:
        return attr, value
    sub = attr.sub(path.sub)
    if sub is None:
        raise invalid_filter(f"{attr.name} has no sub-attribute {path.sub}.")
    items = value if isinstance(value, list) else [value]
    subs = [i.get(sub.name) for i in items if isinstance(i, dict)]
    return sub, subs if attr.multi else (subs[0] if subs else None)


def _leaf_values(kind: ResourceKind, scope: Attr | None, resource: dict[str, Any], path: AttrPath, *,
                 present_only: bool) -> tuple[Attr, list[Any]]:
    attr, value = lookup(kind, scope, resource, path)
    if attr.type == "complex" and path.sub is None:
        sub = attr.sub("value") if attr.multi else None
        if sub is not None:
            attr, value = sub, [i.get("value") for i in value or [] if isinstance(i, dict)]
        elif not present_only:
            names = ", ".join(f"{path}.{s.name}" for s in attr.subs)
            raise invalid_filter(f"{path} is complex; compare one of {names}.")
    values = value if isinstance(value, list) else [value]
    return attr, [v for v in values if v not in (None, "", [], {})]


def compare(attr: Attr, values: list[Any], op: str, value: Value, where: str) -> bool:
    if value is None:
        if op not in ("eq", "ne"):
            raise invalid_filter(f"{where} {op} null: null can only be compared with eq or ne.")
        return (not values) if op == "eq" else bool(values)
    if op == "ne":
        return not compare(attr, values, "eq", value, where)
    if attr.type == "boolean":
        if not isinstance(value, bool) or op != "eq":
            raise invalid_filter(f"{where} is true or false: compare it with eq/ne and true or false.")
        return value in values
    if attr.type in ("integer", "decimal"):
        if isinstance(value, bool | str) or op in ("co", "sw", "ew"):
            raise invalid_filter(f"{where} is a number: compare it with eq, ne, gt, ge, lt or le and a number.")
        return any(_ordered(op, v, value) for v in values)
    if not isinstance(value, str):
        raise invalid_filter(f"{where} is a {attr.type}: compare it with a quoted string.")
    if attr.type == "dateTime":
        if op in ("co", "sw", "ew"):
            raise invalid_filter(f"{where} is a date: compare it with eq, ne, gt, ge, lt or le.")
        wanted = to_datetime(value, where)
        return any(_ordered(op, to_datetime(v, where), wanted) for v in values)
    wanted_text = value if attr.case_exact else value.lower()
    texts = [str(v) if attr.case_exact else str(v).lower() for v in values]
    if op == "co":
        return any(wanted_text in t for t in texts)
    if op == "sw":
        return any(t.startswith(wanted_text) for t in texts)
    if op == "ew":
        return any(t.endswith(wanted_text) for t in texts)
    return any(_ordered(op, t, wanted_text) for t in texts)


def _ordered(op: str, have: Any, wanted: Any) -> bool:
    if op == "eq":
        return bool(have == wanted)
    if op == "gt":
        return bool(have > wanted)
    if op == "ge":
        return bool(have >= wanted)
    if op == "lt":
        return bool(have < wanted)
    return bool(have <= wanted)


def to_datetime(text: str, where: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise invalid_filter(f"{where}: {text!r} is not a date-time such as 2026-11-26T09:00:00Z.") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def sort_key(kind: ResourceKind, resource: dict[str, Any], path: AttrPath) -> tuple[bool, Any]:
    """(missing, value): the first (or primary) value of `path`, compared by the attribute's rules."""
    attr, value = lookup(kind, None, resource, path)
    if attr.type == "complex" and path.sub is None:
        if not attr.multi or attr.sub("value") is None:
            raise invalid_path(f"{path} is complex; sort by one of its sub-attributes.")
        items = [i for i in value or [] if isinstance(i, dict)]
        primary = next((i for i in items if i.get("primary")), items[0] if items else None)
        attr, value = attr.sub("value") or attr, (primary or {}).get("value")
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or value == "":
        return True, ""
    if attr.type == "dateTime":
        return False, to_datetime(str(value), str(path))
    if attr.type == "string" and not attr.case_exact:
        return False, str(value).lower()
    return False, value
