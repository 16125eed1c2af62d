"""The real OpenID Connect provider (Lemonldap::NG) issues tokens the project's verifier accepts, and only those.

Runs against real processes on loopback (DESIGN §6): needs root and `scripts/install-idp.sh`.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from keycloak import KeycloakOpenID

from samla_common.auth import SERVICE, ServiceTokenSource, TokenVerifier
from samla_common.errors import Unauthenticated
from tests.idp.llng import IdP
from tests.idp.login import LoginError, new_browser, new_code_verifier

pytestmark = pytest.mark.integration

AUDIENCE = "samla"
GATEWAY = "samla-gateway"


def verifier_for(provider: IdP) -> TokenVerifier:
    return TokenVerifier(issuer=provider.issuer, audience=AUDIENCE, roles_claim="realm_access.roles")


def claims_of(token: str) -> dict[str, Any]:
    return jwt.decode(token, options={"verify_signature": False})


def service_token(provider: IdP, client_id: str, scope: str = "") -> str:
    resp = provider.client_credentials(client_id, scope)
    assert resp.status_code == 200, resp.text
    return str(resp.json()["access_token"])


def code_for(provider: IdP, username: str, verifier: str, browser: httpx.Client | None = None) -> str:
    user = provider.users[username]
    return provider.password_login_code_flow(user.username, user.password, GATEWAY, provider.redirect_uris[0],
                                             verifier, browser=browser)


# ---- discovery and keys -------------------------------------------------------------------------------------

def test_discovery_names_the_issuer_and_its_jwks_serves_the_signing_key(idp: IdP) -> None:
    doc = idp.discovery()

    assert doc["issuer"] == idp.issuer
    assert doc["token_endpoint"] == f"{idp.issuer}/oauth2/token"
    jwks = httpx.get(doc["jwks_uri"], timeout=5).json()
    assert [(k["kty"], k["kid"], k["use"]) for k in jwks["keys"]] == [("RSA", idp.key.kid, "sig")]


def test_keycloak_style_urls_reach_the_same_provider(idp: IdP) -> None:
    realm = httpx.get(idp.issuer, timeout=5).json()
    certs = httpx.get(f"{idp.issuer}/protocol/openid-connect/certs", timeout=5).json()
    client = idp.clients["samla-integration"]
    keycloak = KeycloakOpenID(server_url=idp.issuer.rsplit("/realms/", 1)[0], realm_name="samla",
                              client_id=client.client_id, client_secret_key=client.secret)
    person = idp.login("admin")["access_token"]

    token = keycloak.token(grant_type="client_credentials")

    assert isinstance(token, dict)
    assert realm["realm"] == "samla" and realm["public_key"] == idp.key.public_der_b64
    assert [k["kid"] for k in certs["keys"]] == [idp.key.kid]
    assert keycloak.well_known()["issuer"] == idp.issuer
    assert verifier_for(idp).verify(token["access_token"]).client_id == client.client_id
    userinfo, introspection = keycloak.userinfo(person), keycloak.introspect(person)
    assert isinstance(userinfo, dict) and isinstance(introspection, dict)
    assert userinfo["realm_access"] == {"roles": ["samla-admin"]}
    assert introspection["active"] and introspection["sub"] == idp.users["admin"].sub


# ---- client credentials -------------------------------------------------------------------------------------

def test_integration_client_gets_a_token_with_insights_read_that_the_verifier_accepts(idp: IdP) -> None:
    token = service_token(idp, "samla-integration", "insights:read")

    principal = verifier_for(idp).verify(token)

    assert AUDIENCE in claims_of(token)["aud"]
    assert principal.sub == principal.client_id == "samla-integration"
    assert "insights:read" in principal.scopes
    assert principal.roles == frozenset()


def test_service_clients_get_tokens_with_the_service_role_through_service_token_source(idp: IdP) -> None:
    for client_id in ("samla-identity", "samla-events", "samla-feedback", "samla-network"):
        source = ServiceTokenSource(issuer=idp.issuer, client_id=client_id, client_secret=idp.clients[client_id].secret)

        principal = verifier_for(idp).verify(source.token())

        assert principal.client_id == client_id
        assert principal.is_service and principal.roles == {SERVICE}
        assert "insights:read" not in principal.scopes


def test_a_client_cannot_obtain_a_scope_it_was_not_granted(idp: IdP) -> None:
    resp = idp.client_credentials("samla-events", "insights:read")

    # RFC 6749 §3.3 lets the provider narrow the scope (LLNG) or refuse the request (Keycloak).
    if resp.status_code == 200:
        assert "insights:read" not in verifier_for(idp).verify(resp.json()["access_token"]).scopes
    else:
        assert resp.json()["error"] == "invalid_scope"


def test_a_wrong_client_secret_is_refused(idp: IdP) -> None:
    resp = httpx.post(idp.token_url, data={"grant_type": "client_credentials"},
                      auth=("samla-integration", "not-the-secret"), timeout=10)

    assert resp.status_code in (400, 401)
    assert resp.json()["error"] == "invalid_client"


# ---- people: authorization code + PKCE ----------------------------------------------------------------------

def test_admin_signs_in_with_code_and_pkce_and_gets_only_the_admin_role(idp: IdP) -> None:
    admin = idp.users["admin"]
    verifier = new_code_verifier()
    code = code_for(idp, "admin", verifier)

    resp = idp.exchange_code(GATEWAY, code, idp.redirect_uris[0], verifier)

    assert resp.status_code == 200, resp.text
    tokens = resp.json()
    access = claims_of(tokens["access_token"])
    assert access["realm_access"]["roles"] == ["samla-admin"]
    principal = verifier_for(idp).verify(tokens["access_token"])
    assert principal.sub == admin.sub
    assert (principal.name, principal.email) == (admin.name, admin.email)
    assert principal.roles == {"samla-admin"} and principal.client_id == GATEWAY
    assert claims_of(tokens["id_token"])["aud"] == [GATEWAY]


def test_an_id_token_is_not_accepted_as_an_access_token(idp: IdP) -> None:
    tokens = idp.login("admin")

    with pytest.raises(Unauthenticated):
        verifier_for(idp).verify(tokens["id_token"])


def test_a_wrong_pkce_verifier_is_refused(idp: IdP) -> None:
    code = code_for(idp, "facilitator", new_code_verifier())

    resp = idp.exchange_code(GATEWAY, code, idp.redirect_uris[0], new_code_verifier())

    assert resp.status_code == 400
    assert resp.json()["error"] == "invalid_grant"


def test_a_wrong_password_gets_no_code(idp: IdP) -> None:
    with pytest.raises(LoginError):
        idp.password_login_code_flow("admin", "wrong", GATEWAY, idp.redirect_uris[0], new_code_verifier())


def test_an_unregistered_redirect_uri_gets_no_code(idp: IdP) -> None:
    admin = idp.users["admin"]

    with pytest.raises(LoginError):
        idp.password_login_code_flow(admin.username, admin.password, GATEWAY, "http://127.0.0.1:9/evil",
                                     new_code_verifier())


def test_refresh_returns_a_new_access_token_that_verifies(idp: IdP) -> None:
    tokens = idp.login("leader")

    resp = idp.refresh(GATEWAY, tokens["refresh_token"])

    assert resp.status_code == 200, resp.text
    refreshed = resp.json()["access_token"]
    assert refreshed != tokens["access_token"]
    principal = verifier_for(idp).verify(refreshed)
    assert principal.sub == idp.users["leader"].sub and principal.roles == {"samla-leadership"}


def test_ending_the_session_stops_its_refresh_token(idp: IdP) -> None:
    verifier = new_code_verifier()
    with new_browser() as browser:
        code = code_for(idp, "admin", verifier, browser)
        tokens = idp.exchange_code(GATEWAY, code, idp.redirect_uris[0], verifier).json()

        logout = idp.end_session(browser, tokens["id_token"], idp.redirect_uris[0])

    assert logout.status_code == 302 and logout.headers["location"].startswith(idp.redirect_uris[0])
    assert idp.refresh(GATEWAY, tokens["refresh_token"]).status_code == 400


def test_a_manager_without_roles_gets_an_empty_role_set(idp: IdP) -> None:
    token = idp.login("manager")["access_token"]

    assert claims_of(token)["realm_access"] == {"roles": []}
    assert verifier_for(idp).verify(token).roles == frozenset()


def test_a_person_with_two_roles_gets_both(idp: IdP) -> None:
    token = idp.login("coordinator")["access_token"]

    assert verifier_for(idp).verify(token).roles == {"samla-facilitator", "samla-leadership"}


# ---- refusals -----------------------------------------------------------------------------------------------

def test_a_tampered_token_is_refused(idp: IdP) -> None:
    header, payload, signature = idp.login("manager")["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["realm_access"]["roles"] = ["samla-admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    with pytest.raises(Unauthenticated):
        verifier_for(idp).verify(f"{header}.{forged}.{signature}")


def test_a_token_signed_with_another_key_under_the_providers_kid_is_refused(idp: IdP) -> None:
    claims = claims_of(idp.login("manager")["access_token"]) | {"realm_access": {"roles": ["samla-admin"]}}
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    forged = jwt.encode(claims, attacker, algorithm="RS256", headers={"kid": idp.key.kid})

    with pytest.raises(Unauthenticated):
        verifier_for(idp).verify(forged)


def test_a_token_from_another_provider_is_refused(idp: IdP, idp_factory: Callable[..., IdP]) -> None:
    other = idp_factory()
    foreign = service_token(other, "samla-integration", "insights:read")

    assert other.issuer != idp.issuer
    verifier_for(other).verify(foreign)  # a valid token, only for its own issuer
    with pytest.raises(Unauthenticated):
        verifier_for(idp).verify(foreign)


# ---- key rotation -------------------------------------------------------------------------------------------

def test_rotation_replaces_the_published_key_and_signs_with_the_new_one(idp_factory: Callable[..., IdP]) -> None:
    provider = idp_factory()
    old_kid, old_token = provider.key.kid, service_token(provider, "samla-integration")

    new_kid = provider.rotate_key()

    new_token = service_token(provider, "samla-integration")
    assert new_kid != old_kid and jwt.get_unverified_header(new_token)["kid"] == new_kid
    assert [k["kid"] for k in httpx.get(provider.jwks_url, timeout=5).json()["keys"]] == [new_kid]
    fresh = verifier_for(provider)
    assert fresh.verify(new_token).client_id == "samla-integration"
    with pytest.raises(Unauthenticated):
        fresh.verify(old_token)


def test_a_running_verifier_accepts_tokens_signed_after_a_key_rotation(idp_factory: Callable[..., IdP]) -> None:
    provider = idp_factory()
    verifier = verifier_for(provider)
    verifier.verify(service_token(provider, "samla-integration"))
    provider.rotate_key()

    principal = verifier.verify(service_token(provider, "samla-integration"))

    assert principal.client_id == "samla-integration"


# ---- the harness itself -------------------------------------------------------------------------------------

def test_the_harness_starts_twice_and_leaves_no_process_or_state(idp_redirect_uris: list[str]) -> None:
    for _ in range(2):
        provider = IdP.start(redirect_uris=idp_redirect_uris)
        groups = provider.process_groups
        state: Path = provider.state

        provider.stop()

        assert len(groups) == 2 and not state.exists()
        for pgid in groups:
            with pytest.raises(ProcessLookupError):
                os.killpg(pgid, 0)
