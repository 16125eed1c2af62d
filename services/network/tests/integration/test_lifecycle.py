"""After publishing: drop-outs re-matched, merge, dissolve, k-anonymous health, leadership draws, erasure."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from samla_common.db import unit_of_work
from samla_common.messaging.envelope import Envelope
from samla_network.groups.models import Membership
from samla_network.profiles.models import Profile

from .conftest import Network

pytestmark = pytest.mark.integration


def _published(network: Network, tag: str, *, administrations: int, per: int, size: int) -> list[dict]:  # type: ignore[type-arg]
    ids = network.municipality(tag, administrations=administrations, per_administration=per)
    run = network.call("POST", "/runs", expect=201, json={
        "name": f"N {tag}", "population": {"kind": "people", "person_ids": ids},
        "parameters": {"min_size": size, "max_size": size, "max_per_administration": 2,
                       "time_budget_seconds": 0.3}}).json()
    assert network.run_to_end(run["id"])["status"] == "done"
    return list(network.call("POST", f"/runs/{run['id']}/publish", expect=200).json())


def test_a_group_left_too_small_is_rematched_into_the_others(network: Network, tag: str) -> None:
    groups = _published(network, tag, administrations=4, per=3, size=4)  # 3 groups of 4
    leaver = groups[0]["members"][0]["person_id"]

    outcome = network.call("POST", f"/groups/{groups[0]['id']}/leave", as_=leaver, role="", expect=200).json()

    everyone = {m["person_id"] for g in groups for m in g["members"]} - {leaver}
    now = [network.call("GET", f"/groups/{g['id']}", expect=200).json() for g in groups]
    placed = [m["person_id"] for g in now for m in g["members"]]
    assert sorted(placed) == sorted(everyone)  # nobody lost, nobody twice
    assert set(outcome["moved"]) | set(outcome["unplaced"]) == {m["person_id"] for m in groups[0]["members"]} - {leaver}
    assert network.call("GET", "/me/networks", as_=leaver, role="", expect=200).json() == []


def test_merge_and_dissolve_end_groups_and_keep_their_members_history(network: Network, tag: str) -> None:
    a, b, c = _published(network, tag, administrations=4, per=3, size=4)

    merged = network.call("POST", f"/groups/{a['id']}/merge", expect=200, json={"other_group_id": b["id"]}).json()
    dissolved = network.call("POST", f"/groups/{c['id']}/dissolve", expect=200).json()
    again = network.call("POST", f"/groups/{c['id']}/dissolve")

    assert len(merged["members"]) == 8 and dissolved["status"] == "dissolved" and dissolved["members"] == []
    assert again.status_code == 409
    other = network.call("GET", f"/groups/{b['id']}", expect=200).json()
    assert other["status"] == "dissolved" and other["merged_into"] == a["id"]
    with network.factory() as session:
        kept = list(session.scalars(select(Membership).where(Membership.group_id == c["id"])))
    assert len(kept) == 4 and all(m.left_at is not None for m in kept)


def test_the_health_view_hides_cohorts_below_k_and_what_would_reveal_them(network: Network, tag: str) -> None:
    big = _published(network, f"{tag}b", administrations=5, per=2, size=5)  # 10 people
    small = _published(network, f"{tag}s", administrations=2, per=2, size=4)  # 4 people, below k = 5
    for g in big:
        for m in g["members"]:
            network.call("PUT", f"/groups/{g['id']}/check-ins/mine", as_=m["person_id"], role="", expect=200,
                         json={"period": "2027-Q1", "met": True})

    view = network.call("GET", "/health-view?period=2027-Q1", expect=200).json()

    shown = {c["run_id"] for c in view["cohorts"]}
    assert small[0]["run_id"] not in shown and view["k"] == 5
    assert all(c["people"] >= 5 for c in view["cohorts"])
    hidden_people = view["people"] - sum(c["people"] for c in view["cohorts"])
    assert hidden_people == 0 or hidden_people >= 5  # the difference never singles out a small cohort


def test_leadership_draws_give_those_not_yet_drawn_their_turn_first(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=2, per_administration=4)
    body = {"period": "2027-Q1", "group_count": 1, "group_size": 4,
            "population": {"kind": "people", "person_ids": ids}}

    first = network.call("POST", "/leadership-draws", expect=201, json=body).json()
    second = network.call("POST", "/leadership-draws", expect=201, json={**body, "period": "2027-Q2"}).json()

    assert set(first["groups"][0]).isdisjoint(second["groups"][0])
    assert set(first["groups"][0]) | set(second["groups"][0]) == set(ids)


def test_erasure_removes_the_persons_profile_memberships_and_mentions(network: Network, tag: str) -> None:
    groups = _published(network, tag, administrations=4, per=2, size=4)
    person = groups[0]["members"][0]["person_id"]
    network.call("PUT", "/me/profile", as_=person, role="", expect=200, json={"challenges": ["budget"]})
    network.call("POST", f"/groups/{groups[0]['id']}/meetings", as_=person, role="", expect=201,
                 json={"held_on": "2026-01-10"})
    from samla_network.erasure import export_person
    from samla_network.main import build_registry

    with network.factory() as session:
        before = export_person(session, person)
    handler = build_registry().get("se.samla.identity.person.erased.v1")
    assert handler is not None and before["profile"] and before["memberships"]
    with unit_of_work(network.factory) as session:
        handler(session, Envelope(id="erase-1", type="se.samla.identity.person.erased.v1", source="/t",
                                  subject=person, time=groups[0]["created_at"], data={"id": person}, sequence=99))

    with network.factory() as session:
        after = export_person(session, person)
        assert session.get(Profile, person) is None
    assert after["memberships"] == [] and after["meetings_attended"] == []
    assert after["matching_runs_including_you"] == []
    group = network.call("GET", f"/groups/{groups[0]['id']}", expect=200).json()
    assert person not in [m["person_id"] for m in group["members"]]
