"""Stable mentor runs through the API: mentees and mentors rank each other and no pair would rather be together."""

from __future__ import annotations

import random
from typing import Any

import pytest

from .conftest import Network

pytestmark = pytest.mark.integration


def blocking_pairs(pairs: list[tuple[str, str]], preferences: dict[str, list[str]],
                   mentors: list[str]) -> list[tuple[str, str]]:
    """Mentor–mentee pairs who both rank each other above their partner (or have none): what stability forbids."""
    partner = {m: e for m, e in pairs} | {e: m for m, e in pairs}

    def prefers(person: str, other: str) -> bool:
        ranking = preferences[person]
        current = partner.get(person)
        return other in ranking and (current is None or ranking.index(other) < ranking.index(current))

    return [(m, e) for m in mentors for e in preferences[m] if partner.get(m) != e and prefers(m, e) and prefers(e, m)]


def test_the_blocking_pair_check_finds_a_pair_that_would_rather_be_together() -> None:
    preferences = {"m1": ["e1", "e2"], "m2": ["e1", "e2"], "e1": ["m1", "m2"], "e2": ["m1", "m2"]}

    assert blocking_pairs([("m1", "e2"), ("m2", "e1")], preferences, ["m1", "m2"]) == [("m1", "e1")]
    assert blocking_pairs([("m1", "e1"), ("m2", "e2")], preferences, ["m1", "m2"]) == []


def _stable_run(network: Network, mentors: list[str], mentees: list[str],
                preferences: dict[str, list[str]]) -> dict[str, Any]:
    run = network.call("POST", "/runs", expect=201, json={
        "name": "stabila mentorpar", "kind": "mentors",
        "population": {"kind": "people", "person_ids": mentors + mentees},
        "parameters": {"mentor_ids": mentors, "mentor_method": "stable", "preferences": preferences,
                       "max_per_administration": 2}}).json()
    return network.run_to_end(run["id"])


def _people(network: Network, tag: str, side: str, count: int) -> list[str]:
    network.org_unit(f"{tag}-k", "Kommunen", "kommun")
    ids = []
    for k in range(count):
        network.org_unit(f"{tag}-{side}{k}", f"Förvaltning {side}{k}", "forvaltning", f"{tag}-k")
        network.person(f"{tag}-{side}{k}", org_unit_id=f"{tag}-{side}{k}")
        ids.append(f"{tag}-{side}{k}")
    return ids


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_stable_mentor_run_leaves_no_mentor_and_mentee_who_would_rather_be_together(
        network: Network, tag: str, seed: int) -> None:
    mentors = _people(network, f"{tag}{seed}", "m", 3)
    mentees = _people(network, f"{tag}{seed}", "e", 4)
    rng = random.Random(seed)
    preferences = {m: rng.sample(mentees, len(mentees)) for m in mentors}
    preferences |= {e: rng.sample(mentors, len(mentors)) for e in mentees}

    done = _stable_run(network, mentors, mentees, preferences)

    result = done["result"]
    pairs = [(g["members"][0]["person_id"], g["members"][1]["person_id"]) for g in result["groups"]]
    assert done["status"] == "done" and len(pairs) == 3
    assert all(g["members"][0]["role"] == "mentor" and g["members"][1]["role"] == "mentee" for g in result["groups"])
    assert {m for m, _ in pairs} == set(mentors) and len({e for _, e in pairs}) == 3
    assert blocking_pairs(pairs, preferences, mentors) == []
    assert result["unmatched"] == [e for e in mentees if e not in {x for _, x in pairs}]
    assert all("val nr" in g["explanation"] for g in result["groups"]) and result["upper_bound"] is None


def test_people_without_a_ranking_rank_by_their_profiles_and_unranked_partners_are_never_formed(
        network: Network, tag: str) -> None:
    mentors = _people(network, tag, "m", 2)
    mentees = _people(network, tag, "e", 2)
    # The first mentee accepts only the second mentor; the second mentee and both mentors gave no ranking.
    done = _stable_run(network, mentors, mentees, {mentees[0]: [mentors[1]]})

    pairs = {(g["members"][0]["person_id"], g["members"][1]["person_id"]) for g in done["result"]["groups"]}
    assert pairs == {(mentors[1], mentees[0]), (mentors[0], mentees[1])}
    assert any("utan egen rangordning" in n for n in done["result"]["notes"])


def test_rankings_of_the_same_side_or_outside_stable_runs_are_refused_with_the_field(
        network: Network, tag: str) -> None:
    mentors = _people(network, tag, "m", 2)
    mentees = _people(network, tag, "e", 2)
    base = {"name": "x", "kind": "mentors", "population": {"kind": "people", "person_ids": mentors + mentees}}

    same_side = network.call("POST", "/runs", json={**base, "parameters": {
        "mentor_ids": mentors, "mentor_method": "stable", "preferences": {mentors[0]: [mentors[1]]}}})
    not_stable = network.call("POST", "/runs", json={**base, "parameters": {
        "mentor_ids": mentors, "preferences": {mentees[0]: [mentors[0]]}}})
    outsider = network.call("POST", "/runs", json={**base, "parameters": {
        "mentor_ids": mentors, "mentor_method": "stable", "preferences": {mentees[0]: ["nobody-here"]}}})

    assert same_side.status_code == 400 and same_side.json()["errors"][0]["field"] == \
        f"parameters.preferences.{mentors[0]}"
    assert "rank only the other side" in same_side.json()["detail"]
    assert not_stable.status_code == 400 and "mentor_method stable" in not_stable.json()["detail"]
    assert outsider.status_code == 400 and "nobody-here" in outsider.json()["detail"]
