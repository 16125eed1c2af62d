"""Matching inputs from the shared population generator: adds what matching needs beyond it.

`bench.population` gives administrations, levels, reporting lines, workplaces, challenge tags and kept-apart
pairs. Matching also needs years as manager, languages, availability, opt-outs and seating history; this
module derives them from the same seed. History: a chefsdag of 6 rounds at random tables of 8.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.population import generate_population
from samla_network.matching import GroupRules, History, Person, pair_key

SLOTS = tuple(f"{day}-{part}" for day in ("mån", "tis", "ons", "tor", "fre") for part in ("fm", "em"))
EXTRA_LANGUAGES = ("en", "fi", "ar", "fa", "so")
YEARS_BY_LEVEL = {"förvaltningschef": (8.0, 25.0), "avdelningschef": (4.0, 18.0), "enhetschef": (0.5, 12.0)}


@dataclass(frozen=True)
class MatchingPopulation:
    """People, history and kept-apart pairs for one benchmark run."""

    people: list[Person]
    history: History
    apart: frozenset[tuple[str, str]]


def seating_history(*, ids: list[str], rounds: int, table_size: int, rng: random.Random) -> tuple[set, set]:
    """Returns (pairs who met at any table, pairs at one table in round one) for random seating rounds."""
    met: set[tuple[str, str]] = set()
    first: set[tuple[str, str]] = set()
    for r in range(rounds):
        order = ids[:]
        rng.shuffle(order)
        for start in range(0, len(order), table_size):
            table = order[start:start + table_size]
            pairs = {pair_key(a, b) for x, a in enumerate(table) for b in table[x + 1:]}
            met |= pairs
            if r == 0:
                first |= pairs
    return met, first


def matching_population(*, size: int, seed: int = 1, opt_out_share: float = 0.03,
                        attendance: float = 0.9) -> MatchingPopulation:
    """Returns a realistic matching population of `size` managers (opted-out people included)."""
    base = generate_population(size=size, seed=seed)
    names = {a.id: a.name for a in base.administrations}
    rng = random.Random(seed * 7919 + 17)
    people = []
    for m in base.people:
        low, high = YEARS_BY_LEVEL.get(m.level, (0.5, 15.0))
        extra = {lang for lang in EXTRA_LANGUAGES if rng.random() < (0.5 if lang == "en" else 0.03)}
        languages = {"sv"} | extra
        people.append(Person(
            id=m.id, administration=names[m.administration_id], level=m.level, location=m.location,
            years_as_manager=round(rng.uniform(low, high), 1), challenges=frozenset(m.interests),
            languages=frozenset(languages), availability=frozenset(rng.sample(SLOTS, rng.randint(3, 6))),
            opted_out=rng.random() < opt_out_share, manager_id=m.manager_id))
    attending = [p.id for p in people if rng.random() < attendance]
    met, first = seating_history(ids=attending, rounds=6, table_size=8, rng=rng)
    apart = frozenset(pair_key(m.id, other) for m in base.people for other in m.apart_from)
    return MatchingPopulation(people=people, history=History(met=frozenset(met), same_table=frozenset(first)),
                              apart=apart)


def default_rules(*, apart: frozenset[tuple[str, str]]) -> GroupRules:
    """Returns the benchmark's rules: groups of 4–6 (target 5), at most 2 per administration."""
    return GroupRules(min_size=4, max_size=6, target_size=5, max_per_administration=2, apart=apart)
