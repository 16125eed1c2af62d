"""The process pages against the real feedback, identity and events services: the owner sets a theme's decision,
a manager reads it on the follow-up page; roles, CSRF and errors are explained in Swedish."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gateway.tests.conftest import MakeGateway
from gateway.tests.support import Browser, Identity, wait_until
from gateway.tests.test_pages import main_text
from samla_common import migrations

# Five people of the small directory answer, so a theme of all their answers reaches the default k of 5.
ANSWERING = ("p-forv", "p-chef", "p-admin", "p-facilitator", "p-ledning")
OWNER = "p-forv"  # owns the process without any Samla role
INJECTION = "<script>alert('x')</script> Mer tid för dialog"


@pytest.fixture(scope="session")
def feedback_url(identity: Identity) -> str:
    """The feedback service beside identity and events (no broker), started once; reused if already running."""
    stack = identity.stack
    url = f"http://127.0.0.1:{stack.ports.http('feedback')}"
    running = stack.procs.get("feedback")
    if running is None or running.poll() is not None:
        stack.extra_env.update({"SAMLA_FEEDBACK_RELAY_ENABLED": "false",
                                "SAMLA_FEEDBACK_KAFKA_CONSUMER_ENABLED": "false"})
        migrations.upgrade("feedback", f"sqlite:///{stack.var_dir / 'db' / 'feedback.db'}")
        stack.start_service("feedback")

    def up() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    wait_until(up, timeout=60, what="feedback to answer")
    return url


@dataclass
class Process:
    """A chefsdag whose five answers form a published theme of a process, and a poll five people answered."""

    id: str
    event_id: str
    theme_id: str
    poll_id: str
    text_id: str


def person_client(identity: Identity, feedback_url: str, person_id: str) -> httpx.Client:
    """Feedback's API as one person of the directory (a token from the dev issuer, as the gateway gets one)."""
    resp = httpx.post(f"{identity.issuer}/sign-in", json={"person_id": person_id},
                      headers={"authorization": f"Bearer {identity.service_token()}"}, timeout=10)
    resp.raise_for_status()
    return httpx.Client(base_url=feedback_url, timeout=10,
                        headers={"authorization": f"Bearer {resp.json()['access_token']}"})


def expect(resp: httpx.Response, status: int) -> Any:
    assert resp.status_code == status, resp.text
    return resp.json()


def make_process(identity: Identity, feedback_url: str, *, owner: str = OWNER) -> Process:
    suffix = uuid.uuid4().hex[:8]
    event_id, process_id = f"dag-{suffix}", f"budget-{suffix}"
    people = {p: person_client(identity, feedback_url, p) for p in ANSWERING}
    fac, admin = people["p-facilitator"], people["p-admin"]
    poll = expect(fac.post(f"/events/{event_id}/prompts", json={
        "kind": "choice", "title": "Vad ska vi satsa på?",
        "options": [{"id": "skola", "label": "Skolan"}, {"id": "omsorg", "label": "Äldreomsorgen"}]}), 201)["id"]
    text = expect(fac.post(f"/events/{event_id}/prompts", json={"kind": "open_text", "title": "Vad behöver du?"}),
                  201)["id"]
    for prompt_id in (poll, text):
        expect(fac.post(f"/prompts/{prompt_id}/open"), 200)
    for i, client in enumerate(people.values()):
        expect(client.post(f"/prompts/{poll}/responses", json={"choice": "skola" if i < 3 else "omsorg"}), 201)
        expect(client.post(f"/prompts/{text}/responses",
                           json={"text": INJECTION if i == 0 else f"Mer tid för dialog med medarbetarna {i}"}), 201)
    expect(admin.post("/processes", json={
        "id": process_id, "title": f"Budget {suffix}", "kind": "budget", "owner_id": owner, "year": 2027,
        "event_ids": [event_id], "prompt_ids": [poll, text], "areas": [],
        "phases": [{"phase": "kick_off", "starts_on": "2026-11-26", "ends_on": "2026-11-26"}]}), 201)
    texts = expect(fac.get(f"/prompts/{text}/texts"), 200)["texts"]
    theme = expect(fac.post(f"/events/{event_id}/themes", json={
        "title": "Tid för dialog", "response_ids": [t["response_id"] for t in texts]}), 201)["id"]
    expect(fac.post(f"/themes/{theme}/publish", json={"process_id": process_id}), 200)
    for client in people.values():
        client.close()
    return Process(process_id, event_id, theme, poll, text)


@pytest.fixture
def process(identity: Identity, feedback_url: str) -> Process:
    return make_process(identity, feedback_url)


@pytest.fixture
def signed_in(make_gateway: MakeGateway, feedback_url: str) -> Any:
    def sign_in(person_id: str) -> Browser:
        browser = make_gateway(feedback_url=feedback_url, live_kafka_enabled=False)
        assert browser.sign_in(person_id).status_code == 303
        return browser
    return sign_in


def decide(browser: Browser, process: Process, **form: str) -> httpx.Response:
    data = {"status": "", "owner_id": "", "response": ""} | form | {"csrf_token": browser.csrf()}
    return browser.client.post(f"/processer/{process.id}/beslut/{process.theme_id}", data=data,
                               follow_redirects=False)


