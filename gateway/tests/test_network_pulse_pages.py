"""The "Träffa ledningen" and network pulse pages against the real network, feedback, events and identity services:
an admin draws first-line managers and sees the groups by name; an admin starts a pulse for a published cohort, a
member answers it on "Mitt nätverk" (through feedback with an answer code), and the admin sees the count and closes
it; each page only for the roles it names, forms only with the CSRF token, mistakes told in Swedish."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from gateway.tests.conftest import MakeGateway
from gateway.tests.support import Browser, Identity, start_beside
from gateway.tests.test_event_pages import signed_in
from gateway.tests.test_network_pages import create_run, load_people, run_to_end
from gateway.tests.test_pages import main_text
from samla_common import migrations

PERIOD = "2027-Q1"


@dataclass
class Services:
    network_url: str
    network_grpc_target: str
    feedback_url: str


@pytest.fixture(scope="module")
def services(identity: Identity) -> Iterator[Services]:
    """Network (which opens pulses in feedback) and feedback beside identity and events, the directory delivered
    to network through its consumer handlers. Network gets a database of its own here: the cohort published below
    would otherwise be "earlier partners" for the matching runs of the other network tests."""
    stack = identity.stack
    feedback_url = start_beside(identity, "feedback")
    stack.stop_service("network")  # another module may have left it running on the shared database
    db_url = f"sqlite:///{stack.var_dir / 'db' / 'network-pulses.db'}"
    stack.extra_env["SAMLA_NETWORK_DATABASE_URL"] = db_url
    try:
        migrations.upgrade("network", db_url)
        load_people(db_url)
        network_url = start_beside(identity, "network")
        yield Services(network_url=network_url, network_grpc_target=f"127.0.0.1:{stack.ports.grpc('network')}",
                       feedback_url=feedback_url)
    finally:
        stack.stop_service("network")  # other modules start network themselves, on the shared database
        del stack.extra_env["SAMLA_NETWORK_DATABASE_URL"]


@pytest.fixture
def person(make_gateway: MakeGateway, services: Services) -> Any:
    def sign_in(person_id: str) -> Browser:
        return signed_in(lambda: make_gateway(network_url=services.network_url, feedback_url=services.feedback_url,
                                              network_grpc_target=services.network_grpc_target), person_id)

    return sign_in


@pytest.fixture(scope="module")
def cohort() -> dict[str, str]:
    return {}


def published_cohort(admin: Browser, cohort: dict[str, str]) -> str:
    """One published matching run of the whole municipality, made once for the module."""
    if "run_id" not in cohort:
        run_id = create_run(admin, name="Pulskohort")
        run_to_end(admin, run_id)
        published = admin.client.post(f"/natverk/korningar/{run_id}/publicera", data={"csrf_token": admin.csrf()})
        assert "Nätverken är publicerade." in main_text(published.text)
        cohort["run_id"] = run_id
    return cohort["run_id"]


def start_pulse(admin: Browser, run_id: str, period: str) -> str:
    resp = admin.client.post("/natverk/pulser", data={"run_id": run_id, "period": period, "free_text": "true",
                                                      "csrf_token": admin.csrf()}, follow_redirects=False)
    assert resp.status_code == 303, main_text(admin.client.post("/natverk/pulser", data={
        "run_id": run_id, "period": period, "csrf_token": admin.csrf()}).text)[:800]
    return str(resp.headers["location"].split("?")[0].rsplit("/", 1)[1])


def test_an_admin_starts_a_pulse_a_member_answers_and_the_admin_sees_the_count_and_closes_it(
        person: Any, cohort: dict[str, str]) -> None:
    admin = person("p-admin")
    run_id = published_cohort(admin, cohort)
    pulse_id = start_pulse(admin, run_id, PERIOD)
    opened = main_text(admin.client.get(f"/natverk/pulser/{pulse_id}?klart=startad").text)
    assert "Pulsen är öppen." in opened and "0 har svarat." in opened and "Stäng pulsen" in opened
    maja = person("p-chef")

    mine = maja.client.get("/mitt-natverk")
    answered = maja.client.post(f"/mitt-natverk/pulser/{pulse_id}", data={
        "met": "ja_flera", "value": "4", "comment": "Bra träffar.", "csrf_token": maja.csrf()})

    assert "Några frågor om" in main_text(mine.text) and "Har ni träffats?" in main_text(mine.text)
    assert "Hur värdefullt är nätverket för dig?" in main_text(mine.text)
    assert answered.status_code == 200 and "Tack för att du svarade!" in main_text(answered.text)
    assert "Skicka mina svar" not in main_text(answered.text)
    live = main_text(admin.client.get(f"/natverk/pulser/{pulse_id}").text)
    assert "1 har svarat." in live and "För få svar för att visa." in live  # one answer is below k
    again = maja.client.post(f"/mitt-natverk/pulser/{pulse_id}", data={
        "met": "nej", "value": "1", "csrf_token": maja.csrf()})
    assert again.status_code == 409 and "Du har redan svarat på den här pulsen." in main_text(again.text)
    closed = admin.client.post(f"/natverk/pulser/{pulse_id}/stang", data={"csrf_token": admin.csrf()})
    text = main_text(closed.text)
    assert "Pulsen är stängd." in text and "Per nätverk" in text and "för få" in text
    assert "Stäng pulsen" not in text
    assert all(p["pulse_id"] != pulse_id for p in maja.client.get("/api/network/me/pulses").json())
    assert PERIOD in main_text(admin.client.get("/natverk/pulser").text)


def test_pulse_mistakes_come_back_in_swedish(person: Any, cohort: dict[str, str]) -> None:
    admin = person("p-admin")
    run_id = published_cohort(admin, cohort)
    pulse_id = start_pulse(admin, run_id, "2027-03")
    maja = person("p-chef")

    bad_period = admin.client.post("/natverk/pulser", data={"run_id": run_id, "period": "våren",
                                                            "csrf_token": admin.csrf()})
    twice = admin.client.post("/natverk/pulser", data={"run_id": run_id, "period": "2027-03",
                                                       "csrf_token": admin.csrf()})
    unanswered = maja.client.post(f"/mitt-natverk/pulser/{pulse_id}", data={"value": "9", "csrf_token": maja.csrf()})
    unknown = maja.client.post("/mitt-natverk/pulser/no-such-pulse", data={"met": "nej", "csrf_token": maja.csrf()})

    assert bad_period.status_code == 400 and "Ange en månad som 2027-03" in main_text(bad_period.text)
    assert twice.status_code == 409 and "Pulsen kunde inte startas." in main_text(twice.text)
    text = main_text(unanswered.text)
    assert unanswered.status_code == 400 and "Välj ett av svaren." in text and "Välj ett värde på skalan." in text
    assert unknown.status_code == 404 and "Pulsen är stängd eller gäller inte ditt nätverk." in main_text(unknown.text)
    assert admin.client.get("/natverk/pulser/no-such-pulse").status_code == 404


def test_a_draw_is_made_and_listed_with_the_names_the_directory_knows(person: Any) -> None:
    admin = person("p-admin")

    made = admin.client.post("/natverk/traffa-ledningen", data={
        "period": "Ledning 2027-Q1", "group_count": "3", "group_size": "5", "population": "everyone",
        "csrf_token": admin.csrf()})
    bad = admin.client.post("/natverk/traffa-ledningen", data={
        "period": "", "group_count": "noll", "group_size": "40", "population": "org_unit",
        "csrf_token": admin.csrf()})

    text = main_text(made.text)
    assert made.status_code == 200 and "Dragningen är gjord." in text and "Ledning 2027-Q1" in text
    [draw] = [d for d in admin.client.get("/api/network/leadership-draws").json()
              if d["period"] == "Ledning 2027-Q1"]
    drawn = [pid for g in draw["groups"] for pid in g]
    # Fifteen places for the fourteen first-line managers network knows: everyone is drawn, Maja too.
    assert len(draw["groups"]) == 3 and len(drawn) == len(set(drawn)) == 14 and "p-chef" in drawn
    assert "Maja Chef" in text and "Frida Processledare" in text and "p-chef" not in text
    bad_text = main_text(bad.text)
    assert bad.status_code == 400 and "Ange vilken period dragningen gäller" in bad_text
    assert "Ange antalet grupper som ett heltal från 1 till 50." in bad_text
    assert "Ange gruppstorleken som ett heltal från 2 till 12." in bad_text
    assert "Välj den förvaltning eller enhet" in bad_text


def test_draw_and_pulse_pages_are_for_admins_and_their_forms_need_the_csrf_token(
        person: Any, cohort: dict[str, str]) -> None:
    admin = person("p-admin")
    run_id = published_cohort(admin, cohort)
    manager = person("p-chef")
    before = len(admin.client.get("/api/network/pulses").json())
    draws_before = len(admin.client.get("/api/network/leadership-draws").json())

    refused = [manager.client.get(p).status_code for p in ("/natverk/pulser", "/natverk/traffa-ledningen",
                                                           "/natverk/pulser/x")]
    posted = manager.client.post("/natverk/pulser", data={"run_id": run_id, "period": "2027-Q3",
                                                          "csrf_token": manager.csrf()})
    without_token = admin.client.post("/natverk/pulser", data={"run_id": run_id, "period": "2027-Q3"})
    draw_without_token = admin.client.post("/natverk/traffa-ledningen", data={
        "period": "2027-Q3", "group_count": "1", "group_size": "3", "population": "everyone"})
    answer_without_token = manager.client.post("/mitt-natverk/pulser/x", data={"met": "nej"})

    assert refused == [403, 403, 403] and posted.status_code == 403
    assert (without_token.status_code, draw_without_token.status_code, answer_without_token.status_code) == (
        403, 403, 403)
    assert len(admin.client.get("/api/network/pulses").json()) == before
    assert len(admin.client.get("/api/network/leadership-draws").json()) == draws_before
