"""`CurrentPerson`: endpoints meant for people refuse client-credentials tokens (integrations, services)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from issuer import LocalIssuer

from samla_common.auth import ADMIN, SERVICE, CurrentPerson, TokenVerifier, principal_from_claims
from samla_common.errors import install_problem_handlers

pytestmark = pytest.mark.integration
ROLES = "realm_access.roles"


@pytest.fixture
def app_and_issuer() -> Iterator[tuple[TestClient, LocalIssuer]]:
    issuer = LocalIssuer()
    app = FastAPI()
    app.state.verifier = TokenVerifier(issuer=issuer.url, audience="samla", refetch_cooldown=0)
    install_problem_handlers(app)

    @app.get("/me")
    def me(person: CurrentPerson) -> dict[str, str]:
        return {"sub": person.sub}

    with TestClient(app) as client:
        yield client, issuer
    issuer.stop()


@pytest.mark.parametrize("claims", [
    {"sub": "p-1", "azp": "samla-gateway"},
    {"sub": "p-2", "azp": "samla-gateway", "realm_access": {"roles": [ADMIN]}},
    {"sub": "6f1c-uuid", "azp": "samla-gateway", "client_id": "samla-gateway", "preferred_username": "eva.ek"},
    {"sub": "p-3"},
], ids=["manager", "admin", "rfc9068 person with client_id claim", "no azp"])
def test_people_are_people(claims: dict[str, object]) -> None:
    assert principal_from_claims(claims, ROLES).is_person


@pytest.mark.parametrize("claims", [
    {"sub": "samla-integration", "azp": "samla-integration", "scope": "insights:read"},
    {"sub": "samla-integration", "client_id": "samla-integration", "scope": "insights:read"},
    {"sub": "service-account-samla-integration", "azp": "samla-integration", "scope": "insights:read"},
    {"sub": "0b7e-uuid", "azp": "bi-tool", "preferred_username": "service-account-bi-tool"},
    {"sub": "samla-events", "azp": "samla-events", "realm_access": {"roles": [SERVICE]}},
    {"sub": "odd-service", "realm_access": {"roles": [SERVICE]}},
], ids=["dev/llng integration", "rfc9068 integration", "service-account sub", "keycloak service account",
        "service client", "service role alone"])
def test_clients_are_not_people(claims: dict[str, object]) -> None:
    assert not principal_from_claims(claims, ROLES).is_person


def test_a_person_endpoint_lets_a_person_in(app_and_issuer: tuple[TestClient, LocalIssuer]) -> None:
    client, issuer = app_and_issuer

    response = client.get("/me", headers={"authorization": f"Bearer {issuer.token(sub='p-9', azp='samla-gateway')}"})

    assert response.status_code == 200 and response.json() == {"sub": "p-9"}


@pytest.mark.parametrize(("sub", "roles", "scope"), [("samla-integration", [], "insights:read"),
                                                     ("samla-gateway", [SERVICE], "samla")])
def test_a_person_endpoint_refuses_a_client_with_a_403_problem_that_says_why(
        app_and_issuer: tuple[TestClient, LocalIssuer], sub: str, roles: list[str], scope: str) -> None:
    client, issuer = app_and_issuer
    token = issuer.token(sub=sub, azp=sub, roles=roles, scope=scope)

    response = client.get("/me", headers={"authorization": f"Bearer {token}"})

    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert "for people signed in" in response.json()["detail"]


def test_a_person_endpoint_still_asks_an_anonymous_caller_to_sign_in(
        app_and_issuer: tuple[TestClient, LocalIssuer]) -> None:
    client, _ = app_and_issuer

    assert client.get("/me").status_code == 401
