"""SCIM filters: the parser against hand-written trees, and the evaluator against a plain reference (hypothesis)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samla_identity.scim.attributes import ENTERPRISE_USER, USER
from samla_identity.scim.errors import ScimError
from samla_identity.scim.evaluate import matches
from samla_identity.scim.filters import (
    And,
    AttrPath,
    Compare,
    Filter,
    Not,
    Or,
    Present,
    ValuePath,
    parse_filter,
    parse_patch_path,
    render,
)

EMPLOYEE = AttrPath(ENTERPRISE_USER, "employeeNumber")
BASE = datetime(2026, 11, 26, tzinfo=UTC)


def test_precedence_is_not_then_and_then_or() -> None:
    parsed = parse_filter('userName eq "a" or title pr and not (active eq false)')
    assert parsed == Or(Compare(AttrPath(None, "userName"), "eq", "a"),
                        And(Present(AttrPath(None, "title")), Not(Compare(AttrPath(None, "active"), "eq", False))))


def test_value_paths_urns_and_sub_attributes() -> None:
    parsed = parse_filter(f'emails[type eq "work" and value co "@"] and {ENTERPRISE_USER}:manager.value eq "p-1"')
    assert parsed == And(
        ValuePath(AttrPath(None, "emails"), And(Compare(AttrPath(None, "type"), "eq", "work"),
                                                Compare(AttrPath(None, "value"), "co", "@"))),
        Compare(AttrPath(ENTERPRISE_USER, "manager", "value"), "eq", "p-1"))


def test_keywords_are_case_insensitive_and_strings_keep_escapes() -> None:
    assert parse_filter('userName EQ "a\\"b" AND NOT (active Eq TRUE)') == And(
        Compare(AttrPath(None, "userName"), "eq", 'a"b'), Not(Compare(AttrPath(None, "active"), "eq", True)))


def test_patch_paths() -> None:
    assert parse_patch_path('emails[type eq "work"].value') == parse_patch_path('emails[type eq "work"].value')
    pp = parse_patch_path('emails[type eq "work"].value')
    assert pp.path == AttrPath(None, "emails") and pp.sub == "value"
    assert pp.filter == Compare(AttrPath(None, "type"), "eq", "work")
    assert parse_patch_path(f"{ENTERPRISE_USER}:manager").path == AttrPath(ENTERPRISE_USER, "manager")


@pytest.mark.parametrize("text", ['', 'userName', 'userName eq', '(userName eq "a"', 'userName eq "a")',
                                  'userName eq a', 'userName foo "a"', 'not userName eq "a"', 'a.b.c eq "x"',
                                  'userName eq "a" and', 'emails[type eq "work"', '"a" eq userName', '# eq 1'])
def test_syntax_errors_are_invalid_filter_and_say_where(text: str) -> None:
    with pytest.raises(ScimError) as caught:
        parse_filter(text)
    assert caught.value.status == 400 and caught.value.scim_type == "invalidFilter" and caught.value.detail


# ---- property: the evaluator agrees with a plain reference ------------------------------------------------------

TEXT = st.text(alphabet="aAbåÅ@.-", max_size=4)
# name -> (path, kind: text compares case-insensitively, exact case-sensitively, bool, date)
ATTRIBUTES: dict[str, tuple[AttrPath, str]] = {
    "userName": (AttrPath(None, "userName"), "text"),
    "displayName": (AttrPath(None, "displayName"), "text"),
    "externalId": (AttrPath(None, "externalId"), "exact"),
    "title": (AttrPath(None, "title"), "text"),
    "emails": (AttrPath(None, "emails"), "text"),
    "emails.value": (AttrPath(None, "emails", "value"), "text"),
    "emails.type": (AttrPath(None, "emails", "type"), "text"),
    "active": (AttrPath(None, "active"), "bool"),
    "meta.lastModified": (AttrPath(None, "meta", "lastModified"), "date"),
    "employeeNumber": (EMPLOYEE, "text"),
}


NAMES = {path: name for name, (path, _) in ATTRIBUTES.items()}


def _values(record: dict[str, Any], name: str) -> list[Any]:
    """The reference's own reading of a record."""
    emails = record.get("emails", [])
    by_name: dict[str, list[Any]] = {
        "userName": [record["userName"]], "displayName": [record.get("displayName")],
        "externalId": [record.get("externalId")], "title": [record.get("title")],
        "emails": [e["value"] for e in emails], "emails.value": [e["value"] for e in emails],
        "emails.type": [e["type"] for e in emails], "active": [record["active"]],
        "meta.lastModified": [record["meta"]["lastModified"]],
        "employeeNumber": [record.get(ENTERPRISE_USER, {}).get("employeeNumber")]}
    return [v for v in by_name[name] if v not in (None, "")]


