"""A deterministic demo municipality, Exempelstad: its org tree and its managers, for the identity service.

The same seed and size always give the same people and units; all randomness comes from one random.Random(seed).
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass

from samla_identity.demo import allocation, catalogue
from samla_identity.demo.catalogue import Department, Organisation
from samla_identity.demo.names import EmailBook, draw

# Below this there is no room for a recognisable kommunkoncern with its förvaltningar, bolag and admins.
MIN_MANAGERS = 20
FACILITATORS = 2
# How often an enhet lies in each district (DISTRICTS order): most in the centre, few by the harbour.
_DISTRICT_WEIGHTS = (3, 2, 2, 2, 2, 1)


@dataclass(frozen=True)
class DemoOrgUnit:
    id: str
    name: str
    kind: str  # kommunkoncern, forvaltning, bolag, avdelning, enhet
    parent_id: str | None


@dataclass(frozen=True)
class DemoPerson:
    id: str
    name: str
    email: str
    title: str
    level: str  # kommundirektor, forvaltningschef, avdelningschef, enhetschef
    org_unit_id: str
    manager_id: str | None
    location: str
    languages: tuple[str, ...]
    roles: tuple[str, ...]


class _Builder:
    """Collects units and people in a fixed order, so that ids and random draws follow one another."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.units: list[DemoOrgUnit] = []
        self.people: list[DemoPerson] = []
        self._emails = EmailBook(catalogue.EMAIL_DOMAIN)

    def unit(self, unit_id: str, name: str, kind: str, parent_id: str | None) -> str:
        self.units.append(DemoOrgUnit(unit_id, name, kind, parent_id))
        return unit_id

    def person(self, *, title: str, level: str, unit_id: str, manager_id: str | None, location: str,
               roles: tuple[str, ...] = ()) -> str:
        drawn = draw(self.rng)
        person_id = f"p-{len(self.people) + 1:04d}"
        self.people.append(DemoPerson(
            id=person_id, name=drawn.full, email=self._emails.address(drawn.first, drawn.last), title=title,
            level=level, org_unit_id=unit_id, manager_id=manager_id, location=location,
            languages=drawn.languages, roles=roles,
        ))
        return person_id


def _unit_names(department: Department, count: int, rng: random.Random) -> list[tuple[str, str | None]]:
    """Names for an avdelning's enheter, each with its district when the name gives it away."""
    if department.district_prefix:
        stems = [f"{department.district_prefix} {d}" for d in catalogue.DISTRICTS]
        districts: list[str | None] = list(catalogue.DISTRICTS)
    else:
        stems = list(department.unit_names)
        districts = [None] * len(stems)
    pairs = list(zip(stems, districts, strict=True))
    if department.shuffle:
        rng.shuffle(pairs)
    names = []
    for i in range(count):
        name, district = pairs[i % len(pairs)]
        lap = i // len(pairs)
        # Past the end of the list a name comes round again with a number, as in "Hemtjänst Norra 2".
        names.append((name if lap == 0 else f"{name} {lap + 1}", district))
    return names


def _add_department(builder: _Builder, organisation: Organisation, department: Department, units: int,
                    parent_unit: str, head_id: str) -> None:
    is_hr = organisation is catalogue.KOMMUNSTYRELSEN and department.key == catalogue.HR_KEY
    dept_unit = builder.unit(f"{parent_unit}-{department.key}", department.name, "avdelning", parent_unit)
    office = organisation.location or catalogue.HEAD_OFFICE
    chief_id = builder.person(title=department.head_title, level="avdelningschef", unit_id=dept_unit,
                              manager_id=head_id, location=office, roles=(catalogue.ADMIN,) if is_hr else ())
    for index, (name, district) in enumerate(_unit_names(department, units, builder.rng), start=1):
        unit_id = builder.unit(f"{dept_unit}-e{index:02d}", name, "enhet", dept_unit)
        location = organisation.location or district or builder.rng.choices(
            catalogue.DISTRICTS, weights=_DISTRICT_WEIGHTS)[0]
        # The HR-chef and the chef of HR's first enhet (leadership and skills) run the leadership programme.
        roles = (catalogue.ADMIN,) if is_hr and index == 1 else ()
        builder.person(title=department.unit_title, level="enhetschef", unit_id=unit_id, manager_id=chief_id,
                       location=location, roles=roles)


def _appoint_facilitators(builder: _Builder) -> None:
    """Gives the facilitator role to managers trained as processledare, as many kommuner train their own."""
    candidates = [i for i, p in enumerate(builder.people)
                  if p.level in ("avdelningschef", "enhetschef") and not p.roles]
    for index in builder.rng.sample(candidates, FACILITATORS):
        builder.people[index] = dataclasses.replace(builder.people[index], roles=(catalogue.FACILITATOR,))


def generate(*, seed: int = 2026, managers: int = 460) -> tuple[list[DemoOrgUnit], list[DemoPerson]]:
    """Generates Exempelstad's org units and exactly `managers` managers with consistent reporting lines."""
    if managers < MIN_MANAGERS:
        raise ValueError(f"a demo municipality needs at least {MIN_MANAGERS} managers, not {managers}")
    builder = _Builder(random.Random(seed))
    root = builder.unit(catalogue.ROOT_ID, catalogue.ROOT_NAME, "kommunkoncern", None)
    director = builder.person(title="Kommundirektör", level="kommundirektor", unit_id=root, manager_id=None,
                              location=catalogue.HEAD_OFFICE, roles=(catalogue.LEADERSHIP,))
    for org_plan in allocation.plan(managers):
        organisation = org_plan.organisation
        org_unit = builder.unit(f"ou-{organisation.key}", organisation.name, organisation.kind, root)
        head = builder.person(title=organisation.head_title, level="forvaltningschef", unit_id=org_unit,
                              manager_id=director, location=organisation.location or catalogue.HEAD_OFFICE,
                              roles=(catalogue.LEADERSHIP,))
        for dept_plan in org_plan.departments:
            _add_department(builder, organisation, dept_plan.department, dept_plan.units, org_unit, head)
    _appoint_facilitators(builder)
    return builder.units, builder.people
