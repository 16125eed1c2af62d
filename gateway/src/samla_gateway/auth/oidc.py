"""OpenID Connect relying party for any standard provider found by its issuer URL (Keycloak is the reference).

Authorization code with PKCE (S256), state and nonce; refresh; the ID token and back-channel logout token
checks; the RP-initiated logout URL.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from samla_common.auth import ALLOWED_ALGORITHMS, discover
from samla_gateway.auth.sessions import Tokens

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
LEEWAY = 30


class OidcError(Exception):
    """The provider refused or could not be reached. `revoked`: the grant itself is gone (sign in again)."""

    def __init__(self, message: str, *, revoked: bool = False) -> None:
        super().__init__(message)
        self.revoked = revoked


@dataclass(frozen=True)
class LoginState:
    """What the login cookie carries from /auth/login to /auth/callback."""

    state: str
    nonce: str
    verifier: str
    next: str

    @classmethod
    def new(cls, next_path: str) -> LoginState:
        return cls(state=secrets.token_urlsafe(24), nonce=secrets.token_urlsafe(24),
                   verifier=secrets.token_urlsafe(48), next=next_path)

    def dumps(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def loads(cls, raw: bytes) -> LoginState:
        return cls(**json.loads(raw))


def code_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class OidcClient:
    def __init__(self, *, issuer: str, client_id: str, client_secret: str, scopes: str, http: httpx.AsyncClient,
                 token_url: str = "", jwks_url: str = "") -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = scopes
        self.http = http
        self._token_url = token_url
        self._jwks_url = jwks_url
        self._jwks: jwt.PyJWKClient | None = None

    async def metadata(self) -> dict[str, Any]:
        try:
            return await asyncio.to_thread(discover, self.issuer)
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(f"discovery at {self.issuer} failed: {exc}") from exc

    async def authorization_url(self, login: LoginState, redirect_uri: str) -> str:
        meta = await self.metadata()
        query = urlencode({"response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
                           "scope": self.scopes, "state": login.state, "nonce": login.nonce,
                           "code_challenge": code_challenge(login.verifier), "code_challenge_method": "S256"})
        return f"{meta['authorization_endpoint']}?{query}"

    async def exchange_code(self, *, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        return await self._token({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                                  "code_verifier": verifier})

    async def refresh(self, refresh_token: str) -> dict[str, Any]:
        return await self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})

    async def end_session_url(self, *, id_token: str, post_logout_redirect_uri: str) -> str | None:
        """Where to send the browser to end the provider's session too; None when the provider has no such page."""
        endpoint = (await self.metadata()).get("end_session_endpoint")
        if not endpoint:
            return None
        params = {"client_id": self.client_id, "post_logout_redirect_uri": post_logout_redirect_uri}
        if id_token:
            params["id_token_hint"] = id_token
        return f"{endpoint}?{urlencode(params)}"

    async def verify_id_token(self, id_token: str, *, nonce: str) -> dict[str, Any]:
        """The ID token's claims: signed by the provider, for this client, unexpired, and with our nonce."""
        claims = await self._decode(id_token, require=["exp", "iat", "iss", "aud", "sub"])
        if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), nonce.encode()):
            raise OidcError("the ID token's nonce does not match this sign-in")
        return claims

    async def verify_logout_token(self, token: str) -> tuple[str, str]:
        """(sub, sid) named by a back-channel logout token (OpenID Connect Back-Channel Logout 1.0 §2.6)."""
        claims = await self._decode(token, require=["iat", "iss", "aud", "jti"])
        events = claims.get("events")
        if not isinstance(events, dict) or BACKCHANNEL_EVENT not in events:
            raise OidcError("not a back-channel logout token (no logout event)")
        if "nonce" in claims:
            raise OidcError("a logout token must not carry a nonce")
        sub, sid = str(claims.get("sub", "")), str(claims.get("sid", ""))
        if not sub and not sid:
            raise OidcError("a logout token names neither sub nor sid")
        return sub, sid

    async def _token(self, form: dict[str, str]) -> dict[str, Any]:
        url = self._token_url or (await self.metadata())["token_endpoint"]
        try:
            resp = await self.http.post(url, data=form, auth=(self.client_id, self.client_secret),
                                        headers={"accept": "application/json"})
        except httpx.HTTPError as exc:
            raise OidcError(f"the token endpoint could not be reached: {exc}") from exc
        try:
            body: dict[str, Any] = resp.json()
        except ValueError:
            body = {}
        if resp.status_code != 200 or "access_token" not in body:
            error = str(body.get("error", f"HTTP {resp.status_code}"))
            raise OidcError(f"the token endpoint refused: {error}", revoked=error == "invalid_grant")
        return body

    async def _decode(self, token: str, *, require: list[str]) -> dict[str, Any]:
        try:
            key = await asyncio.to_thread(self._signing_key, token)
            claims: dict[str, Any] = jwt.decode(token, key.key, algorithms=ALLOWED_ALGORITHMS,
                                                audience=self.client_id, issuer=self.issuer, leeway=LEEWAY,
                                                options={"require": require})
        except (jwt.InvalidTokenError, jwt.PyJWKClientError, httpx.HTTPError) as exc:
            raise OidcError(f"token not accepted: {exc}") from exc
        return claims

    def _signing_key(self, token: str) -> jwt.PyJWK:
        if self._jwks is None:
            url = self._jwks_url or discover(self.issuer)["jwks_uri"]
            # An unknown kid (the provider rotated its key) makes PyJWKClient fetch the set again.
            self._jwks = jwt.PyJWKClient(url, cache_jwk_set=True, lifespan=300, timeout=5)
        if jwt.get_unverified_header(token).get("alg") not in ALLOWED_ALGORITHMS:
            raise jwt.InvalidAlgorithmError("algorithm not accepted")
        return self._jwks.get_signing_key_from_jwt(token)


def tokens_from(body: dict[str, Any], previous: Tokens | None = None) -> Tokens:
    """Tokens from a token response; a refresh that omits the refresh or ID token keeps the earlier one."""
    access = str(body["access_token"])
    expires_in = body.get("expires_in")
    if expires_in is not None:
        expires_at = int(time.time()) + int(expires_in)
    else:
        expires_at = int(jwt.decode(access, options={"verify_signature": False}).get("exp", time.time() + 60))
    return Tokens(access_token=access, expires_at=expires_at,
                  refresh_token=str(body.get("refresh_token") or (previous.refresh_token if previous else "")),
                  id_token=str(body.get("id_token") or (previous.id_token if previous else "")))
