"""The compatibility rules on plain dicts: each breaking change is refused, additive changes pass."""

from __future__ import annotations

import copy
from types import ModuleType
from typing import Any

import pytest

BASE: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://samla.se/contracts/events/se.samla.test.thing.changed.v1.schema.json",
    "type": "object",
    "properties": {
        "id": {"type": "string", "minLength": 1, "maxLength": 200},
        "kind": {"type": "string", "enum": ["a", "b"]},
        "source": {"const": "samla"},
        "count": {"type": "integer", "minimum": 0},
        "tags": {"type": "array", "items": {"type": "string"}},
        "place": {"type": "object", "properties": {"room": {"type": "string"}}, "required": []},
    },
    "required": ["id"],
    "additionalProperties": True,
}


def changed(edit: Any) -> dict[str, Any]:
    schema = copy.deepcopy(BASE)
    edit(schema)
    return schema


def test_an_identical_schema_is_compatible(compat: ModuleType) -> None:
    assert compat.breaking_changes(BASE, copy.deepcopy(BASE)) == []


@pytest.mark.parametrize("edit", [
    lambda s: s["properties"].update(email={"type": ["string", "null"]}),
    lambda s: s["properties"]["place"]["properties"].update(floor={"type": "integer"}),
    lambda s: s["properties"]["kind"]["enum"].append("c"),
    lambda s: s["properties"]["id"].update(type=["string", "null"]),
    lambda s: s["properties"]["count"].update(type="number"),
    lambda s: s["properties"]["id"].update(maxLength=300),
    lambda s: s["properties"]["id"].pop("minLength"),
    lambda s: s.update(title="A new title", description="Docs may change"),
], ids=["optional field", "nested optional field", "enum value added", "null allowed",
        "integer to number", "longer max length", "min length dropped", "docs"])
def test_additive_changes_pass(compat: ModuleType, edit: Any) -> None:
    assert compat.breaking_changes(BASE, changed(edit)) == []


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda s: s["properties"].pop("kind"), "kind: property removed"),
    (lambda s: s["properties"]["place"]["properties"].pop("room"), "place.room: property removed"),
    (lambda s: s["properties"]["id"].update(type="integer"), "id: type changed"),
    (lambda s: s["properties"]["count"].update(type="string"), "count: type changed"),
    (lambda s: s["properties"]["tags"]["items"].update(type="integer"), "tags[]: type changed"),
    (lambda s: s["properties"]["source"].update(type="string"), "source: type restricted"),
    (lambda s: s["required"].append("kind"), "new required field(s) ['kind']"),
    (lambda s: s["properties"]["place"]["required"].append("room"), "place: new required field(s) ['room']"),
    (lambda s: s["properties"]["kind"].update(enum=["a"]), "kind: enum value(s) removed: ['b']"),
    (lambda s: s["properties"]["id"].update(enum=["x"]), "id: enum ['x'] added"),
    (lambda s: s.update(additionalProperties=False), "additionalProperties tightened to false"),
    (lambda s: s["properties"]["place"].update(additionalProperties=False),
     "place: additionalProperties tightened to false"),
    (lambda s: s["properties"]["source"].update(const="other"), 'source: const changed from "samla" to "other"'),
    (lambda s: s["properties"]["source"].pop("const"), 'source: const changed from "samla" to absent'),
    (lambda s: s["properties"]["id"].update(const="x"), "id: const changed from absent to"),
    (lambda s: s.update({"$id": "https://samla.se/other.json"}), "$id changed"),
    (lambda s: s["properties"]["id"].update(maxLength=100), "id: maxLength tightened from 200 to 100"),
    (lambda s: s["properties"]["count"].update(minimum=1), "count: minimum tightened from 0 to 1"),
    (lambda s: s["properties"]["id"].update(pattern="^p-"), "id: pattern changed"),
], ids=["property removed", "nested property removed", "type changed", "integer to string",
        "array item type changed", "type added", "new required", "new nested required", "enum value removed",
        "enum added", "additionalProperties false", "nested additionalProperties false", "const changed",
        "const removed", "const added", "$id changed", "max length shrunk", "minimum raised", "pattern added"])
def test_each_breaking_change_is_refused(compat: ModuleType, edit: Any, expected: str) -> None:
    problems = compat.breaking_changes(BASE, changed(edit))

    assert any(expected in problem for problem in problems), problems


def test_json_true_and_one_are_different_constants(compat: ModuleType) -> None:
    old = {"properties": {"flag": {"const": True}}}
    new = {"properties": {"flag": {"const": 1}}}

    assert compat.breaking_changes(old, new) == ["flag: const changed from true to 1"]


def test_removing_an_anyof_alternative_is_refused_and_adding_one_passes(compat: ModuleType) -> None:
    old = {"properties": {"v": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}
    narrower = {"properties": {"v": {"anyOf": [{"type": "string"}]}}}
    wider = {"properties": {"v": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}}}

    assert compat.breaking_changes(old, narrower) != []
    assert compat.breaking_changes(old, wider) == []


def test_history_problems_name_the_versions_that_broke(compat: ModuleType) -> None:
    v2 = changed(lambda s: s["properties"].update(email={"type": "string"}))
    v3 = copy.deepcopy(v2)
    v3["required"].append("kind")

    problems = compat.history_problems([("aaa", BASE), ("bbb", v2), ("working tree", v3)])

    assert problems == ["bbb -> working tree: (root): new required field(s) ['kind']: add them as optional"]
