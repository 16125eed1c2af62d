"""A seeded, realistic population of managers in a Swedish municipality (kommun and its companies).

Administrations have skewed sizes (a large utbildningsförvaltning, a large vård och omsorg, small staff units,
municipal companies), three levels with consistent reporting lines (förvaltningschef/VD → avdelningschef →
enhetschef; every förvaltningschef reports to the kommundirektör), workplaces, and 1–3 of 20 interest or
challenge tags whose popularity differs by administration. Bigger populations get district administrations
(stadsdelsförvaltningar) so that no administration grows beyond what a real one has.

Usage: `generate_population(size=460, seed=1)`; everything is derived from the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

LEVELS = ("förvaltningschef", "avdelningschef", "enhetschef")

# (name, kind, relative size)
ADMINISTRATIONS: tuple[tuple[str, str, float], ...] = (
    ("Utbildningsförvaltningen", "förvaltning", 30.0),
    ("Vård- och omsorgsförvaltningen", "förvaltning", 17.0),
    ("Socialförvaltningen", "förvaltning", 12.0),
    ("Kultur- och fritidsförvaltningen", "förvaltning", 5.0),
    ("Samhällsbyggnadsförvaltningen", "förvaltning", 5.0),
    ("Tekniska förvaltningen", "förvaltning", 4.5),
    ("Arbetsmarknadsförvaltningen", "förvaltning", 3.5),
    ("Kommunledningsförvaltningen", "förvaltning", 3.5),
    ("Serviceförvaltningen", "förvaltning", 3.0),
    ("Miljöförvaltningen", "förvaltning", 1.5),
    ("Överförmyndarförvaltningen", "förvaltning", 0.5),
    ("Kommunens Bostads AB", "bolag", 3.0),
    ("Kommunens Fastighets AB", "bolag", 2.5),
    ("Energi AB", "bolag", 2.0),
    ("Vatten AB", "bolag", 1.5),
    ("Hamn AB", "bolag", 0.7),
    ("Parkerings AB", "bolag", 0.4),
)
DISTRICT_SIZE = 700  # managers per district administration added to big populations

LOCATIONS = ("Stadshuset", "Centrum", "Norr", "Söder", "Öster", "Väster", "Hamnen", "Industriområdet",
             "Campus", "Landsbygden")

TAGS = ("kompetensförsörjning", "digitalisering", "AI i verksamheten", "arbetsmiljö", "hållbarhet",
        "klimatomställning", "ekonomi i balans", "trygghet", "psykisk hälsa", "integration",
        "medborgardialog", "innovation", "tillitsbaserad styrning", "rekrytering", "chefsstöd",
        "jämställdhet", "lokalförsörjning", "samverkan", "kvalitet och uppföljning", "barn och unga")

FIRST = ("Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Eva", "Per", "Lena", "Mikael",
         "Emma", "Fredrik", "Sofia", "Ahmed", "Fatima", "Jonas", "Elin", "Mohammed", "Ingrid", "Ali", "Maja",
         "Nils", "Hanna", "Oskar", "Linnea", "Amir", "Ida", "Gustav")
LAST = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
        "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Axelsson", "Hussein", "Lindqvist",
        "Berg", "Mohammadi", "Holm", "Sandberg", "Ekström", "Öberg", "Åberg", "Nyström")


@dataclass(frozen=True)
class Administration:
    id: str
    name: str
    kind: str  # förvaltning | bolag


@dataclass(frozen=True)
class Manager:
    id: str
    name: str
    administration_id: str
    level: str
    manager_id: str | None
    location: str
    interests: tuple[str, ...]
    needs_accessible_seat: bool = False
    apart_from: tuple[str, ...] = ()


@dataclass
class Population:
    administrations: list[Administration]
    people: list[Manager]
    by_id: dict[str, Manager] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {m.id: m for m in self.people}


def generate_population(*, size: int, seed: int = 0, accessible_share: float = 0.01,
                        apart_share: float = 0.005) -> Population:
    """Returns `size` managers with skewed administrations, three levels and consistent reporting lines."""
    rng = random.Random(seed)
    admins = _administrations(size, rng)
    counts = _split(size, [w for _, w in admins], rng)
    people: list[Manager] = []
    director: str | None = None
    for k, ((admin, _), n) in enumerate(zip(admins, counts, strict=True)):
        if n == 0:
            continue
        unit = _unit(admin=admin, number=k, size=n, boss=None, rng=rng)
        if admin.name == "Kommunledningsförvaltningen":
            director = unit[0].id
        people.extend(unit)
    if director is not None:  # every förvaltningschef reports to the kommundirektör; company CEOs to boards
        kind = {a.id: a.kind for a, _ in admins}
        people = [_with(m, manager_id=director)
                  if m.level == LEVELS[0] and m.id != director and kind[m.administration_id] == "förvaltning"
                  else m for m in people]
    people = _mark_needs(people, rng, accessible_share=accessible_share, apart_share=apart_share)
    return Population(administrations=[a for a, _ in admins], people=people)


def _administrations(size: int, rng: random.Random) -> list[tuple[Administration, float]]:
    out = [(Administration(id=f"adm-{k:02d}", name=name, kind=kind), weight * rng.uniform(0.8, 1.25))
           for k, (name, kind, weight) in enumerate(ADMINISTRATIONS)]
    districts = max(0, (size - 2000) // DISTRICT_SIZE)
    total = sum(w for _, w in out)
    for d in range(districts):
        # District administrations take over much of schools and care in big cities, so they carry weight.
        weight = total * rng.uniform(0.5, 1.5) * DISTRICT_SIZE / max(1, size - districts * DISTRICT_SIZE)
        out.append((Administration(id=f"adm-sd{d:02d}", name=f"Stadsdelsförvaltning {d + 1}",
                                   kind="förvaltning"), weight))
    return out


def _split(size: int, weights: list[float], rng: random.Random) -> list[int]:
    total = sum(weights)
    raw = [size * w / total for w in weights]
    counts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda k: raw[k] - counts[k], reverse=True)
    for k in order[: size - sum(counts)]:
        counts[k] += 1
    return counts


def _unit(*, admin: Administration, number: int, size: int, boss: str | None,
          rng: random.Random) -> list[Manager]:
    prefix = f"p{number:02d}"
    popular = rng.sample(TAGS, 6)  # what this administration talks about most
    people = [_person(f"{prefix}-0000", admin, LEVELS[0], boss, rng.choice(LOCATIONS[:2]), popular, rng)]
    # Departments grow with the administration, roughly as the square root of its size.
    heads = min(size - 1, max(1, round(0.9 * (size - 1) ** 0.5))) if size > 1 else 0
    locations = [rng.choice(LOCATIONS) for _ in range(heads)]
    for h in range(heads):
        people.append(_person(f"{prefix}-{len(people):04d}", admin, LEVELS[1], people[0].id, locations[h],
                              popular, rng))
    # Spans of control differ: a few departments are much bigger than the rest.
    spans = [min(4.0, rng.paretovariate(2.5)) for _ in range(heads)]
    for _ in range(size - 1 - heads):
        h = rng.choices(range(heads), weights=spans)[0]
        people.append(_person(f"{prefix}-{len(people):04d}", admin, LEVELS[2], people[1 + h].id, locations[h],
                              popular, rng))
    return people


def _person(pid: str, admin: Administration, level: str, boss: str | None, location: str, popular: list[str],
            rng: random.Random) -> Manager:
    k = rng.choices((1, 2, 3), weights=(3, 4, 3))[0]
    tags: list[str] = []
    while len(tags) < k:
        tag = rng.choice(popular) if rng.random() < 0.6 else rng.choice(TAGS)
        if tag not in tags:
            tags.append(tag)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return Manager(id=pid, name=name, administration_id=admin.id, level=level, manager_id=boss,
                   location=location, interests=tuple(tags))


def _mark_needs(people: list[Manager], rng: random.Random, *, accessible_share: float,
                apart_share: float) -> list[Manager]:
    out = [_with(m, needs_accessible_seat=rng.random() < accessible_share) for m in people]
    # Someone asks to sit apart from a colleague, usually in their own administration.
    for _ in range(round(len(out) * apart_share)):
        a = rng.randrange(len(out))
        same = [k for k in range(max(0, a - 40), min(len(out), a + 40))
                if k != a and out[k].administration_id == out[a].administration_id]
        b = rng.choice(same) if same else rng.randrange(len(out))
        if b != a and out[b].id not in out[a].apart_from:
            out[a] = _with(out[a], apart_from=(*out[a].apart_from, out[b].id))
    return out


def _with(m: Manager, **changes: object) -> Manager:
    from dataclasses import replace

    return replace(m, **changes)  # type: ignore[arg-type]
