"""Bearer tokens are verified at the gateway before anything is forwarded; sessions forward their own token."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import update

from gateway.tests.support import Browser, Identity
from samla_gateway.auth.tables import sessions


def dev_token(identity: Identity, *, key: Any = None, **claims: Any) -> str:
    """A token signed like the dev issuer's (its own key unless `key`), with `claims` changed."""
    pem = (identity.stack.var_dir / "dev-keys" / "identity-signing.pem").read_bytes()
    real = jwt.decode(identity.service_token("samla-integration"), options={"verify_signature": False})
    header = jwt.get_unverified_header(identity.service_token("samla-integration"))
    return jwt.encode(real | claims, key or pem, algorithm="RS256", headers={"kid": header["kid"]})


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_a_valid_client_token_is_forwarded_to_the_service(gateway: Browser, identity: Identity) -> None:
    resp = gateway.client.get("/api/identity/people/p-chef", headers=bearer(identity.service_token()))

    assert resp.status_code == 200 and resp.json()["name"] == "Maja Chef"


def test_a_browser_sessions_own_token_is_attached_for_the_api(gateway: Browser) -> None:
    gateway.sign_in("p-chef")

    resp = gateway.client.get("/api/identity/people/me")

    assert resp.status_code == 200 and resp.json()["id"] == "p-chef"


def test_garbage_is_refused_at_the_gateway_with_a_problem(gateway: Browser) -> None:
    resp = gateway.client.get("/api/identity/people/p-chef", headers=bearer("not-a-jwt"))

    assert resp.status_code == 401 and resp.headers["content-type"].startswith("application/problem+json")
    assert resp.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_an_expired_token_is_refused(gateway: Browser, identity: Identity) -> None:
    now = int(time.time())
    expired = dev_token(identity, iat=now - 3600, nbf=now - 3600, exp=now - 600)

    resp = gateway.client.get("/api/identity/people/p-chef", headers=bearer(expired))

    assert resp.status_code == 401 and "expired" in resp.json()["detail"]


def test_a_tampered_token_is_refused(gateway: Browser, identity: Identity) -> None:
    header, payload, signature = identity.service_token("samla-integration").split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["realm_access"] = {"roles": ["samla-admin"]}
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    resp = gateway.client.get("/auth/session", headers=bearer(f"{header}.{forged}.{signature}"))

    assert resp.status_code == 401


def test_a_token_from_another_issuer_is_refused(gateway: Browser, identity: Identity) -> None:
    foreign = dev_token(identity, iss="https://sso.another-kommun.se/realms/samla")

    resp = gateway.client.get("/auth/session", headers=bearer(foreign))

    assert resp.status_code == 401 and "issuer" in resp.json()["detail"].lower()


def test_a_token_signed_with_another_key_under_the_issuers_kid_is_refused(gateway: Browser,
                                                                         identity: Identity) -> None:
    attacker = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    resp = gateway.client.get("/auth/session", headers=bearer(dev_token(identity, key=attacker)))

    assert resp.status_code == 401


def test_scim_is_routed_to_identity(gateway: Browser, identity: Identity) -> None:
    resp = gateway.client.get("/scim/v2/ServiceProviderConfig", headers=bearer(identity.service_token()))

    assert resp.status_code == 200
    assert "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig" in resp.json()["schemas"]


def test_scim_without_a_token_is_refused_at_the_gateway(gateway: Browser) -> None:
    assert gateway.client.get("/scim/v2/Users").status_code == 401


def test_a_body_over_the_limit_is_refused_before_it_is_forwarded(make_gateway: Any, identity: Identity) -> None:
    browser = make_gateway(max_body_bytes=1000)

    resp = browser.client.put("/api/identity/org-units/ou-big", content=b"x" * 2000,
                              headers=bearer(identity.service_token()) | {"content-type": "application/json"})

    assert resp.status_code == 413


def test_a_dev_session_ends_with_its_access_token(gateway: Browser) -> None:
    gateway.sign_in("p-chef")
    with gateway.client.app.state.sessions.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(update(sessions).values(access_expires_at=int(time.time()) - 1))

    resp = gateway.client.get("/min-profil", follow_redirects=False)

    assert resp.status_code == 303 and resp.headers["location"].startswith("/logga-in")
    assert "Max-Age=0" in resp.headers["set-cookie"]


def test_security_headers_are_on_pages_problems_and_static_files(gateway: Browser) -> None:
    for path in ("/", "/api/identity/people/me", "/static/samla.css", "/finns-inte"):
        headers = gateway.client.get(path).headers

        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, path
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "same-origin"
        assert "strict-transport-security" not in headers  # plain http


def test_hsts_is_sent_over_https(make_gateway: Any) -> None:
    browser = make_gateway(base_url="https://testserver")

    assert browser.client.get("/").headers["strict-transport-security"].startswith("max-age=31536000")


def test_signed_in_pages_are_not_cached(gateway: Browser) -> None:
    gateway.sign_in("p-chef")

    assert gateway.client.get("/min-profil").headers["cache-control"] == "no-store"