def test_the_owner_decides_a_theme_and_a_manager_reads_it_on_the_follow_up_page(signed_in: Any,
                                                                                process: Process) -> None:
    owner, manager = signed_in(OWNER), signed_in("p-chef")

    page = main_text(owner.client.get(f"/processer/{process.id}").text)
    considered = decide(owner, process, status="under_consideration", owner_id="p-ledning")
    decided = decide(owner, process, status="decided", response="Vi avsätter två timmar i månaden för dialog.")
    follow_up = main_text(manager.client.get(f"/processer/{process.id}/uppfoljning").text)

    assert "Tid för dialog" in page and "5 svar" in page and "Mottagen" in page and "Spara beslutet" in page
    assert considered.status_code == 303 and decided.status_code == 303
    assert decided.headers["location"].endswith(f"?sparat={process.theme_id}#beslut-{process.theme_id}")
    assert "Beslutet är sparat" in main_text(owner.client.get(decided.headers["location"]).text)
    assert "Det här hände med våra inspel" in follow_up and "Beslutad" in follow_up
    assert "Vi avsätter två timmar i månaden för dialog." in follow_up
    assert "Under beredning" in follow_up  # the log of changes


def test_decisions_that_cannot_be_made_come_back_with_a_swedish_message(signed_in: Any, process: Process) -> None:
    owner = signed_in(OWNER)

    no_response = decide(owner, process, status="decided")
    unknown = decide(owner, process, status="klart")
    skipped = decide(owner, process, status="implemented", response="Redan gjort.")

    assert no_response.status_code == 400
    assert "Skriv ett svar som berättar för cheferna vad som beslutades och varför." in main_text(no_response.text)
    assert 'aria-invalid="true"' in no_response.text
    assert unknown.status_code == 400 and "Välj en av statusarna i listan." in main_text(unknown.text)
    assert skipped.status_code == 400 and "Statusen kan inte ändras på det sättet." in main_text(skipped.text)
    assert "Mottagen" in main_text(owner.client.get(f"/processer/{process.id}/uppfoljning").text)


def test_a_decision_without_the_csrf_token_is_refused(signed_in: Any, process: Process) -> None:
    owner = signed_in(OWNER)

    resp = owner.client.post(f"/processer/{process.id}/beslut/{process.theme_id}",
                             data={"status": "under_consideration"}, follow_redirects=False)

    assert resp.status_code == 403
    assert "Under beredning" not in main_text(owner.client.get(f"/processer/{process.id}/uppfoljning").text)


def test_managers_read_the_follow_up_but_not_the_process_page_and_cannot_decide(signed_in: Any,
                                                                                  process: Process) -> None:
    manager = signed_in("p-chef")

    listing = main_text(manager.client.get("/processer").text)
    page = manager.client.get(f"/processer/{process.id}")
    report = manager.client.get(f"/processer/{process.id}/rapport")
    decision = decide(manager, process, status="under_consideration")

    assert f"Budget {process.id.removeprefix('budget-')}" in listing and "Det här hände med våra inspel" in listing
    assert f'href="/processer/{process.id}/rapport"' not in manager.client.get("/processer").text
    assert page.status_code == 403 and "Som chef kan du läsa vad som hände" in main_text(page.text)
    assert report.status_code == 403
    assert decision.status_code == 403 and "Bara processens ägare och Samlas ledning" in main_text(decision.text)


def test_an_admin_reads_the_process_but_only_leadership_and_the_owner_decide(signed_in: Any,
                                                                             process: Process) -> None:
    admin, leader = signed_in("p-admin"), signed_in("p-ledning")

    admin_page = admin.client.get(f"/processer/{process.id}")
    leader_decides = decide(leader, process, status="not_pursued", response="Ryms inte i budgeten.")

    assert admin_page.status_code == 200 and "Tid för dialog" in main_text(admin_page.text)
    assert "Spara beslutet" not in admin_page.text and "Bara processens ägare och Samlas ledning" in admin_page.text
    assert leader_decides.status_code == 303
    assert "Går inte vidare" in main_text(leader.client.get(f"/processer/{process.id}/uppfoljning").text)


def test_an_unknown_process_is_a_swedish_404_page(signed_in: Any) -> None:
    manager = signed_in("p-chef")

    resp = manager.client.get("/processer/finns-inte/uppfoljning")

    assert resp.status_code == 404 and "Processen finns inte" in main_text(resp.text)


def test_people_s_text_is_shown_as_text_on_the_process_page(signed_in: Any, identity: Identity,
                                                            feedback_url: str) -> None:
    leader = signed_in("p-ledning")
    process = make_process(identity, feedback_url)
    client = person_client(identity, feedback_url, "p-ledning")
    expect(client.put(f"/processes/{process.id}/decisions/{process.theme_id}",
                      json={"response": "<img src=x onerror=alert(1)> svar"}), 200)

    page = leader.client.get(f"/processer/{process.id}").text

    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; svar" in page
