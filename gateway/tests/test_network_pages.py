"""The network pages against the real network, events and identity services: an admin creates a matching run,
follows its progress (the gateway's Server-Sent Events fed by network's gRPC stream), reviews the quality, swaps
two people after seeing the consequences and publishes; a manager sees the network, downloads the first meeting,
logs a meeting, answers "did you meet?" and leaves; each page only for the roles it names, refusals in Swedish."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from gateway.tests.conftest import MakeGateway
from gateway.tests.support import PEOPLE, UNITS, Browser, Identity, wait_until
from gateway.tests.test_event_pages import signed_in
from gateway.tests.test_pages import main_text
from samla_common import migrations
from samla_common.db import make_engine, make_session_factory, unit_of_work
from samla_common.messaging.envelope import Envelope

# Three more administrations of four managers each, beside the small directory's people.
EXTRA_UNITS = [{"id": f"ou-net{a}", "name": f"Nätförvaltning {a}", "kind": "forvaltning", "parent_id": "ou-kommun"}
               for a in range(3)]
EXTRA_PEOPLE = [{"id": f"p-net{a}-{k}", "name": f"Nätchef {a}-{k}", "org_unit_id": f"ou-net{a}",
                 "level": "enhetschef"} for a in range(3) for k in range(4)]


@dataclass
class NetworkService:
    url: str
    grpc_target: str
    db_url: str


def deliver(db_url: str, event_type: str, data: dict[str, Any], key: str, seq: int) -> None:
    """Applies an identity event through network's own consumer handlers, as its Kafka loop would."""
    from samla_network.main import build_registry

    handler = build_registry().get(event_type)
    assert handler is not None, event_type
    env = Envelope(id=str(uuid.uuid4()), type=event_type, source="/test", subject=key, time=datetime.now(UTC),
                   data=data, sequence=seq)
    engine = make_engine(db_url)
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            handler(session, env)
    finally:
        engine.dispose()


def load_people(db_url: str) -> None:
    stamp = "2026-11-26T08:00:00Z"
    for unit in [*UNITS, *EXTRA_UNITS]:
        deliver(db_url, "se.samla.identity.orgunit.upserted.v1", {
            "id": unit["id"], "name": unit["name"], "kind": unit["kind"], "parent_id": unit["parent_id"],
            "updated_at": stamp}, unit["id"], 1)
    for person in [*PEOPLE, *EXTRA_PEOPLE]:
        if person["id"] == "p-gone":
            continue
        deliver(db_url, "se.samla.identity.person.upserted.v1", {
            "id": person["id"], "name": person["name"], "email": person.get("email") or f"{person['id']}@testby.se",
            "org_unit_id": person["org_unit_id"], "level": person["level"], "manager_id": person.get("manager_id"),
            "active": True, "updated_at": stamp}, person["id"], 1)


@pytest.fixture(scope="module")
def network(identity: Identity) -> Iterator[NetworkService]:
    """The network service beside identity and events (its own database; no broker, no mail sender), with the
    small directory delivered through its consumer handlers."""
    stack = identity.stack
    stack.extra_env.update({"SAMLA_NETWORK_RELAY_ENABLED": "false", "SAMLA_NETWORK_KAFKA_CONSUMER_ENABLED": "false",
                            "SAMLA_NETWORK_MAIL_SENDER_ENABLED": "false"})
    db_url = f"sqlite:///{stack.var_dir / 'db' / 'network.db'}"
    migrations.upgrade("network", db_url)
    load_people(db_url)
    stack.start_service("network")
    url = f"http://127.0.0.1:{stack.ports.http('network')}"

    def up() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, timeout=60, what="network to answer")
    yield NetworkService(url=url, grpc_target=f"127.0.0.1:{stack.ports.grpc('network')}", db_url=db_url)
    stack.stop_service("network")


@pytest.fixture
def person(make_gateway: MakeGateway, network: NetworkService) -> Any:
    def sign_in(person_id: str) -> Browser:
        return signed_in(lambda: make_gateway(network_url=network.url, network_grpc_target=network.grpc_target),
                         person_id)

    return sign_in


