"""Matching runs over HTTP: population from an event, profiles, run, review with swaps, publish."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from samla_network.groups.models import Membership
from samla_network.mail.models import QueuedMail

from .conftest import Network

pytestmark = pytest.mark.integration


def give_varied_challenges(network: Network, ids: list[str]) -> None:
    tags = [t["id"] for t in network.call("GET", "/profile/options", expect=200).json()["challenges"]]
    for k, pid in enumerate(ids):
        picks = sorted({tags[(k * 7) % 20], tags[(k * 11 + 3) % 20], tags[(k * k + 5) % 20]})
        network.call("PUT", "/me/profile", as_=pid, role="", expect=200,
                     json={"challenges": picks, "availability": [["mon-am", "tue-pm", "wed-am"][k % 3]]})


def _event_population(network: Network, tag: str, *, administrations: int = 4, per: int = 5) -> list[str]:
    ids = network.municipality(tag, administrations=administrations, per_administration=per)
    for pid in ids:
        network.attend(f"ev-{tag}", pid)
    return ids


def test_a_person_saves_their_profile_and_unknown_challenges_are_refused(network: Network, tag: str) -> None:
    me = f"{tag}-me"
    assert network.call("GET", "/me/profile", as_=me, role="", expect=200).json()["saved"] is False
    options = network.call("GET", "/profile/options", as_=me, role="", expect=200).json()
    assert len(options["challenges"]) == 20

    saved = network.call("PUT", "/me/profile", as_=me, role="", expect=200, json={
        "challenges": ["rekrytering", "budget"], "languages": ["SV", "en"], "share": ["challenges"]}).json()
    bad = network.call("PUT", "/me/profile", as_=me, role="", json={"challenges": ["golf"]})

    assert saved["saved"] and saved["languages"] == ["en", "sv"] and saved["challenges"] == ["rekrytering", "budget"]
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
    assert "golf" in bad.json()["detail"] and "GET /profile/options" in bad.json()["detail"]


def test_a_run_from_an_event_is_reviewed_swapped_and_published(network: Network, tag: str) -> None:
    ids = _event_population(network, tag)
    opted_out = ids[0]
    network.call("PUT", "/me/profile", as_=opted_out, role="", expect=200, json={"opted_out": True})
    run = network.call("POST", "/runs", expect=201, json={
        "name": f"Dag {tag}", "population": {"kind": "event", "event_id": f"ev-{tag}"},
        "parameters": {"min_size": 4, "max_size": 5, "max_per_administration": 2, "time_budget_seconds": 0.5}}).json()
    assert run["status"] == "draft" and run["population_size"] == len(ids) - 1
    assert run["excluded"] == [{"person_id": opted_out, "reason": "opted_out"}]

    done = network.run_to_end(run["id"])
    result = done["result"]
    assert done["status"] == "done" and result["violations"] == []
    assert result["upper_bound"] >= result["objective"] and 0 <= result["gap"] <= 1
    assert all(g["explanation"] for g in result["groups"])
    members = sorted(m["person_id"] for g in result["groups"] for m in g["members"])
    assert members == sorted(ids[1:])

    a, b = result["groups"][0]["members"][0]["person_id"], result["groups"][1]["members"][0]["person_id"]
    preview = network.call("POST", f"/runs/{run['id']}/swaps/preview", expect=200,
                           json={"person_a": a, "person_b": b}).json()
    unchanged = network.call("GET", f"/runs/{run['id']}", expect=200).json()["result"]["objective"]
    swapped = network.call("POST", f"/runs/{run['id']}/swaps", expect=200,
                           json={"person_a": a, "person_b": b}).json()["result"]
    assert unchanged == result["objective"]
    assert swapped["objective"] == pytest.approx(preview["new_objective"])
    assert a in [m["person_id"] for m in swapped["groups"][1]["members"]]
    if swapped["violations"]:
        refused = network.call("POST", f"/runs/{run['id']}/publish")
        assert refused.status_code == 409
        network.call("POST", f"/runs/{run['id']}/swaps", expect=200, json={"person_a": a, "person_b": b})

    published = network.call("POST", f"/runs/{run['id']}/publish", expect=200).json()
    again = network.call("POST", f"/runs/{run['id']}/publish")

    assert len(published) == len(result["groups"]) and again.status_code == 409
    mine = network.call("GET", "/me/networks", as_=a, role="", expect=200).json()
    assert len(mine) == 1 and a in [m["person_id"] for m in mine[0]["members"]]
    assert mine[0]["first_meeting_at"] is not None
    with network.factory() as session:
        mails = list(session.scalars(select(QueuedMail).where(QueuedMail.person_id.in_(ids))))
    assert len(mails) == len(ids) - 1
    assert all(m.ics and "BEGIN:VEVENT" in m.ics and "Första träffen" in m.ics for m in mails)


def test_infeasible_rules_fail_the_run_with_an_explanation_and_a_relaxation(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=1, per_administration=8)
    run = network.call("POST", "/runs", expect=201, json={
        "name": "omöjlig", "population": {"kind": "people", "person_ids": ids},
        "parameters": {"min_size": 4, "max_size": 4, "max_per_administration": 2, "time_budget_seconds": 0.3}}).json()

    failed = network.run_to_end(run["id"])

    assert failed["status"] == "failed" and failed["result"] is None
    assert "Förvaltning" in failed["error"]["detail"]
    assert failed["error"]["relaxation"]["parameters"]["max_per_administration"] == 4


def test_bad_run_input_names_what_to_fix(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=2, per_administration=3)

    outside = network.call("POST", "/runs", json={
        "name": "x", "population": {"kind": "people", "person_ids": ids},
        "parameters": {"apart": [[ids[0], "someone-else"]]}})
    sizes = network.call("POST", "/runs", json={
        "name": "x", "population": {"kind": "everyone"}, "parameters": {"min_size": 6, "max_size": 4}})
    budget = network.call("POST", "/runs", json={
        "name": "x", "population": {"kind": "everyone"}, "parameters": {"time_budget_seconds": 3000}})

    assert outside.status_code == 400 and "someone-else" in outside.json()["detail"]
    assert sizes.status_code == 422 and "min_size" in sizes.text
    assert budget.status_code == 400 and "time_budget_seconds" in budget.json()["detail"]


def test_an_org_unit_population_takes_the_unit_and_everything_below(network: Network, tag: str) -> None:
    network.municipality(tag, administrations=2, per_administration=3)
    network.org_unit(f"{tag}-a0-sub", "Enhet", "enhet", f"{tag}-a0")
    network.person(f"{tag}-deep", org_unit_id=f"{tag}-a0-sub")

    run = network.call("POST", "/runs", expect=201, json={
        "name": "x", "population": {"kind": "org_unit", "org_unit_id": f"{tag}-a0"}}).json()

    assert run["population_size"] == 4


def test_mentor_runs_pair_each_mentee_with_a_mentor(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=2, per_administration=3)
    mentors = ids[:2]
    run = network.call("POST", "/runs", expect=201, json={
        "name": "mentorer", "kind": "mentors", "population": {"kind": "people", "person_ids": ids[:4]},
        "parameters": {"mentor_ids": mentors}}).json()

    done = network.run_to_end(run["id"])

    pairs = done["result"]["groups"]
    assert done["status"] == "done" and len(pairs) == 2
    assert sorted(p["members"][0]["person_id"] for p in pairs) == sorted(mentors)
    assert all(p["members"][0]["role"] == "mentor" for p in pairs)


def test_the_http_stop_keeps_the_best_grouping_so_far(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=6, per_administration=10)
    give_varied_challenges(network, ids)  # so the bound is not reached at once and the search runs on
    run = network.call("POST", "/runs", expect=201, json={
        "name": "stopp", "population": {"kind": "people", "person_ids": ids},
        "parameters": {"time_budget_seconds": 60}}).json()
    network.call("POST", f"/runs/{run['id']}/start", expect=202)
    from .conftest import wait_for

    wait_for(lambda: network.call("GET", f"/runs/{run['id']}/status").json()["best_objective"] is not None)

    network.call("POST", f"/runs/{run['id']}/stop", expect=200)
    wait_for(lambda: network.call("GET", f"/runs/{run['id']}/status").json()["status"] == "done")
    stopped = network.call("GET", f"/runs/{run['id']}", expect=200).json()
    assert stopped["result"]["stopped"] is True
    assert sorted(m["person_id"] for g in stopped["result"]["groups"] for m in g["members"]) == sorted(ids)


def test_a_rerun_for_a_new_year_avoids_last_years_partners(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=5, per_administration=4)
    body = {"name": "år 1", "population": {"kind": "people", "person_ids": ids},
            "parameters": {"min_size": 4, "max_size": 4, "time_budget_seconds": 0.5}}
    first = network.call("POST", "/runs", expect=201, json=body).json()
    network.run_to_end(first["id"])
    network.call("POST", f"/runs/{first['id']}/publish", expect=200)
    with network.factory() as session:
        old = {}
        for m in session.scalars(select(Membership).where(Membership.person_id.in_(ids))):
            old.setdefault(m.group_id, set()).add(m.person_id)
    before = {frozenset((a, b)) for g in old.values() for a in g for b in g if a != b}

    second = network.call("POST", "/runs", expect=201, json={**body, "name": "år 2"}).json()
    result = network.run_to_end(second["id"])["result"]

    after = {frozenset((a["person_id"], b["person_id"])) for g in result["groups"] for a in g["members"]
             for b in g["members"] if a != b}
    assert result["violations"] == [] and before & after == set()


def test_meetings_and_check_ins_are_kept_per_network(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=4, per_administration=2)
    run = network.call("POST", "/runs", expect=201, json={
        "name": "m", "population": {"kind": "people", "person_ids": ids},
        "parameters": {"min_size": 4, "max_size": 4, "time_budget_seconds": 0.3}}).json()
    network.run_to_end(run["id"])
    group = network.call("POST", f"/runs/{run['id']}/publish", expect=200).json()[0]
    member, outsider = group["members"][0]["person_id"], next(
        p for p in ids if p not in {m["person_id"] for m in group["members"]})

    logged = network.call("POST", f"/groups/{group['id']}/meetings", as_=member, role="", expect=201,
                          json={"held_on": (date.today() - timedelta(days=1)).isoformat(), "note": "Bra träff"}).json()
    future = network.call("POST", f"/groups/{group['id']}/meetings", as_=member, role="",
                          json={"held_on": date.max.isoformat()})
    foreign = network.call("GET", f"/groups/{group['id']}/meetings", as_=outsider, role="")
    network.call("PUT", f"/groups/{group['id']}/check-ins/mine", as_=member, role="", expect=200,
                 json={"period": "2026-12", "met": True})

    assert len(logged["attendees"]) == 4 and future.status_code == 400 and foreign.status_code == 403
    mine = network.call("GET", "/me/networks", as_=member, role="", expect=200).json()[0]
    assert [m["id"] for m in mine["meetings"]] == [logged["id"]]
    assert mine["my_check_ins"][0]["period"] == "2026-12" and mine["my_check_ins"][0]["met"] is True