def _reference(f: Filter, record: dict[str, Any]) -> bool:
    if isinstance(f, And):
        return _reference(f.left, record) and _reference(f.right, record)
    if isinstance(f, Or):
        return _reference(f.left, record) or _reference(f.right, record)
    if isinstance(f, Not):
        return not _reference(f.inner, record)
    if isinstance(f, ValuePath):
        return any(_reference(f.inner, {"emails": [e]}) for e in record.get("emails", []))
    if "userName" not in record:  # inside a value filter: the record is {"emails": [one e-mail]}
        values = [v for v in (record["emails"][0].get(f.path.attr),) if v]
        kind = "text"
    else:
        name = NAMES[f.path]
        kind = ATTRIBUTES[name][1]
        values = _values(record, name)
    if isinstance(f, Present):
        return bool(values)
    if f.op == "ne":
        return not _reference(Compare(f.path, "eq", f.value), record)
    if kind == "bool":
        return f.value in values
    if kind == "date":
        have = [datetime.fromisoformat(v) for v in values]
        wanted = datetime.fromisoformat(str(f.value))
        ops = {"eq": have.__contains__, "gt": lambda w: any(h > w for h in have),
               "ge": lambda w: any(h >= w for h in have), "lt": lambda w: any(h < w for h in have),
               "le": lambda w: any(h <= w for h in have)}
        return bool(ops[f.op](wanted))
    fold = (lambda s: s) if kind == "exact" else str.lower
    texts, want = [fold(v) for v in values], fold(str(f.value))
    return any({"eq": t == want, "co": want in t, "sw": t.startswith(want), "ew": t.endswith(want),
                "gt": t > want, "ge": t >= want, "lt": t < want, "le": t <= want}[f.op] for t in texts)


@st.composite
def atoms(draw: st.DrawFn, names: tuple[str, ...] = tuple(ATTRIBUTES)) -> Filter:
    name = draw(st.sampled_from(names))
    path, kind = ATTRIBUTES[name]
    if draw(st.integers(0, 6)) == 0:
        return Present(path)
    if kind == "bool":
        return Compare(path, draw(st.sampled_from(["eq", "ne"])), draw(st.booleans()))
    if kind == "date":
        moment = BASE + timedelta(minutes=draw(st.integers(-3, 3)))
        return Compare(path, draw(st.sampled_from(["eq", "ne", "gt", "ge", "lt", "le"])), moment.isoformat())
    return Compare(path, draw(st.sampled_from(["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"])), draw(TEXT))


def email_filters() -> st.SearchStrategy[Filter]:
    inner = st.one_of(
        st.builds(Compare, st.just(AttrPath(None, "value")), st.sampled_from(["eq", "co", "sw", "ew"]), TEXT),
        st.builds(Compare, st.just(AttrPath(None, "type")), st.sampled_from(["eq", "ne"]),
                  st.sampled_from(["work", "home"])))
    return st.builds(ValuePath, st.just(AttrPath(None, "emails")),
                     st.one_of(inner, st.builds(And, inner, inner), st.builds(Or, inner, inner)))


FILTERS = st.recursive(st.one_of(atoms(), email_filters()),
                       lambda children: st.one_of(st.builds(And, children, children),
                                                  st.builds(Or, children, children), st.builds(Not, children)),
                       max_leaves=8)

RECORDS = st.builds(
    lambda user_name, display, title, active, emails, minutes, external, employee: {
        "schemas": [USER.core.id], "id": "x", "userName": user_name, "displayName": display, "title": title,
        "active": active, "emails": [{"value": v, "type": t} for v, t in emails], "externalId": external,
        "meta": {"lastModified": (BASE + timedelta(minutes=minutes)).isoformat()},
        **({ENTERPRISE_USER: {"employeeNumber": employee}} if employee is not None else {})},
    TEXT.filter(bool), TEXT, st.none() | TEXT, st.booleans(),
    st.lists(st.tuples(TEXT, st.sampled_from(["work", "home"])), max_size=2),
    st.integers(-3, 3), st.none() | TEXT, st.none() | TEXT)


@settings(max_examples=400, deadline=None)
@given(FILTERS)
def test_rendered_filters_parse_back_to_the_same_tree(f: Filter) -> None:
    assert parse_filter(render(f)) == f
    shouted = re.sub(r"\b(and|or|not|eq|ne|co|sw|ew|gt|ge|lt|le|pr|true|false)\b(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)",
                     lambda m: m.group(0).upper(), render(f))
    assert parse_filter(shouted) == f


@settings(max_examples=600, deadline=None)
@given(FILTERS, RECORDS)
def test_the_evaluator_agrees_with_the_reference(f: Filter, record: dict[str, Any]) -> None:
    assert matches(USER, record, parse_filter(render(f))) == _reference(f, record)


@pytest.mark.parametrize(("text", "expected"), [
    ('userName eq "ÅSA@X"', True), ('externalId eq "E-1"', False), ('externalId eq "e-1"', True),
    ('emails co "HOME"', True), ('emails[type eq "work"] and not (emails[value ew "se"])', True),
    ('meta.lastModified ge "2026-11-26T00:00:00Z"', True), ('meta.lastModified gt "2026-11-27T00:00:00+01:00"', False),
    ('title eq null', True), ('title ne null', False), ('title ne "x"', True)])
def test_examples_of_the_comparison_rules(text: str, expected: bool) -> None:
    record = {"userName": "åsa@x", "externalId": "e-1", "active": True,
              "emails": [{"value": "a@home.com", "type": "work"}], "meta": {"lastModified": "2026-11-26T10:00:00Z"}}
    assert matches(USER, record, parse_filter(text)) is expected
