"""The chefsdag the fault tests run a burst against, set up through the gateway as staff would set it up."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from deploy.local.demo import service_token
from deploy.local.stack import Stack
from tests.fault.ledger import Ledger

OPTIONS = ("skola", "omsorg", "klimat")
STAFF_ROLES = ["samla-admin", "samla-facilitator"]


@dataclass
class Day:
    stack: Stack
    service_token: str
    event_id: str
    prompt_id: str
    question_ids: list[str]
    ledger: Ledger = field(default_factory=Ledger)

    @property
    def api(self) -> str:
        return f"{self.stack.gateway_url}/api"

    def database_url(self, service: str) -> str:
        """The service's own database (`<DATABASE_URL's name>_<service>`), as the service itself derives it."""
        from samla_common.config import database_url_for_service

        return database_url_for_service(self.stack.database_url, service)

    def sign_in(self, person_id: str, client: httpx.Client | None = None) -> str:
        """A person's token from the dev issuer (the gateway's sign-in page asks identity the same way)."""
        c = client or httpx.Client(timeout=10)
        r = c.post(f"{self.api}/identity/dev/sign-in", json={"person_id": person_id},
                   headers=bearer(self.service_token))
        r.raise_for_status()
        return str(r.json()["access_token"])

    def person(self, person_id: str, name: str, *, roles: list[str] | None = None,
               client: httpx.Client | None = None) -> httpx.Response:
        c = client or httpx.Client(timeout=10)
        return c.put(f"{self.api}/identity/people/{person_id}", headers=bearer(self.service_token), json={
            "id": person_id, "name": name, "email": f"{person_id}@exempelstad.se", "level": "enhetschef",
            "roles": roles or []})


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def ok(resp: httpx.Response) -> dict[str, Any]:
    assert resp.is_success, f"{resp.request.method} {resp.request.url}: {resp.status_code} {resp.text[:300]}"
    body: dict[str, Any] = resp.json()
    return body


def staff_token(day: Day, person_id: str) -> str:
    """A staff member (admin and facilitator: runs the door and the prompts); created once, signed in each time."""
    day.person(person_id, f"Personal {person_id}", roles=STAFF_ROLES).raise_for_status()
    return day.sign_in(person_id)


def prepare_day(stack: Stack) -> Day:
    """Creates today's chefsdag (check-in opens on the day itself while registration is still open), an open
    choice prompt and three approved questions."""
    token = service_token(stack)
    day = Day(stack=stack, service_token=token, event_id="", prompt_id="", question_ids=[])
    admin = bearer(staff_token(day, "fault-admin"))
    today = datetime.now(ZoneInfo("Europe/Stockholm")).date().isoformat()
    with httpx.Client(timeout=30) as c:
        event = ok(c.post(f"{day.api}/events/events", headers=admin, json={
            "title": "Chefsdag under störningar", "date": today, "starts_at": "00:00", "ends_at": "23:59",
            "venue": "Stadshuset", "capacity": 10_000}))
        day.event_id = str(event["id"])
        # The first invitation sends the day (draft → invitations_sent): registration opens.
        wait_for_identity_grpc(lambda: c.post(f"{day.api}/events/events/{day.event_id}/invitations",
                                              headers=admin, json={"person_ids": ["fault-admin"]}))
        prompt = ok(c.post(f"{day.api}/feedback/events/{day.event_id}/prompts", headers=admin, json={
            "kind": "choice", "title": "Vad ska budgeten prioritera?",
            "options": [{"id": o, "label": o.capitalize()} for o in OPTIONS]}))
        day.prompt_id = str(prompt["id"])
        ok(c.post(f"{day.api}/feedback/prompts/{day.prompt_id}/open", headers=admin))
        for text in ("Hur går det med lokalerna?", "Vad händer med budgeten?", "Hur blir nätverken?"):
            q = ok(c.post(f"{day.api}/feedback/events/{day.event_id}/questions", headers=admin,
                          json={"text": text, "anonymous": False}))
            ok(c.post(f"{day.api}/feedback/questions/{q['id']}/approve", headers=admin))
            day.question_ids.append(str(q["id"]))
    return day


def wait_for_identity_grpc(call: Any, timeout: float = 30) -> None:
    """The first invitation asks identity over gRPC; right after start its channel may still be connecting."""
    deadline = time.monotonic() + timeout
    while True:
        resp = call()
        if resp.is_success or time.monotonic() > deadline:
            ok(resp)
            return
        time.sleep(0.5)
