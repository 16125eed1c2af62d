"""Query parameters (RFC 7644 §3.4.2–3.4.3): filter, sort, pagination and attribute selection."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from samla_identity.scim.attributes import ResourceKind
from samla_identity.scim.errors import ScimError, invalid_path, invalid_syntax, invalid_value
from samla_identity.scim.evaluate import check, matches, sort_key
from samla_identity.scim.filters import AttrPath, Filter, parse_attr_path, parse_filter

LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
MAX_RESULTS = 1000
ALWAYS = ("id", "schemas")
Pair = tuple[ResourceKind, dict[str, Any]]


@dataclass(frozen=True)
class ListQuery:
    filter: Filter | None = None
    sort_by: AttrPath | None = None
    descending: bool = False
    start: int = 1
    count: int = MAX_RESULTS
    attributes: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()


def from_params(kind: ResourceKind, params: Mapping[str, Any]) -> ListQuery:
    """A query from URL parameters or a SearchRequest body (their names are the same)."""
    lowered = {k.lower(): v for k, v in params.items()}
    text = lowered.get("filter")
    if text is not None and not isinstance(text, str):
        raise invalid_filter_type()
    parsed = parse_filter(text) if text else None
    if parsed is not None:
        check(kind, parsed)
    sort_by = _sort_path(kind, lowered.get("sortby"))
    order = str(lowered.get("sortorder") or "ascending").lower()
    if order not in ("ascending", "descending"):
        raise invalid_value(f"sortOrder must be ascending or descending, not {order!r}.")
    start = max(1, _integer(lowered.get("startindex"), "startIndex", 1))
    count = min(MAX_RESULTS, max(0, _integer(lowered.get("count"), "count", MAX_RESULTS)))
    return ListQuery(parsed, sort_by, order == "descending", start, count,
                     names(lowered.get("attributes")), names(lowered.get("excludedattributes")))


def from_search(kind: ResourceKind, body: dict[str, Any]) -> ListQuery:
    if SEARCH_SCHEMA not in (body.get("schemas") or []):
        raise invalid_syntax(f"A search body must have schemas [\"{SEARCH_SCHEMA}\"].")
    return from_params(kind, {k: v for k, v in body.items() if k != "schemas"})


def invalid_filter_type() -> ScimError:
    return ScimError(400, "filter must be a string.", "invalidFilter")


def names(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(str(i).strip() for i in items if str(i).strip())


def select(kind: ResourceKind, resources: list[dict[str, Any]], query: ListQuery) -> list[dict[str, Any]]:
    """The resources matching the filter, in the requested order (unassigned sort values last)."""
    found = [r for r in resources if query.filter is None or matches(kind, r, query.filter)]
    return [r for _, r in sort([(kind, r) for r in found], query)]


def sort(pairs: list[Pair], query: ListQuery) -> list[Pair]:
    """By sortBy (unassigned values last in either order), ties and the unsorted by resource type and id."""
    ordered = sorted(pairs, key=lambda p: (p[0].name, str(p[1].get("id"))))
    path = query.sort_by
    if path is None:
        return ordered
    keyed = [(sort_key(kind, r, path), (kind, r)) for kind, r in ordered]
    present = sorted((k for k in keyed if not k[0][0]), key=lambda k: k[0][1], reverse=query.descending)
    return [pair for _, pair in present] + [pair for key, pair in keyed if key[0]]


def respond(pairs: list[Pair], query: ListQuery) -> dict[str, Any]:
    """One page of already selected resources as a ListResponse."""
    chosen = pairs[query.start - 1:query.start - 1 + query.count]
    return {"schemas": [LIST_SCHEMA], "totalResults": len(pairs), "startIndex": query.start,
            "itemsPerPage": len(chosen),
            "Resources": [project(kind, r, query.attributes, query.excluded) for kind, r in chosen]}


def page(kind: ResourceKind, resources: list[dict[str, Any]], query: ListQuery) -> dict[str, Any]:
    """Filters, sorts and cuts one page; the ListResponse document."""
    return respond([(kind, r) for r in select(kind, resources, query)], query)


def project(kind: ResourceKind, resource: dict[str, Any], attributes: tuple[str, ...],
            excluded: tuple[str, ...]) -> dict[str, Any]:
    """`attributes` keeps only those (plus id and schemas); `excludedAttributes` drops those."""
    if attributes:
        out = {k: resource[k] for k in ALWAYS if k in resource}
        for name in attributes:
            _copy(kind, resource, out, name)
        return out
    out = copy.deepcopy(resource)
    for name in excluded:
        _drop(kind, out, name)
    return out


def _locate(kind: ResourceKind, name: str) -> tuple[str | None, str, str | None] | None:
    ext = kind.extension(name)
    if ext is not None:
        return None, ext.id, None
    try:
        path = parse_attr_path(name)
    except ScimError:
        return None
    found = kind.resolve(path.urn, path.attr)
    if found is None:
        return None
    where, attr = found
    sub = attr.sub(path.sub) if path.sub else None
    return where, attr.name, sub.name if sub else None


def _copy(kind: ResourceKind, source: dict[str, Any], out: dict[str, Any], name: str) -> None:
    spot = _locate(kind, name)
    if spot is None:
        return
    where, attr, sub = spot
    src = source if where is None else source.get(where) or {}
    if attr not in src:
        return
    dest = out if where is None else out.setdefault(where, {})
    value = src[attr]
    if sub is None:
        dest[attr] = copy.deepcopy(value)
    elif isinstance(value, list):
        merged = dest.setdefault(attr, [{} for _ in value])
        for item, target in zip(value, merged, strict=False):
            if sub in item:
                target[sub] = item[sub]
    elif isinstance(value, dict) and sub in value:
        dest.setdefault(attr, {})[sub] = value[sub]


def _drop(kind: ResourceKind, out: dict[str, Any], name: str) -> None:
    spot = _locate(kind, name)
    if spot is None or spot[1] in ALWAYS:
        return
    where, attr, sub = spot
    container = out if where is None else out.get(where)
    if not isinstance(container, dict) or attr not in container:
        return
    if sub is None:
        container.pop(attr)
    elif isinstance(container[attr], list):
        for item in container[attr]:
            item.pop(sub, None)
    elif isinstance(container[attr], dict):
        container[attr].pop(sub, None)


def _sort_path(kind: ResourceKind, text: Any) -> AttrPath | None:
    if not text:
        return None
    try:
        path = parse_attr_path(str(text))
        found = kind.resolve(path.urn, path.attr)
    except ScimError as exc:
        raise invalid_path(f"sortBy: {exc.detail}") from exc
    if found is None:
        raise invalid_path(f"sortBy: {kind.name} has no attribute {text}.")
    attr = found[1]
    if path.sub is not None and attr.sub(path.sub) is None:
        raise invalid_path(f"sortBy: {attr.name} has no sub-attribute {path.sub}.")
    if attr.type == "complex" and path.sub is None and (not attr.multi or attr.sub("value") is None):
        raise invalid_path(f"sortBy: {text} is complex; sort by one of its sub-attributes.")
    return path


def _integer(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise invalid_value(f"{name} must be an integer, not {value!r}.") from exc
