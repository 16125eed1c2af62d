"""GDPR across services (issue 3 §5): one export with every service's data, and an erasure every service obeys."""

from __future__ import annotations

import time

import httpx
import pytest

from deploy.local.demo import service_token
from deploy.local.stack import Stack

pytestmark = pytest.mark.system


def _wait(fn, timeout: float = 30, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = fn()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_person_is_exported_from_every_service_and_erased_everywhere(stack: Stack) -> None:
    headers = {"authorization": f"Bearer {service_token(stack)}"}
    base = stack.gateway_url
    person = {"id": "p-gdpr", "name": "Greta Dahl", "email": "greta.dahl@exempelstad.se", "level": "enhetschef"}
    assert httpx.put(f"{base}/api/identity/people/p-gdpr", json=person, headers=headers).status_code == 201
    _wait(lambda: httpx.get(f"{base}/api/events/people/p-gdpr", headers=headers).status_code == 200,
          what="events to know the person")

    # The export needs an admin (or the person); the dev issuer mints one through the sign-in endpoint.
    admin = {"id": "p-gdpr-admin", "name": "HR Admin", "roles": ["samla-admin"]}
    httpx.put(f"{base}/api/identity/people/p-gdpr-admin", json=admin, headers=headers).raise_for_status()
    token = httpx.post(f"http://127.0.0.1:{stack.ports.http('identity')}/dev/sign-in",
                       json={"person_id": "p-gdpr-admin"}, headers=headers).json()["access_token"]
    as_admin = {"authorization": f"Bearer {token}"}

    def exported() -> dict | None:  # type: ignore[type-arg]
        doc = httpx.get(f"{base}/api/identity/people/p-gdpr/export", headers=as_admin, timeout=20).json()
        services = doc.get("services", {})
        feedback_entry = (services.get("feedback") or {}).get("directory_entry")
        network_entry = (services.get("network") or {}).get("directory_entry")
        return doc if feedback_entry and network_entry else None

    doc = _wait(exported, what="every service to hold the person")
    assert set(doc["services"]) == {"identity", "events", "feedback", "network"}
    assert doc["services"]["identity"]["person"]["email"] == "greta.dahl@exempelstad.se"
    assert doc["services"]["events"]["directory_entry"]["name"] == "Greta Dahl"

    erased = httpx.post(f"{base}/api/identity/people/p-gdpr/erase", json={"request_id": "GDPR-1"}, headers=as_admin)
    assert erased.status_code == 200, erased.text

    def all_erased() -> bool:
        doc = httpx.get(f"{base}/api/identity/people/p-gdpr/export", headers=as_admin, timeout=20).json()
        entries = [doc["services"][s]["directory_entry"] for s in ("events", "feedback", "network")]
        return all(e and e["erased"] and e["name"] == "(raderad)" and e["email"] is None for e in entries)

    _wait(all_erased, what="every service to erase the person")
    doc = httpx.get(f"{base}/api/identity/people/p-gdpr/export", headers=as_admin).json()
    assert "Greta" not in str(doc) and "greta.dahl" not in str(doc)
