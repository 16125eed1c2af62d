"""A budget process in real Chromium against the whole stack: the process owner (in leadership) sets a theme to
"decided" with a written response at a desk; a manager on a phone finds it on the follow-up page ("Det här hände
med våra inspel"); the day's evaluation report shows its chart as an image. axe-core checks every page."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from deploy.local.stack import Stack
from tests.browser.support import check, sign_in

pytestmark = pytest.mark.browser
RESPONSE = "Ledningsgruppen avsätter två timmar i månaden för dialog på arbetsplatserna från mars."


@dataclass(frozen=True)
class Seeded:
    process_id: str
    process_title: str
    event_id: str
    owner: str  # name, for the dev sign-in
    manager: str


def api(stack: Stack, person_id: str) -> httpx.Client:
    """Feedback's API as one demo person, with a token from the dev issuer (as the gateway gets one)."""
    identity = f"http://127.0.0.1:{stack.ports.http('identity')}/dev"
    service = httpx.post(f"{identity}/token", data={"grant_type": "client_credentials"},
                         auth=("samla-gateway", stack.client_secret()), timeout=10)
    service.raise_for_status()
    token = httpx.post(f"{identity}/sign-in", json={"person_id": person_id}, timeout=10,
                       headers={"authorization": f"Bearer {service.json()['access_token']}"})
    token.raise_for_status()
    return httpx.Client(base_url=f"http://127.0.0.1:{stack.ports.http('feedback')}", timeout=20,
                        headers={"authorization": f"Bearer {token.json()['access_token']}"})


def ok(resp: httpx.Response) -> Any:
    assert resp.status_code in (200, 201), resp.text
    return resp.json()


@pytest.fixture(scope="module")
def seeded(stack: Stack) -> Seeded:
    """Six managers answer a poll and an open question; their answers become a theme published to a process."""
    from samla_identity.demo.generator import generate

    _, people = generate()
    names = Counter(p.name for p in people)
    people = [p for p in people if names[p.name] == 1]  # the dev sign-in picks people by name
    owner = next(p for p in people if "samla-leadership" in p.roles)
    admin = next(p for p in people if "samla-admin" in p.roles)
    facilitator = next(p for p in people if "samla-facilitator" in p.roles)
    managers = [p for p in people if not p.roles and p.level == "enhetschef"][:7]
    suffix = uuid.uuid4().hex[:6]
    event_id, process_id, title = f"chefsdag-{suffix}", f"budget-{suffix}", f"Budget 2027 ({suffix})"
    fac = api(stack, facilitator.id)
    poll = ok(fac.post(f"/events/{event_id}/prompts", json={
        "kind": "choice", "title": "Vad ska budgeten prioritera?",
        "options": [{"id": "skola", "label": "Skolan"}, {"id": "omsorg", "label": "Äldreomsorgen"}]}))["id"]
    text = ok(fac.post(f"/events/{event_id}/prompts", json={"kind": "open_text", "title": "Vad behöver ni?"}))["id"]
    for prompt_id in (poll, text):
        ok(fac.post(f"/prompts/{prompt_id}/open"))
    for i, person in enumerate(managers[:6]):
        with api(stack, person.id) as client:
            ok(client.post(f"/prompts/{poll}/responses", json={"choice": "skola" if i % 3 else "omsorg"}))
            ok(client.post(f"/prompts/{text}/responses", json={"text": f"Mer tid för dialog med medarbetarna {i}"}))
    with api(stack, admin.id) as client:
        ok(client.post("/processes", json={
            "id": process_id, "title": title, "kind": "budget", "owner_id": owner.id, "year": 2027,
            "event_ids": [event_id], "prompt_ids": [poll, text], "areas": [],
            "phases": [{"phase": "kick_off", "starts_on": "2026-11-26", "ends_on": "2026-11-26"},
                       {"phase": "decision", "starts_on": "2027-02-01", "ends_on": "2027-03-15"}]}))
    texts = ok(fac.get(f"/prompts/{text}/texts"))["texts"]
    theme = ok(fac.post(f"/events/{event_id}/themes", json={
        "title": "Tid för dialog", "response_ids": [t["response_id"] for t in texts]}))["id"]
    ok(fac.post(f"/themes/{theme}/publish", json={"process_id": process_id}))
    fac.close()
    return Seeded(process_id, title, event_id, owner=owner.name, manager=managers[6].name)


def test_the_owner_decides_a_theme_and_a_manager_sees_it_on_the_follow_up_page(
        stack: Stack, chromium: Browser, seeded: Seeded, screenshots: Path) -> None:
    desk = chromium.new_context(base_url=stack.gateway_url, viewport={"width": 1280, "height": 900})
    owner = desk.new_page()
    sign_in(owner, seeded.owner)
    owner.goto(f"/processer/{seeded.process_id}")
    expect(owner.get_by_role("heading", name="Tid för dialog")).to_be_visible()
    check(owner, "process-owner", screenshots)

    owner.get_by_label("Ny status").select_option(label="Under beredning")
    owner.get_by_role("button", name="Spara beslutet").click()
    expect(owner.get_by_text("Beslutet är sparat.")).to_be_visible()
    owner.get_by_label("Ny status").select_option(label="Beslutad")
    owner.get_by_label("Skriftligt svar till cheferna").fill(RESPONSE)
    owner.get_by_role("button", name="Spara beslutet").click()
    expect(owner.get_by_text("Beslutet är sparat.")).to_be_visible()
    check(owner, "process-decided", screenshots)

    owner.goto(f"/chefsdagar/{seeded.event_id}/rapport")
    chart = owner.get_by_role("img", name="Stapeldiagram över svaren; samma siffror finns i tabellen nedanför.")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    check(owner, "event-report", screenshots)
    desk.close()

    phone = chromium.new_context(base_url=stack.gateway_url, viewport={"width": 390, "height": 844},
                                 is_mobile=True, has_touch=True)
    manager = phone.new_page()
    sign_in(manager, seeded.manager)
    manager.goto("/processer")
    check(manager, "processes-manager", screenshots)
    manager.get_by_role("link", name=seeded.process_title, exact=True).click()
    expect(manager.get_by_role("heading", name="Det här hände med våra inspel")).to_be_visible()
    decided = manager.locator("section", has=manager.get_by_role("heading", name="Tid för dialog"))
    expect(decided).to_contain_text("Beslutad")
    expect(decided).to_contain_text(RESPONSE)
    check(manager, "process-follow-up", screenshots)
    phone.close()
