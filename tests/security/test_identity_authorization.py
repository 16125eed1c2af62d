"""Who may call what on the identity service: every endpoint × every kind of caller (issue 3)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from samla_common.migrations import upgrade
from tests.security.matrix import CALLERS, CLIENT_AUTH, PERSON, PUBLIC, SELF, cases

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "libs" / "common" / "tests"))
from issuer import LocalIssuer

pytestmark = pytest.mark.integration

ADMIN, SERVICE, PROVISIONER = "admin", "service", "provisioner"
SCIM = {ADMIN, SERVICE, PROVISIONER}
RULES: dict[str, set[str]] = {
    "GET /healthz": {PUBLIC}, "GET /readyz": {PUBLIC}, "GET /metrics": {PUBLIC},
    "GET /people/{person_id}/export": {SELF, ADMIN},
    "POST /people/{person_id}/erase": {ADMIN},
    "PUT /people/{person_id}": {ADMIN, SERVICE},
    "GET /people/{person_id}": {SELF, ADMIN, SERVICE},
    "GET /people/me": {PERSON},
    "POST /people/{person_id}/deactivate": {ADMIN, SERVICE},
    "GET /people": {ADMIN},
    "PUT /org-units/{unit_id}": {ADMIN, SERVICE},
    "GET /org-units": {PERSON},
    "POST /sync/keycloak/run": {ADMIN, SERVICE},
    "GET /sync/keycloak/status": {ADMIN, SERVICE},
    "POST /imports": {ADMIN},
    "GET /imports/{import_id}": {ADMIN},
    "POST /imports/{import_id}/commit": {ADMIN},
    "GET /dev/.well-known/openid-configuration": {PUBLIC},
    "GET /dev/jwks.json": {PUBLIC},
    "POST /dev/token": {CLIENT_AUTH},
    "POST /dev/sign-in": {SERVICE},
    **{f"{m} /scim/v2/{p}": SCIM for m, p in [
        ("GET", "ServiceProviderConfig"), ("GET", "ResourceTypes"), ("GET", "ResourceTypes/{name}"),
        ("GET", "Schemas"), ("GET", "Schemas/{urn}"), ("GET", "Users"), ("POST", "Users"), ("POST", "Users/.search"),
        ("GET", "Users/{resource_id}"), ("PUT", "Users/{resource_id}"), ("PATCH", "Users/{resource_id}"),
        ("DELETE", "Users/{resource_id}"), ("GET", "Groups"), ("POST", "Groups"), ("POST", "Groups/.search"),
        ("GET", "Groups/{resource_id}"), ("PUT", "Groups/{resource_id}"), ("PATCH", "Groups/{resource_id}"),
        ("DELETE", "Groups/{resource_id}"), ("POST", ".search"), ("POST", "Bulk")]},
}


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, LocalIssuer]]:
    issuer = LocalIssuer()
    tmp = tmp_path_factory.mktemp("identity-authz")
    url = f"sqlite:///{tmp / 'identity.db'}"
    mp = pytest.MonkeyPatch()
    for key, value in {"SAMLA_VAR_DIR": str(tmp), "SAMLA_IDENTITY_DATABASE_URL": url, "OIDC_ISSUER": issuer.url,
                       "SAMLA_IDENTITY_RELAY_ENABLED": "false", "SAMLA_IDENTITY_KAFKA_CONSUMER_ENABLED": "false",
                       "SAMLA_IDENTITY_GRPC_PORT": "0", "SAMLA_CLIENT_SECRET": "s",
                       "SAMLA_IDENTITY_EVENTS_GRPC_TARGET": "127.0.0.1:9",
                       "SAMLA_IDENTITY_FEEDBACK_GRPC_TARGET": "127.0.0.1:9",
                       "SAMLA_IDENTITY_NETWORK_GRPC_TARGET": "127.0.0.1:9"}.items():
        mp.setenv(key, value)
    from samla_identity import config

    config.get_settings.cache_clear()
    upgrade("identity", url)
    from samla_common.service import create_app
    from samla_identity.main import build

    with TestClient(create_app(build()), raise_server_exceptions=False) as client:
        yield client, issuer
    issuer.stop()
    mp.undo()
    config.get_settings.cache_clear()


def test_every_identity_endpoint_has_an_authorization_rule(setup: tuple[TestClient, LocalIssuer]) -> None:
    client, _ = setup
    _, missing = cases(client.app.openapi(), RULES)  # type: ignore[attr-defined]
    assert missing == [], f"endpoints without an authorization rule (add them to RULES): {missing}"


def test_identity_authorization_matrix(setup: tuple[TestClient, LocalIssuer]) -> None:
    client, issuer = setup
    all_cases, _ = cases(client.app.openapi(), RULES)  # type: ignore[attr-defined]
    failures = []
    for case in all_cases:
        claims = CALLERS[case.caller.split(" ")[0]]
        headers = {}
        if claims:
            headers["authorization"] = "Bearer " + issuer.token(**{k: v for k, v in claims.items()})
        body = {} if case.method in ("POST", "PUT", "PATCH") else None
        status = client.request(case.method, case.url, json=body, headers=headers).status_code
        if case.allowed and status in (401, 403):
            failures.append(f"{case.caller} should reach {case.method} {case.url}, got {status}")
        if not case.allowed:
            expected = 401 if case.caller == "anonymous" or CLIENT_AUTH in RULES[f"{case.method} {case.path}"] \
                else 403
            if status != expected:
                failures.append(f"{case.caller} on {case.method} {case.url}: expected {expected}, got {status}")
    assert not failures, "\n".join(failures)
