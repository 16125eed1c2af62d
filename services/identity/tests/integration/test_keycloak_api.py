"""The sync's HTTP API and schedule, with the service on loopback and the Keycloak stand-in beside it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from samla_common.auth import ADMIN, FACILITATOR, LEADERSHIP, SERVICE
from services.identity.tests.fixtures.keycloak.identity_app import Identity, serve_identity
from services.identity.tests.fixtures.keycloak.realms import recorded
from services.identity.tests.fixtures.keycloak.server import FakeKeycloak

pytestmark = pytest.mark.integration


@pytest.fixture
def keycloak() -> Iterator[FakeKeycloak]:
    kc = FakeKeycloak(recorded()).start()
    yield kc
    kc.stop()


@pytest.fixture
def identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str,
             keycloak: FakeKeycloak) -> Iterator[Identity]:
    with serve_identity(tmp_path, monkeypatch, database_url, SAMLA_IDENTITY_KEYCLOAK_URL=keycloak.url,
                        SAMLA_IDENTITY_KEYCLOAK_CLIENT_SECRET="s3cret") as app:
        yield app


def test_an_admin_runs_a_dry_run_then_a_sync_and_reads_the_status(identity: Identity) -> None:
    admin = identity.token(ADMIN)

    dry = httpx.post(f"{identity.url}/sync/keycloak/run", params={"dry_run": "true"}, headers=admin, timeout=30)
    real = httpx.post(f"{identity.url}/sync/keycloak/run", params={"dry_run": "false"}, headers=admin, timeout=30)
    status = httpx.get(f"{identity.url}/sync/keycloak/status", headers=admin)

    assert dry.status_code == 200 and dry.json()["dry_run"] and dry.json()["counts"]["created"] == 9
    assert real.status_code == 200 and real.json()["counts"]["events"] == 18
    people = httpx.get(f"{identity.url}/people", headers=admin).json()
    assert len(people) == 9
    body = status.json()
    assert body["configured"] and body["interval_seconds"] == 0
    assert body["last_run"]["id"] == real.json()["run_id"] and body["last_run"]["dry_run"] is False
    assert body["last_run"]["status"] == "succeeded" and body["last_run"]["counts"]["created"] == 9


def test_a_service_may_run_the_sync(identity: Identity) -> None:
    r = httpx.post(f"{identity.url}/sync/keycloak/run", params={"dry_run": "true"},
                   headers=identity.token(SERVICE, sub="samla-events"), timeout=30)
    assert r.status_code == 200


@pytest.mark.parametrize("roles", [(), (FACILITATOR,), (LEADERSHIP,)])
def test_people_without_the_admin_role_may_not_run_or_read_the_sync(identity: Identity, roles: tuple[str]) -> None:
    headers = identity.token(*roles, sub="p-1")
    assert httpx.post(f"{identity.url}/sync/keycloak/run", headers=headers).status_code == 403
    assert httpx.get(f"{identity.url}/sync/keycloak/status", headers=headers).status_code == 403


def test_anonymous_callers_are_refused(identity: Identity) -> None:
    assert httpx.post(f"{identity.url}/sync/keycloak/run").status_code == 401
    assert httpx.get(f"{identity.url}/sync/keycloak/status").status_code == 401


def test_a_failing_keycloak_is_a_503_and_the_status_shows_the_error(identity: Identity,
                                                                    keycloak: FakeKeycloak) -> None:
    keycloak.client_secret = "rotated"
    admin = identity.token(ADMIN)

    r = httpx.post(f"{identity.url}/sync/keycloak/run", headers=admin, timeout=30)

    assert r.status_code == 503 and r.headers["content-type"].startswith("application/problem+json")
    last = httpx.get(f"{identity.url}/sync/keycloak/status", headers=admin).json()["last_run"]
    assert last["status"] == "failed" and "401" in last["error"]


def test_without_keycloak_settings_the_sync_says_it_is_not_configured(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.delenv("SAMLA_IDENTITY_KEYCLOAK_URL", raising=False)
    with serve_identity(tmp_path, monkeypatch, database_url) as identity:
        admin = identity.token(ADMIN)
        r = httpx.post(f"{identity.url}/sync/keycloak/run", headers=admin)
        status = httpx.get(f"{identity.url}/sync/keycloak/status", headers=admin).json()
    assert r.status_code == 503 and "SAMLA_IDENTITY_KEYCLOAK_URL" in r.json()["detail"]
    assert status == {"configured": False, "interval_seconds": 0, "last_run": None}


def test_the_scheduled_sync_runs_on_its_interval(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str,
                                                keycloak: FakeKeycloak) -> None:
    with serve_identity(tmp_path, monkeypatch, database_url, SAMLA_IDENTITY_KEYCLOAK_URL=keycloak.url,
                        SAMLA_IDENTITY_KEYCLOAK_CLIENT_SECRET="s3cret",
                        SAMLA_IDENTITY_KEYCLOAK_SYNC_INTERVAL_SECONDS="1") as identity:
        admin = identity.token(ADMIN)
        deadline = time.monotonic() + 20
        last = None
        while time.monotonic() < deadline:
            last = httpx.get(f"{identity.url}/sync/keycloak/status", headers=admin).json()["last_run"]
            if last is not None:
                break
            time.sleep(0.1)
    assert last is not None and last["trigger"] == "schedule" and last["status"] == "succeeded"
