"""Hard rules hold for random populations, checked independently of the matcher's own constraint check."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from samla_network.matching import (
    GroupRules,
    History,
    MatchingInfeasible,
    MatchingResult,
    Person,
    form_groups,
    group_sizes,
    pair_key,
)

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
TAGS = ("rekrytering", "digitalisering", "arbetsmiljö", "ekonomi", "trygghet", "hållbarhet", "AI")


@dataclass
class Instance:
    people: list[Person]
    rules: GroupRules
    history: History


def planted_instance(*, n: int, seed: int, rules: GroupRules, opted_out: int) -> Instance:
    """Builds a population around a hidden valid grouping, so a valid answer is known to exist."""
    rng = random.Random(seed)
    sizes = group_sizes(n=n, rules=rules)
    admins = [chr(ord("A") + k) for k in range(8)]
    people: list[Person] = []
    planted: list[list[str]] = []
    for g, size in enumerate(sizes):
        used: Counter[str] = Counter()
        members: list[str] = []
        for _ in range(size):
            # Skewed administrations (A is largest), never above the cap within the hidden group.
            options = [a for a in admins if used[a] < rules.max_per_administration]
            admin = rng.choices(options, weights=[2.0 ** -admins.index(a) for a in options])[0]
            used[admin] += 1
            pid = f"g{g}m{len(members)}"
            # Managers sit in earlier planted groups, so no chain ever leads back into one's own group.
            earlier = [p for grp in planted for p in grp]
            boss = rng.choice(earlier) if earlier and rng.random() < 0.4 else None
            people.append(Person(
                id=pid, administration=admin, level=rng.choice(("enhetschef", "avdelningschef")),
                location=rng.choice(("Norr", "Söder")), challenges=frozenset(rng.sample(TAGS, 2)),
                availability=frozenset(rng.sample(("mån", "tis", "ons"), 2)), manager_id=boss))
            members.append(pid)
        planted.append(members)
    people += [Person(id=f"out{k}", administration="A", level="enhetschef", location="Norr", opted_out=True)
               for k in range(opted_out)]
    apart = {pair_key(rng.choice(a), rng.choice(b))
             for a, b in combinations(planted, 2) if rng.random() < 0.3}
    together = {pair_key(*rng.sample(grp, 2)) for grp in planted if len(grp) > 1 and rng.random() < 0.3}
    ids = [p.id for p in people if not p.opted_out]
    met = {pair_key(a, b) for a, b in combinations(ids, 2) if rng.random() < 0.2}
    return Instance(people=people, rules=GroupRules(**{**rules.__dict__, "apart": frozenset(apart),
                                                       "together": frozenset(together)}),
                    history=History(met=frozenset(met)))


def chain(person: str, managers: dict[str, str | None]) -> set[str]:
    """Everyone above a person in the reporting line."""
    above, current = set(), managers.get(person)
    while current is not None and current not in above:
        above.add(current)
        current = managers.get(current)
    return above


def assert_valid(instance: Instance, result: MatchingResult) -> None:
    """Checks every hard rule from the raw inputs, without the matcher's helpers."""
    rules = instance.rules
    active = {p.id for p in instance.people if not p.opted_out}
    placed = [m for g in result.groups for m in g.members]
    assert sorted(placed) == sorted(active), "everyone not opted out is placed exactly once"
    admin = {p.id: p.administration for p in instance.people}
    managers = {p.id: p.manager_id for p in instance.people}
    where = {m: k for k, g in enumerate(result.groups) for m in g.members}
    for group in result.groups:
        assert rules.min_size <= len(group.members) <= rules.max_size
        assert max(Counter(admin[m] for m in group.members).values()) <= rules.max_per_administration
        for a, b in combinations(group.members, 2):
            assert a not in chain(b, managers) and b not in chain(a, managers), "reporting line in a group"
            assert pair_key(a, b) not in {pair_key(*p) for p in rules.apart}, "kept-apart pair together"
    for a, b in rules.together:
        assert where[a] == where[b], "must-together pair split"
    assert result.violations == ()
    assert result.upper_bound >= result.objective - 1e-9


rules_strategy = st.builds(
    lambda low, extra, cap: GroupRules(min_size=low, max_size=low + extra, target_size=low + extra // 2 + 1
                                       if extra else low, max_per_administration=cap),
    st.integers(3, 4), st.integers(0, 2), st.integers(1, 3))


@SETTINGS
@given(n=st.integers(8, 40), seed=st.integers(0, 10_000), rules=rules_strategy, opted_out=st.integers(0, 3))
def test_hard_rules_hold_and_everyone_is_placed_once(n: int, seed: int, rules: GroupRules,
                                                     opted_out: int) -> None:
    assume(group_sizes(n=n, rules=rules))
    instance = planted_instance(n=n, seed=seed, rules=rules, opted_out=opted_out)

    result = form_groups(people=instance.people, rules=instance.rules, history=instance.history,
                         time_budget_s=0.3, seed=seed)

    assert_valid(instance, result)


@SETTINGS
@given(n=st.integers(5, 30), seed=st.integers(0, 10_000), rules=rules_strategy)
def test_arbitrary_populations_either_satisfy_every_rule_or_explain_why_not(n: int, seed: int,
                                                                          rules: GroupRules) -> None:
    rng = random.Random(seed)
    people = [Person(id=f"p{k}", administration=rng.choice("AABBC"), level="enhetschef", location="Norr",
                     manager_id=f"p{rng.randrange(k)}" if k and rng.random() < 0.3 else None)
              for k in range(n)]
    instance = Instance(people=people, rules=rules, history=History())

    try:
        result = form_groups(people=people, rules=rules, time_budget_s=0.2, seed=seed)
    except MatchingInfeasible as infeasible:
        assert infeasible.explanation
        assert infeasible.relaxation is not None and infeasible.relaxation.description.startswith("Förslag")
        return
    assert_valid(instance, result)