RUN_FORM = {"name": "Nätverk hösten", "kind": "groups", "population": "org_unit", "org_unit_id": "ou-kommun",
            "min_size": "4", "max_size": "6", "max_per_administration": "2", "time_budget_seconds": "1",
            "w_mix_administrations": "1", "w_mix_levels": "0,5", "w_shared_challenges": "1", "w_history": "2",
            "w_same_location": "0.5"}


def create_run(admin: Browser, **changes: str) -> str:
    resp = admin.client.post("/natverk/korningar", data=RUN_FORM | changes | {"csrf_token": admin.csrf()},
                             follow_redirects=False)
    assert resp.status_code == 303, main_text(resp.text)[:800]
    return str(resp.headers["location"].rsplit("/", 1)[1])


def frames(body: str) -> list[tuple[str, dict[str, Any]]]:
    """(event, data) of every frame of a Server-Sent Events body."""
    out = []
    for block in body.split("\n\n"):
        event = re.search(r"^event: (.+)$", block, re.M)
        data = re.search(r"^data: (.+)$", block, re.M)
        if event and data:
            out.append((event.group(1), json.loads(data.group(1))))
    return out


def run_to_end(admin: Browser, run_id: str) -> list[tuple[str, dict[str, Any]]]:
    token = admin.csrf(f"/natverk/korningar/{run_id}")
    resp = admin.client.get(f"/natverk/korningar/{run_id}/forlopp", params={"starta": "1", "csrf_token": token})
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
    return frames(resp.text)


def test_the_progress_stream_starts_the_run_over_grpc_and_forwards_progress_to_done(person: Any) -> None:
    admin = person("p-admin")
    run_id = create_run(admin)
    page = admin.client.get(f"/natverk/korningar/{run_id}")
    assert "Starta sökningen" in main_text(page.text) and 'src="/static/network.js"' in page.text

    received = run_to_end(admin, run_id)

    kinds = [k for k, _ in received]
    assert kinds[-1] == "done" and kinds.count("done") == 1 and "problem" not in kinds
    fractions = [d["fraction"] for _, d in received]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    last = received[-1][1]
    stored = admin.client.get(f"/api/network/runs/{run_id}").json()
    assert stored["status"] == "done" and last["best_objective"] == pytest.approx(stored["result"]["objective"])
    assert last["closeness"] == round(100 * stored["result"]["objective"] / stored["result"]["upper_bound"])
    review = main_text(admin.client.get(f"/natverk/korningar/{run_id}").text)
    assert "Hur nära bästa möjliga" in review and "Bevisad övre gräns" in review and "Brutna regler 0" in review
    assert "Grupp 1" in review and "blandar" in review and "Publicera nätverken" in review


def test_a_reconnect_or_a_start_without_the_csrf_token_only_follows_the_run(person: Any) -> None:
    admin = person("p-admin")
    run_id = create_run(admin)

    without_token = admin.client.get(f"/natverk/korningar/{run_id}/forlopp", params={"starta": "1"})
    reconnect = admin.client.get(f"/natverk/korningar/{run_id}/forlopp",
                                 params={"starta": "1", "csrf_token": admin.csrf()}, headers={"last-event-id": "3"})

    assert [k for k, _ in frames(without_token.text)] == ["done"]
    assert frames(reconnect.text)[-1][1]["status"] == "draft"
    assert admin.client.get(f"/api/network/runs/{run_id}/status").json()["status"] == "draft"


