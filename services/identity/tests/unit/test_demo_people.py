"""The demo municipality's people: roles, names, e-mails, languages, places, and the same people for a seed."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

from samla_common import auth
from samla_identity.demo import catalogue
from samla_identity.demo.generator import generate

SIZES = (20, 460, 5000)
EMAIL = re.compile(r"[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*\d*@exempelstad\.se")


@pytest.mark.parametrize("size", SIZES)
def test_leadership_is_the_kommundirektor_and_the_heads_of_forvaltningar_and_bolag(size: int) -> None:
    _, people = generate(managers=size)

    leaders = [p for p in people if "samla-leadership" in p.roles]
    assert Counter(p.level for p in leaders) == {"kommundirektor": 1, "forvaltningschef": 9}
    assert {p.title for p in leaders} == {"Kommundirektör", "Förvaltningschef", "VD"}


@pytest.mark.parametrize("size", SIZES)
def test_two_hr_managers_administer_the_leadership_programme(size: int) -> None:
    _, people = generate(managers=size)

    admins = [p for p in people if "samla-admin" in p.roles]
    assert len(admins) == 2
    assert {p.level for p in admins} == {"avdelningschef", "enhetschef"}
    assert all(p.org_unit_id.startswith("ou-ks-hr") for p in admins)


@pytest.mark.parametrize("size", SIZES)
def test_two_managers_are_processledare(size: int) -> None:
    _, people = generate(managers=size)

    facilitators = [p for p in people if "samla-facilitator" in p.roles]
    assert len(facilitators) == 2
    assert all(p.roles == ("samla-facilitator",) for p in facilitators)
    assert {p.level for p in facilitators} <= {"avdelningschef", "enhetschef"}


def test_everyone_else_has_no_role_and_roles_are_spelled_as_the_guards_expect() -> None:
    _, people = generate()

    assert sum(1 for p in people if p.roles) == 10 + 2 + 2
    assert (catalogue.ADMIN, catalogue.FACILITATOR, catalogue.LEADERSHIP) == (
        auth.ADMIN, auth.FACILITATOR, auth.LEADERSHIP)


@pytest.mark.parametrize("size", SIZES)
def test_emails_are_unique_ascii_fornamn_efternamn(size: int) -> None:
    _, people = generate(managers=size)

    emails = [p.email for p in people]
    assert len(set(emails)) == len(emails)
    for person in people:
        assert person.email.isascii() and EMAIL.fullmatch(person.email), person.email


def test_names_are_swedish_and_diverse() -> None:
    _, people = generate()

    names = [p.name for p in people]
    assert all(len(n.split(" ", 1)) == 2 for n in names)
    assert sum(1 for n in names if set(n) & set("åäöÅÄÖ")) >= 30
    assert sum(1 for n in names if not n.isascii() and not set(n) & set("åäöÅÄÖé")) >= 1
    assert len(set(names)) > 0.8 * len(names)
    non_nordic = ("Virtanen", "Korhonen", "Hassan", "Ali", "Haddad", "Nowak", "Yılmaz", "Karimi", "Nguyễn", "Tran")
    assert sum(1 for n in names if n.split(" ", 1)[1] in non_nordic) >= 5


def test_most_speak_swedish_only_some_english_and_a_few_arabic_or_finnish() -> None:
    _, people = generate()

    languages = Counter(p.languages for p in people)
    assert all(p.languages[0] == "sv" for p in people)
    assert languages[("sv",)] > len(people) / 2
    assert languages[("sv", "en")] >= 20
    assert 1 <= languages[("sv", "ar")] < languages[("sv", "en")]
    assert 1 <= languages[("sv", "fi")] < languages[("sv", "en")]


def test_locations_are_the_districts_and_enheter_named_after_one_lie_in_it() -> None:
    units, people = generate()
    unit_names = {u.id: u.name for u in units}

    assert {p.location for p in people} == set(catalogue.DISTRICTS)
    for person in people:
        name = unit_names[person.org_unit_id]
        if name.startswith(("Hemtjänst ", "Tillagningskök ", "Bovärdsområde ")):
            assert name.split(" ")[1] == person.location, person
        if person.org_unit_id.startswith("ou-hamn"):
            assert person.location == "Hamnen"


def test_titles_name_the_job() -> None:
    _, people = generate()

    titles = Counter(p.title for p in people)
    assert {"Kommundirektör", "Förvaltningschef", "VD", "Rektor", "Förskolechef", "Enhetschef hemtjänst",
            "HR-chef"} <= set(titles)
    assert titles["Rektor"] > titles["Enhetschef hemtjänst"]


def test_same_seed_gives_the_same_municipality() -> None:
    assert generate(seed=7, managers=300) == generate(seed=7, managers=300)


def test_another_seed_gives_other_people_in_the_same_organisation() -> None:
    units_a, people_a = generate(seed=1)
    units_b, people_b = generate(seed=2)

    assert [p.name for p in people_a] != [p.name for p in people_b]
    assert [u.id for u in units_a] == [u.id for u in units_b]
    assert [(p.id, p.level, p.manager_id) for p in people_a] == [(p.id, p.level, p.manager_id) for p in people_b]


def test_leaves_the_global_random_generator_alone() -> None:
    random.seed(99)
    before = random.getstate()

    generate()

    assert random.getstate() == before
