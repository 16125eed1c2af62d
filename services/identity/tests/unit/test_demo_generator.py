"""The demo municipality: an org tree and managers whose reporting lines a real directory could hold."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest

from samla_identity.demo import catalogue
from samla_identity.demo.generator import MIN_MANAGERS, DemoOrgUnit, DemoPerson, generate

SIZES = (20, 21, 57, 460, 1000, 5000)
LEVEL_ABOVE = {"forvaltningschef": "kommundirektor", "avdelningschef": "forvaltningschef",
               "enhetschef": "avdelningschef"}
UNIT_KIND_OF_LEVEL = {"kommundirektor": {"kommunkoncern"}, "forvaltningschef": {"forvaltning", "bolag"},
                      "avdelningschef": {"avdelning"}, "enhetschef": {"enhet"}}
PARENT_KINDS = {"forvaltning": {"kommunkoncern"}, "bolag": {"kommunkoncern"},
                "avdelning": {"forvaltning", "bolag"}, "enhet": {"avdelning"}}


@cache
def demo(seed: int = 2026, managers: int = 460) -> tuple[tuple[DemoOrgUnit, ...], tuple[DemoPerson, ...]]:
    units, people = generate(seed=seed, managers=managers)
    return tuple(units), tuple(people)


def ancestors_or_self(parents: dict[str, str | None], unit_id: str) -> list[str]:
    chain: list[str] = []
    current: str | None = unit_id
    while current is not None:
        assert current not in chain, f"the org tree has a cycle through {current}"
        chain.append(current)
        current = parents[current]
    return chain


def parents_of(units: tuple[DemoOrgUnit, ...]) -> dict[str, str | None]:
    return {u.id: u.parent_id for u in units}


def organisation_of(parents: dict[str, str | None], unit_id: str) -> str:
    return next(u for u in ancestors_or_self(parents, unit_id) if parents[u] == catalogue.ROOT_ID)


@pytest.mark.parametrize("size", SIZES)
def test_generates_exactly_the_requested_number_of_managers(size: int) -> None:
    _, people = demo(managers=size)

    assert len(people) == size
    assert len({p.id for p in people}) == size


def test_refuses_a_municipality_too_small_to_have_its_organisation() -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(managers=MIN_MANAGERS - 1)


@pytest.mark.parametrize("size", SIZES)
def test_org_tree_is_a_kommunkoncern_of_forvaltningar_and_bolag_down_to_enheter(size: int) -> None:
    units, _ = demo(managers=size)
    by_id = {u.id: u for u in units}
    parents = parents_of(units)

    assert len(by_id) == len(units)
    roots = [u for u in units if u.parent_id is None]
    assert roots == [DemoOrgUnit("ou-exempelstad", "Exempelstads kommunkoncern", "kommunkoncern", None)]
    for unit in units[1:]:
        assert by_id[unit.parent_id or ""].kind in PARENT_KINDS[unit.kind], unit
        ancestors_or_self(parents, unit.id)
    assert len({(u.parent_id, u.name) for u in units}) == len(units), "siblings share a name"


def test_org_tree_has_the_forvaltningar_and_bolag_of_a_swedish_municipality() -> None:
    units, _ = demo()
    top = {u.name: u.kind for u in units if u.parent_id == "ou-exempelstad"}

    assert top == {
        "Kommunstyrelseförvaltningen": "forvaltning", "Utbildningsförvaltningen": "forvaltning",
        "Socialförvaltningen": "forvaltning", "Stadsbyggnadsförvaltningen": "forvaltning",
        "Kultur- och fritidsförvaltningen": "forvaltning", "Miljöförvaltningen": "forvaltning",
        "Exempelstads Bostads AB": "bolag", "Exempelstad Energi AB": "bolag", "Exempelstads Hamn AB": "bolag",
    }
    names = {u.name for u in units if u.kind == "enhet"}
    assert any(n.endswith("skolan") for n in names)
    assert any(n.startswith("Förskolan ") for n in names)
    assert any(n.startswith("Hemtjänst ") for n in names)


def test_ids_are_stable_and_readable() -> None:
    units, people = demo()

    assert [p.id for p in people] == [f"p-{i:04d}" for i in range(1, len(people) + 1)]
    assert all(re.fullmatch(r"ou-[a-z]+(-[a-z]+(-e\d{2,})?)?", u.id) for u in units)
    assert {"ou-utb", "ou-utb-grund", "ou-utb-grund-e07", "ou-ks-hr"} <= {u.id for u in units}


@pytest.mark.parametrize("size", SIZES)
def test_reporting_lines_are_acyclic_and_end_at_the_kommundirektor(size: int) -> None:
    _, people = demo(managers=size)
    managers = {p.id: p.manager_id for p in people}

    tops = [p for p in people if p.manager_id is None]
    assert [(p.level, p.title, p.roles) for p in tops] == [("kommundirektor", "Kommundirektör", ("samla-leadership",))]
    for person in people:
        chain = [person.id]
        while managers[chain[-1]] is not None:
            boss = managers[chain[-1]]
            assert boss in managers, f"{person.id} reports to unknown {boss}"
            assert boss not in chain, f"reporting cycle through {boss}"
            chain.append(boss or "")
        assert chain[-1] == tops[0].id


@pytest.mark.parametrize("size", SIZES)
def test_each_manager_reports_to_the_level_above(size: int) -> None:
    _, people = demo(managers=size)
    by_id = {p.id: p for p in people}

    for person in people:
        if person.manager_id is not None:
            assert by_id[person.manager_id].level == LEVEL_ABOVE[person.level], person


@pytest.mark.parametrize("size", SIZES)
def test_a_managers_unit_contains_the_units_of_their_reports(size: int) -> None:
    units, people = demo(managers=size)
    by_id = {p.id: p for p in people}
    parents = parents_of(units)

    for person in people:
        if person.manager_id is not None:
            boss_unit = by_id[person.manager_id].org_unit_id
            assert boss_unit in ancestors_or_self(parents, person.org_unit_id), person


@pytest.mark.parametrize("size", SIZES)
def test_every_unit_has_exactly_one_chef_of_its_level(size: int) -> None:
    units, people = demo(managers=size)
    kinds = {u.id: u.kind for u in units}

    assert Counter(p.org_unit_id for p in people) == Counter({u.id: 1 for u in units})
    for person in people:
        assert kinds[person.org_unit_id] in UNIT_KIND_OF_LEVEL[person.level], person


@pytest.mark.parametrize("size", SIZES)
def test_utbildning_is_the_biggest_and_social_the_next(size: int) -> None:
    units, people = demo(managers=size)

    parents = parents_of(units)
    sizes = Counter(organisation_of(parents, p.org_unit_id) for p in people if p.level != "kommundirektor")
    (first, _), (second, _) = sizes.most_common(2)
    assert first == "ou-utb"
    assert sizes["ou-utb"] > max(n for org, n in sizes.items() if org != "ou-utb")
    if size >= 57:
        assert second == "ou-soc"