def test_an_admin_sees_a_swap_s_consequences_makes_it_and_publishes(person: Any) -> None:
    admin = person("p-admin")
    run_id = create_run(admin)
    run_to_end(admin, run_id)
    groups = admin.client.get(f"/api/network/runs/{run_id}").json()["result"]["groups"]
    a, b = groups[0]["members"][0], groups[1]["members"][0]
    choice = {"person_a": a["person_id"], "person_b": b["person_id"], "csrf_token": admin.csrf()}

    preview = admin.client.post(f"/natverk/korningar/{run_id}/byt/forhandsgranska", data=choice)

    text = main_text(preview.text)
    assert preview.status_code == 200 and f"Om {a['name']} och {b['name']} byter grupp:" in text
    assert "Poängen ändras med" in text and "Gör bytet" in text
    unchanged = admin.client.get(f"/api/network/runs/{run_id}").json()["result"]["groups"]
    assert unchanged == groups
    swapped = admin.client.post(f"/natverk/korningar/{run_id}/byt", data=choice)
    assert "De två personerna har bytt grupp." in main_text(swapped.text)
    after = admin.client.get(f"/api/network/runs/{run_id}").json()["result"]["groups"]
    assert b["person_id"] in [m["person_id"] for m in after[0]["members"]]
    published = admin.client.post(f"/natverk/korningar/{run_id}/publicera", data={"csrf_token": admin.csrf()})
    assert "Nätverken är publicerade." in main_text(published.text)
    assert admin.client.get(f"/api/network/runs/{run_id}").json()["status"] == "published"
    assert "Aktiva nätverk" in main_text(admin.client.get("/natverk").text)


def test_swap_mistakes_and_a_bad_run_form_come_back_in_swedish(person: Any) -> None:
    admin = person("p-admin")
    run_id = create_run(admin)
    run_to_end(admin, run_id)

    same = admin.client.post(f"/natverk/korningar/{run_id}/byt/forhandsgranska",
                             data={"person_a": "p-chef", "person_b": "p-chef", "csrf_token": admin.csrf()})
    bad = admin.client.post("/natverk/korningar", data=RUN_FORM | {
        "name": " ", "min_size": "7", "max_size": "5", "population": "event", "w_history": "elva",
        "csrf_token": admin.csrf()})

    assert same.status_code == 400 and "Välj två olika personer." in main_text(same.text)
    text = main_text(bad.text)
    assert bad.status_code == 400 and "Rätta följande" in text and "Ge körningen ett namn" in text
    assert "Största gruppstorleken måste vara minst lika stor som den minsta." in text
    assert "Välj den chefsdag vars deltagare ska matchas." in text and "Ange en vikt från 0" in text


def test_a_member_sees_the_network_downloads_the_first_meeting_logs_a_meeting_and_checks_in(person: Any) -> None:
    admin = person("p-admin")
    run_id = create_run(admin, name="Maja i nätverk")
    run_to_end(admin, run_id)
    admin.client.post(f"/natverk/korningar/{run_id}/publicera", data={"csrf_token": admin.csrf()})
    maja = person("p-chef")

    mine = maja.client.get("/mitt-natverk")
    group = next(g for g in maja.client.get("/api/network/me/networks").json() if g["run_id"] == run_id)
    page = maja.client.get(f"/natverk/{group['id']}")
    ics = maja.client.get(f"/natverk/{group['id']}/forsta-traffen.ics")

    assert group["name"] in main_text(mine.text)
    others = [m["name"] for m in group["members"] if m["person_id"] != "p-chef"]
    assert page.status_code == 200 and all(name in main_text(page.text) for name in others)
    assert "Träffades ni?" in main_text(page.text) and "Lägg till i min kalender (.ics)" in page.text
    assert ics.headers["content-type"].startswith("text/calendar") and "BEGIN:VEVENT" in ics.text
    assert f"UID:network-{group['id']}-first@samla" in ics.text
    logged = maja.client.post(f"/natverk/{group['id']}/traffar", data={
        "csrf_token": maja.csrf(), "held_on": "2026-11-20", "note": "Rekrytering", "attendees": ["p-chef"]})
    assert "Träffen är loggad. Tack!" in main_text(logged.text) and "Rekrytering" in main_text(logged.text)
    period = datetime.now(UTC).strftime("%Y-%m")
    answered = maja.client.post(f"/natverk/{group['id']}/avstamning",
                                data={"csrf_token": maja.csrf(), "period": period, "met": "yes"})
    assert "Tack för ditt svar." in main_text(answered.text) and "Du svarade: ja" in main_text(answered.text)
    future = maja.client.post(f"/natverk/{group['id']}/traffar", data={
        "csrf_token": maja.csrf(), "held_on": "2999-01-01", "attendees": ["p-chef"]})
    assert future.status_code == 400 and "datumet kan inte ligga i framtiden" in main_text(future.text)
    unconfirmed = maja.client.post(f"/natverk/{group['id']}/lamna", data={"csrf_token": maja.csrf()})
    assert unconfirmed.status_code == 400 and "Kryssa i rutan" in main_text(unconfirmed.text)
    left = maja.client.post(f"/natverk/{group['id']}/lamna", data={"csrf_token": maja.csrf(), "confirm": "yes"})
    assert "Du har lämnat nätverket." in main_text(left.text)
    assert maja.client.get(f"/natverk/{group['id']}").status_code == 404


