"""The event catalogue: examples validate, topics.yaml and the schemas agree, the generated models fit."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from samla_contracts.events import MODELS
from samla_contracts.schemas import known_event_types, validate_event

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "contracts" / "events"
EXAMPLES = sorted(EVENTS.glob("examples/*/*.json"))


def schema_of(event_type: str) -> dict[str, object]:
    return json.loads((EVENTS / f"{event_type}.schema.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_validates_against_its_schema(compat: ModuleType, example: Path) -> None:
    event_type = example.parent.name

    assert compat.example_problems(schema_of(event_type), json.loads(example.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_loads_into_its_generated_model_and_the_packaged_schema(example: Path) -> None:
    data = json.loads(example.read_text(encoding="utf-8"))

    validate_event(example.parent.name, data)
    MODELS[example.parent.name].model_validate(data)


def test_the_real_catalogue_has_no_problems(compat: ModuleType) -> None:
    topics = yaml.safe_load((EVENTS / "topics.yaml").read_text(encoding="utf-8"))["topics"]
    schema_types = {p.name.removesuffix(".schema.json") for p in EVENTS.glob("*.schema.json")}

    assert compat.catalogue_problems(topics, schema_types) == []


def test_every_schema_has_a_model_and_a_packaged_copy() -> None:
    schema_types = sorted(p.name.removesuffix(".schema.json") for p in EVENTS.glob("*.schema.json"))

    assert sorted(MODELS) == schema_types
    assert known_event_types() == schema_types


def test_every_real_schema_is_well_formed(compat: ModuleType) -> None:
    for path in EVENTS.glob("*.schema.json"):
        assert compat.schema_problems(path.name.removesuffix(".schema.json"), json.loads(path.read_text())) == []


def test_a_listed_type_without_a_schema_is_reported(compat: ModuleType) -> None:
    topics = {"t.v1": {"types": ["se.samla.x.made.v1", "se.samla.x.ghost.v1"]}}

    assert compat.catalogue_problems(topics, {"se.samla.x.made.v1"}) == [
        "topics.yaml lists se.samla.x.ghost.v1 (under t.v1) but "
        "contracts/events/se.samla.x.ghost.v1.schema.json does not exist"
    ]


def test_a_schema_on_no_topic_or_on_two_topics_is_reported(compat: ModuleType) -> None:
    topics = {"a.v1": {"types": ["se.samla.x.twice.v1"]}, "b.v1": {"types": ["se.samla.x.twice.v1"]},
              "c.v1": {"types": []}}

    problems = compat.catalogue_problems(topics, {"se.samla.x.twice.v1", "se.samla.x.orphan.v1"})

    assert problems == [
        "se.samla.x.orphan.v1 is not listed under any topic in topics.yaml",
        "se.samla.x.twice.v1 is listed 2 times in topics.yaml (a.v1, b.v1); a type travels on exactly one topic",
    ]


def test_an_invalid_example_is_reported_with_its_path(compat: ModuleType) -> None:
    schema = schema_of("se.samla.identity.person.upserted.v1")
    example = {"id": "p-1", "name": "", "active": "yes", "updated_at": "yesterday"}

    problems = compat.example_problems(schema, example)

    assert problems == [
        "at $.active: 'yes' is not of type 'boolean'",
        "at $.name: '' should be non-empty",
        "at $.updated_at: 'yesterday' is not a 'date-time'",
    ]


def test_a_schema_without_example_and_examples_without_schema_fail_the_script(
        compat: ModuleType, tree_copy: Path) -> None:
    events = tree_copy / "contracts" / "events"
    (events / "examples" / "se.samla.identity.person.erased.v1" / "basic.json").unlink()
    (events / "examples" / "se.samla.identity.person.ghost.v1").mkdir()

    problems, _ = compat.check(tree_copy)

    assert problems == [
        "examples/se.samla.identity.person.ghost.v1: no schema se.samla.identity.person.ghost.v1.schema.json "
        "for these examples",
        "se.samla.identity.person.erased.v1: no example; add "
        "contracts/events/examples/se.samla.identity.person.erased.v1/<name>.json",
    ]
