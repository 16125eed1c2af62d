"""The gateway as an OpenID Connect relying party of a real provider (Lemonldap::NG standing in for Keycloak).

Sign-in with authorization code + PKCE through the provider's HTML form, refresh, RP-initiated logout, refused
tokens (expired, another issuer, tampered), a key rotation at the provider, back-channel logout tokens, and a
person without roles. The gateway serves real HTTP from this process; identity runs as its own process and
trusts the same provider. Needs root and scripts/install-idp.sh, like the rest of tests/sso.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from deploy.local.stack import Stack
from gateway.tests.support import ServerThread, free_port, start_identity_process
from samla_gateway.auth.oidc import BACKCHANNEL_EVENT
from samla_gateway.config import Settings
from samla_gateway.main import create_app
from tests.idp.llng import IdP
from tests.idp.login import _LoginForm

pytestmark = pytest.mark.integration

CSRF = re.compile(r'"X-CSRF-Token": "([^"]+)"')


@dataclass
class Deployment:
    idp: IdP
    gateway: ServerThread
    var_dir: Path

    @property
    def url(self) -> str:
        return self.gateway.url

    def sessions(self, sub: str) -> list[dict[str, Any]]:
        with sqlite3.connect(self.var_dir / "gateway.db") as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM sessions WHERE sub = ?", (sub,))]

    def expire_access_soon(self, sub: str) -> None:
        with sqlite3.connect(self.var_dir / "gateway.db") as db:
            db.execute("UPDATE sessions SET access_expires_at = ? WHERE sub = ?", (int(time.time()) + 5, sub))


def gateway_for(idp: IdP, var_dir: Path, port: int, identity_url: str = "http://127.0.0.1:9") -> ServerThread:
    settings = Settings(env="test", auth_mode="oidc", oidc_issuer=idp.issuer, client_secret=idp.clients[
        "samla-gateway"].secret, var_dir=var_dir, database_url=f"sqlite:///{var_dir / 'gateway.db'}",
        identity_url=identity_url, identity_grpc_target="127.0.0.1:9", kafka_bootstrap_servers="127.0.0.1:9",
        rate_limit_ip_burst=10_000, rate_limit_person_burst=10_000)
    return ServerThread(create_app(settings), port).start()


@pytest.fixture(scope="module")
def sso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    idp = IdP.start(redirect_uris=[f"{base}/auth/callback", f"{base}/utloggad"])
    identity: Stack | None = None
    gateway: ServerThread | None = None
    try:
        identity = start_identity_process(tmp_path_factory.mktemp("identity"), extra_env={
            "SAMLA_AUTH": "oidc", "OIDC_ISSUER": idp.issuer})
        load_people(idp, f"http://127.0.0.1:{identity.ports.http('identity')}")
        var_dir = tmp_path_factory.mktemp("gateway")
        gateway = gateway_for(idp, var_dir, port, f"http://127.0.0.1:{identity.ports.http('identity')}")
        yield Deployment(idp=idp, gateway=gateway, var_dir=var_dir)
    finally:
        if gateway is not None:
            gateway.stop()
        if identity is not None:
            identity.stop_all()
        idp.stop()


def load_people(idp: IdP, identity_url: str) -> None:
    """The provider's people in identity's directory (ids are the provider's `sub`), as a directory sync would."""
    token = idp.client_credentials("samla-identity").json()["access_token"]
    with httpx.Client(base_url=identity_url, headers={"authorization": f"Bearer {token}"}, timeout=10) as client:
        client.put("/org-units/ou-kommun", json={"id": "ou-kommun", "name": "Testby kommun",
                                                 "kind": "kommunkoncern"}).raise_for_status()
        for user in idp.users.values():
            # No e-mail: identity refuses the provider's reserved .test domain.
            client.put(f"/people/{user.sub}", json={"id": user.sub, "name": user.name, "org_unit_id": "ou-kommun",
                                                   "roles": list(user.roles)}).raise_for_status()


def sign_in(d: Deployment, username: str, next_path: str = "/min-profil") -> tuple[httpx.Client, httpx.Response]:
    """The whole browser round trip: gateway → provider's login form → callback → `next_path`."""
    browser = httpx.Client(follow_redirects=False, timeout=15)
    start = browser.get(f"{d.url}/auth/login", params={"next": next_path})
    assert start.status_code == 303, start.text
    authorize = start.headers["location"]
    form_page = browser.get(authorize)
    form = _LoginForm()
    form.feed(form_page.text)
    assert form.action is not None, form_page.text[:300]
    action = str(form_page.url) if form.action in ("", "#") else urljoin(str(form_page.url), form.action)
    user = d.idp.users[username]
    back = browser.post(action, data=form.fields | {"user": user.username, "password": user.password})
    assert back.status_code in (302, 303) and back.headers["location"].startswith(f"{d.url}/auth/callback")
    return browser, browser.get(back.headers["location"])


def csrf(browser: httpx.Client, url: str) -> str:
    match = CSRF.search(browser.get(url).text)
    assert match
    return match.group(1)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def signed_like_the_idp(idp: IdP, claims: dict[str, Any], *, key: Any = None, typ: str = "JWT") -> str:
    return jwt.encode(claims, key or idp.key.private_pem, algorithm="RS256",
                      headers={"kid": idp.key.kid, "typ": typ})


# ---- sign-in ----------------------------------------------------------------------------------------------------

def test_a_person_signs_in_at_the_idp_with_pkce_and_lands_on_their_profile(sso: Deployment) -> None:
    browser = httpx.Client(follow_redirects=False, timeout=15)
    authorize = parse_qs(urlsplit(browser.get(f"{sso.url}/auth/login").headers["location"]).query)

    _, callback = sign_in(sso, "admin")

    assert authorize["code_challenge_method"] == ["S256"] and len(authorize["code_challenge"][0]) == 43
    assert authorize["state"][0] and authorize["nonce"][0] and authorize["client_id"] == ["samla-gateway"]
    assert authorize["redirect_uri"] == [f"{sso.url}/auth/callback"]
    assert callback.status_code == 303 and callback.headers["location"] == "/min-profil"
    assert "samla_session=" in callback.headers["set-cookie"] and "samla_login=" in callback.headers["set-cookie"]


def test_the_signed_in_admin_sees_profile_and_directory(sso: Deployment) -> None:
    browser, _ = sign_in(sso, "admin")

    me = browser.get(f"{sso.url}/auth/session").json()
    profile = browser.get(f"{sso.url}/min-profil")
    directory = browser.get(f"{sso.url}/katalog")

    assert me["sub"] == sso.idp.users["admin"].sub and me["roles"] == ["samla-admin"] and me["via"] == "session"
    assert profile.status_code == 200 and "Astrid Admin" in profile.text and "Administratör" in profile.text
    assert directory.status_code == 200 and "Maja Chef" in directory.text


def test_a_person_without_roles_sees_their_profile_but_not_admin_pages(sso: Deployment) -> None:
    browser, _ = sign_in(sso, "manager")

    profile = browser.get(f"{sso.url}/min-profil")
    directory = browser.get(f"{sso.url}/katalog")
    api = browser.get(f"{sso.url}/api/identity/people")

    assert profile.status_code == 200 and "Maja Chef" in profile.text and "inga extra roller" in profile.text
    assert directory.status_code == 403 and "Ingen behörighet" in directory.text
    assert api.status_code == 403  # identity refuses the search too


def test_a_callback_with_another_state_is_refused_and_starts_no_session(sso: Deployment) -> None:
    browser = httpx.Client(follow_redirects=False, timeout=15)
    browser.get(f"{sso.url}/auth/login")

    resp = browser.get(f"{sso.url}/auth/callback", params={"code": "stolen", "state": "forged"})

    assert resp.status_code == 303 and resp.headers["location"] == "/logga-in?fel=state"
    assert "samla_session" not in browser.cookies


def test_a_new_session_id_is_issued_at_every_sign_in(sso: Deployment) -> None:
    first, _ = sign_in(sso, "leader")
    second, _ = sign_in(sso, "leader")

    assert first.cookies["samla_session"] != second.cookies["samla_session"]


# ---- refresh, logout ------------------------------------------------------------------------------------------

def test_an_access_token_about_to_expire_is_refreshed_transparently(sso: Deployment) -> None:
    browser, _ = sign_in(sso, "facilitator")
    sub = sso.idp.users["facilitator"].sub
    sso.expire_access_soon(sub)
    before = sso.sessions(sub)

    me = browser.get(f"{sso.url}/auth/session")

    after = sso.sessions(sub)
    assert me.status_code == 200 and me.json()["roles"] == ["samla-facilitator"]
    assert len(before) == len(after) == 1 and after[0]["version"] == before[0]["version"] + 1
    assert after[0]["access_expires_at"] > before[0]["access_expires_at"] + 60
    assert after[0]["data"] != before[0]["data"]


def test_signing_out_ends_the_session_here_and_at_the_idp(sso: Deployment) -> None:
    browser, _ = sign_in(sso, "coordinator")
    sub = sso.idp.users["coordinator"].sub
    cookie = browser.cookies["samla_session"]

    out = browser.post(f"{sso.url}/logga-ut", data={"csrf_token": csrf(browser, f"{sso.url}/")})
    at_idp = browser.get(out.headers["location"])

    end_session = parse_qs(urlsplit(out.headers["location"]).query)
    assert out.status_code == 303 and out.headers["location"].startswith(f"{sso.idp.issuer}/oauth2/logout")
    assert end_session["id_token_hint"][0] and end_session["post_logout_redirect_uri"] == [f"{sso.url}/utloggad"]
    assert "Max-Age=0" in out.headers["set-cookie"]
    assert at_idp.status_code == 302 and at_idp.headers["location"].startswith(f"{sso.url}/utloggad")
    assert sso.sessions(sub) == []
    stale = httpx.get(f"{sso.url}/min-profil", cookies={"samla_session": cookie}, follow_redirects=False)
    assert stale.status_code == 303 and stale.headers["location"].startswith("/logga-in")
    again = browser.get(browser.get(f"{sso.url}/auth/login").headers["location"])
    assert again.status_code == 200 and 'id="lform"' in again.text  # the provider asks for the password again


def test_sign_out_needs_the_csrf_token(sso: Deployment) -> None:
    browser, _ = sign_in(sso, "leader")

    refused = browser.post(f"{sso.url}/logga-ut", data={})

    assert refused.status_code == 403
    assert browser.get(f"{sso.url}/auth/session").status_code == 200


# ---- bearer tokens ------------------------------------------------------------------------------------------

def test_client_credentials_tokens_with_scopes_pass_through(sso: Deployment) -> None:
    token = sso.idp.client_credentials("samla-integration", "insights:read").json()["access_token"]

    me = httpx.get(f"{sso.url}/auth/session", headers=bearer(token)).json()

    assert me["client_id"] == "samla-integration" and "insights:read" in me["scopes"] and me["via"] == "bearer"


def test_an_expired_token_from_the_idp_is_refused(sso: Deployment) -> None:
    now = int(time.time())
    good = jwt.decode(sso.idp.client_credentials("samla-integration").json()["access_token"],
                      options={"verify_signature": False})
    expired = signed_like_the_idp(sso.idp, good | {"iat": now - 900, "exp": now - 600})

    resp = httpx.get(f"{sso.url}/api/identity/people/me", headers=bearer(expired))

    assert resp.status_code == 401 and "expired" in resp.json()["detail"]


def test_a_tampered_token_is_refused(sso: Deployment) -> None:
    header, payload, signature = sso.idp.login("manager")["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["realm_access"]["roles"] = ["samla-admin"]
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    resp = httpx.get(f"{sso.url}/auth/session", headers=bearer(f"{header}.{forged}.{signature}"))

    assert resp.status_code == 401


def test_a_token_from_another_issuer_is_refused(sso: Deployment, idp_factory: Callable[..., IdP]) -> None:
    other = idp_factory()
    foreign = other.client_credentials("samla-integration").json()["access_token"]

    resp = httpx.get(f"{sso.url}/auth/session", headers=bearer(foreign))

    assert resp.status_code == 401


# ---- back-channel logout -----------------------------------------------------------------------------------

def logout_token(idp: IdP, **claims: Any) -> dict[str, Any]:
    return {"iss": idp.issuer, "aud": "samla-gateway", "iat": int(time.time()), "jti": str(uuid.uuid4()),
            "events": {BACKCHANNEL_EVENT: {}}} | claims


def test_a_back_channel_logout_token_from_the_idp_ends_the_persons_sessions(sso: Deployment) -> None:
    # Lemonldap::NG 2.16 does not send back-channel logout itself; the token is signed with its key, as
    # Keycloak's would be.
    browser, _ = sign_in(sso, "leader")
    sub = sso.idp.users["leader"].sub
    token = signed_like_the_idp(sso.idp, logout_token(sso.idp, sub=sub), typ="logout+jwt")

    resp = httpx.post(f"{sso.url}/auth/backchannel-logout", data={"logout_token": token})

    assert resp.status_code == 200 and resp.json()["ended"] >= 1
    assert sso.sessions(sub) == []
    assert browser.get(f"{sso.url}/auth/session").status_code == 401


@pytest.mark.parametrize("change", ["another key", "no logout event", "a nonce", "another audience"])
def test_a_back_channel_logout_token_that_is_not_right_ends_nothing(sso: Deployment, change: str) -> None:
    sign_in(sso, "leader")
    sub = sso.idp.users["leader"].sub
    claims = logout_token(sso.idp, sub=sub)
    key = None
    if change == "another key":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif change == "no logout event":
        claims.pop("events")
    elif change == "a nonce":
        claims["nonce"] = "n"
    else:
        claims["aud"] = "samla-integration"

    resp = httpx.post(f"{sso.url}/auth/backchannel-logout",
                      data={"logout_token": signed_like_the_idp(sso.idp, claims, key=key)})

    assert resp.status_code == 400
    assert sso.sessions(sub) != []


# ---- key rotation -------------------------------------------------------------------------------------------

def test_after_a_key_rotation_sessions_continue_and_only_new_tokens_are_accepted(
        idp_factory: Callable[..., IdP], tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    idp = idp_factory(redirect_uris=[f"{base}/auth/callback", f"{base}/utloggad"])
    gateway = gateway_for(idp, tmp_path, port)
    try:
        d = Deployment(idp=idp, gateway=gateway, var_dir=tmp_path)
        browser, _ = sign_in(d, "admin", next_path="/")
        old_bearer = idp.client_credentials("samla-integration").json()["access_token"]
        assert httpx.get(f"{base}/auth/session", headers=bearer(old_bearer)).status_code == 200

        idp.rotate_key()

        new_bearer = idp.client_credentials("samla-integration").json()["access_token"]
        assert httpx.get(f"{base}/auth/session", headers=bearer(new_bearer)).status_code == 200
        assert httpx.get(f"{base}/auth/session", headers=bearer(old_bearer)).status_code == 401
        # The session's access token was signed with the old key: the gateway refreshes it and carries on.
        me = browser.get(f"{base}/auth/session")
        assert me.status_code == 200 and me.json()["sub"] == idp.users["admin"].sub
        session_token = d.sessions(idp.users["admin"].sub)[0]
        assert session_token["version"] == 2
    finally:
        gateway.stop()