def test_a_manager_saves_a_network_profile_and_mistakes_are_told_in_swedish(person: Any) -> None:
    maja = person("p-facilitator")

    bad = maja.client.post("/mitt-natverk/profil", data={"csrf_token": maja.csrf(), "years_as_manager": "många",
                                                         "languages": []})
    saved = maja.client.post("/mitt-natverk/profil", data={
        "csrf_token": maja.csrf(), "challenges": ["rekrytering", "budget"], "languages": ["sv", "en"],
        "availability": ["tis-fm"], "location": "Centrum", "years_as_manager": "4,5", "share": ["challenges"]})

    assert bad.status_code == 400 and "Ange antalet år som ett tal från 0 till 60" in main_text(bad.text)
    assert "Kryssa i minst ett språk du kan träffas på." in main_text(bad.text)
    assert "Din nätverksprofil är sparad." in main_text(saved.text)
    profile = maja.client.get("/api/network/me/profile").json()
    assert (profile["challenges"], profile["years_as_manager"], profile["share"]) == (
        ["rekrytering", "budget"], 4.5, ["challenges"])


def test_admin_pages_and_the_stream_are_for_admins_only(person: Any, make_gateway: MakeGateway,
                                                        network: NetworkService) -> None:
    manager = person("p-chef")
    anonymous = make_gateway(network_url=network.url)

    refused = [manager.client.get(p).status_code for p in ("/natverk", "/natverk/korningar/ny", "/natverk/halsa",
                                                           "/natverk/korningar/x/forlopp")]
    posted = manager.client.post("/natverk/korningar", data=RUN_FORM | {"csrf_token": manager.csrf()})

    assert refused == [403, 403, 403, 403] and posted.status_code == 403
    assert "samla-admin" in main_text(manager.client.get("/natverk").text)
    stream = anonymous.client.get("/natverk/korningar/x/forlopp", follow_redirects=False)
    assert stream.status_code == 303 and stream.headers["location"].startswith("/logga-in")
    assert anonymous.client.get("/mitt-natverk", follow_redirects=False).status_code == 303


def test_network_forms_without_the_csrf_token_are_refused_and_change_nothing(person: Any) -> None:
    admin = person("p-admin")
    before = len(admin.client.get("/api/network/runs").json())

    created = admin.client.post("/natverk/korningar", data=RUN_FORM)
    profile = admin.client.post("/mitt-natverk/profil", data={"languages": ["fi"], "csrf_token": "fel"})

    assert (created.status_code, profile.status_code) == (403, 403)
    assert "Formuläret har gått ut" in created.text
    assert len(admin.client.get("/api/network/runs").json()) == before
    assert "fi" not in admin.client.get("/api/network/me/profile").json()["languages"]


def test_the_health_view_shows_counts_with_k_and_refuses_a_bad_period(person: Any) -> None:
    admin = person("p-admin")

    page = admin.client.get("/natverk/halsa")
    bad = admin.client.get("/natverk/halsa", params={"period": "hösten"})

    assert page.status_code == 200 and "aldrig för färre än 5 personer" in main_text(page.text)
    assert bad.status_code == 400 and "Ange en månad som 2027-03" in main_text(bad.text)


def test_pages_say_in_swedish_when_the_network_service_is_down(make_gateway: MakeGateway) -> None:
    admin = signed_in(make_gateway, "p-admin")  # network_url points where nothing listens

    page = admin.client.get("/natverk")

    assert page.status_code == 503 and "Nätverkstjänsten svarar inte" in main_text(page.text)
