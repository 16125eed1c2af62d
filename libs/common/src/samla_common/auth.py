"""JWT verification against an issuer's JWKS, roles, and the FastAPI and gRPC guards (DESIGN §7).

The same code verifies Keycloak tokens, any standard OIDC provider's tokens and the dev issuer's tokens.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Annotated, Any

import anyio
import grpc
import httpx
import jwt
from fastapi import Depends, Request

from samla_common.errors import Forbidden, Unauthenticated

ADMIN = "samla-admin"
FACILITATOR = "samla-facilitator"
LEADERSHIP = "samla-leadership"
SERVICE = "samla-service"  # carried by service clients' tokens (client credentials)
ALLOWED_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]


@dataclass(frozen=True)
class Principal:
    """Who is calling: a person (sub = the IdP's subject) or a client (integration or service)."""

    sub: str
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    name: str = ""
    email: str = ""
    client_id: str = ""
    token: str = field(default="", repr=False)
    # True for a client-credentials token (an integration or a service): nobody signed in behind it.
    client_grant: bool = False

    def has_any(self, roles: Iterable[str]) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_service(self) -> bool:
        return SERVICE in self.roles

    @property
    def is_person(self) -> bool:
        """A person signed in (a manager, perhaps with staff roles), not a service or an integration client."""
        return not self.client_grant and not self.is_service


def claim_path(claims: dict[str, Any], path: str) -> Any:
    """Reads a dotted claim path such as `realm_access.roles`."""
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class KeysNeeded(Exception):
    """Verifying this token needs keys from the IdP (TokenVerifier.verify with fetch=False)."""


class TokenVerifier:
    """Verifies bearer tokens: signature (JWKS, cached, refetched on an unknown key id), issuer, audience, expiry.

    A token it accepted is remembered, exactly as sent, for at most `remember_for` seconds, only while the key set
    it was checked against is the one at hand, and never past the moment a full check would refuse it (expiry +
    leeway): every phone sends the same token with each request, and checking an RSA signature (~0.16 ms of CPU,
    twice per request: gateway and service) was a few per cent of a burst's work. So a rotation (a token with a
    new key id makes the keys be fetched again) ends every remembered acceptance at once, and a key the IdP
    withdraws quietly is trusted for at most the JWK set's lifespan (300 s) plus `remember_for`.
    """

    def __init__(self, *, issuer: str, audience: str, jwks_url: str = "", roles_claim: str = "realm_access.roles",
                 leeway: int = 30, refetch_cooldown: float = 1.0, remember_for: float = 60.0,
                 remembered_tokens: int = 10_000, clock: Callable[[], float] = time.time) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self.roles_claim = roles_claim
        self.leeway = leeway
        self.remember_for = remember_for
        self.remembered_tokens = remembered_tokens
        self.clock = clock
        self.full_checks = 0  # tokens checked in full or tried (tests and the curious); not a precise count
        # token -> (trusted until, the key set it was checked against, principal), the longest remembered first
        self._accepted: dict[str, tuple[float, object, Principal]] = {}
        self._remember_lock = threading.Lock()
        # Unknown key ids force a JWKS refetch at most this often, so a flood of made-up kids cannot hammer the IdP.
        self.refetch_cooldown = refetch_cooldown
        self._jwks_url = jwks_url
        self._client: jwt.PyJWKClient | None = None
        self._lock = threading.Lock()
        self._refetch_lock = threading.Lock()
        self._last_refetch = 0.0

    def _jwk_client(self) -> jwt.PyJWKClient:
        with self._lock:
            if self._client is None:
                url = self._jwks_url or discover(self.issuer)["jwks_uri"]
                # The JWK set is cached for `lifespan`, which also bounds how long a key the IdP removed stays
                # trusted (no per-kid cache: PyJWT's never expires). Unknown kids are handled in _signing_key.
                self._client = jwt.PyJWKClient(url, cache_keys=False, cache_jwk_set=True, lifespan=300, timeout=5,
                                               cooldown_duration=0)
            return self._client

    def _signing_key(self, kid: str, *, fetch: bool = True) -> jwt.PyJWK:
        """The key for `kid`; an unknown kid (a key rotation) refetches the JWKS, at most once per cooldown.

        A caller with a made-up kid waits out the cooldown instead of being refused, so a real rotation is
        never refused, and a flood of made-up kids costs the IdP at most one fetch per cooldown. With
        `fetch=False`, KeysNeeded instead of any request to the IdP (or wait).
        """
        if not fetch:
            cache = getattr(self._client, "jwk_set_cache", None)
            if self._client is None or cache is None or cache.is_expired():
                raise KeysNeeded(kid)
        client = self._jwk_client()
        match = client.match_kid(client.get_signing_keys(), kid)
        if match is not None:
            return match
        if not fetch:
            raise KeysNeeded(kid)
        with self._refetch_lock:
            wait = self.refetch_cooldown - (time.monotonic() - self._last_refetch)
            if wait > 0:
                time.sleep(wait)
            self._last_refetch = time.monotonic()
            match = client.match_kid(client.get_signing_keys(refresh=True), kid)
        if match is None:
            raise Unauthenticated("The token is signed with a key the identity provider does not publish.")
        return match

    def verify(self, token: str, *, fetch: bool = True) -> Principal:
        """Returns the principal for a valid token; raises Unauthenticated otherwise. With `fetch=False` it never
        asks the IdP: KeysNeeded when the signing key is not at hand (cheap enough for the event loop)."""
        accepted = self._accepted.get(token)
        now = self.clock()
        keys = self._key_set()
        if accepted is not None and now < accepted[0] and accepted[1] is keys:
            return accepted[2]
        try:
            principal, expires = self._verify(token, fetch=fetch)
        except Unauthenticated:
            if accepted is not None:
                with self._remember_lock:
                    self._accepted.pop(token, None)
            raise
        # `keys` as read before the check: keys fetched again meanwhile make this entry a miss, never a stale hit.
        # Before the first check there were none: the check fetched the ones it used.
        keys = self._key_set() if keys is None else keys
        self._remember(token, (min(expires + self.leeway, now + self.remember_for), keys, principal))
        return principal

    def _key_set(self) -> object:
        """The key set at hand (PyJWT puts a new object in its cache on every fetch), or None before the first."""
        cache = getattr(self._client, "jwk_set_cache", None)
        return getattr(cache, "jwk_set_with_timestamp", None)

    def _remember(self, token: str, entry: tuple[float, object, Principal]) -> None:
        with self._remember_lock:
            self._accepted.pop(token, None)  # an entry renewed goes to the end again
            self._accepted[token] = entry
            while len(self._accepted) > self.remembered_tokens:  # the longest remembered goes first
                del self._accepted[next(iter(self._accepted))]

    def _verify(self, token: str, *, fetch: bool) -> tuple[Principal, float]:
        """The principal and the token's expiry (epoch seconds), from the signature and the claims."""
        self.full_checks += 1
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALLOWED_ALGORITHMS:
                raise Unauthenticated("The token is signed with an algorithm this service does not accept.")
            key = self._signing_key(str(header.get("kid", "")), fetch=fetch)
            claims = jwt.decode(token, key.key, algorithms=ALLOWED_ALGORITHMS, audience=self.audience,
                                issuer=self.issuer, leeway=self.leeway,
                                options={"require": ["exp", "iat", "iss", "sub"]})
            if str(claims.get("typ", "Bearer")).lower() in ("id", "refresh", "logout"):
                raise Unauthenticated("An ID or refresh token is not an access token.")
        except Unauthenticated:
            raise
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("The sign-in has expired. Sign in again.") from exc
        except (jwt.PyJWKClientError, jwt.InvalidTokenError) as exc:
            raise Unauthenticated(f"The token was not accepted: {exc}") from exc
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise Unauthenticated(f"The identity provider could not be reached or answered oddly: {exc}") from exc
        return principal_from_claims(claims, self.roles_claim, token), float(claims["exp"])


def principal_from_claims(claims: dict[str, Any], roles_claim: str, token: str = "") -> Principal:
    roles = claim_path(claims, roles_claim) or []
    if isinstance(roles, str):
        roles = [r.strip() for r in roles.replace(";", " ").split() if r.strip()]
    scopes = claims.get("scope", "")
    client_id = str(claims.get("azp") or claims.get("client_id") or "")
    return Principal(
        sub=str(claims["sub"]),
        roles=frozenset(str(r) for r in roles),
        scopes=frozenset(scopes.split() if isinstance(scopes, str) else scopes),
        name=str(claims.get("name", "")),
        email=str(claims.get("email", "")),
        client_id=client_id,
        token=token,
        client_grant=is_client_credentials(claims, client_id),
    )


def is_client_credentials(claims: dict[str, Any], client_id: str) -> bool:
    """Whether a token was issued to a client for itself (client credentials) rather than to a person.

    RFC 9068 (and the dev issuer, Lemonldap::NG) make the client its own subject; Keycloak gives a client's service
    account the user name `service-account-<client>`. (A `client_id` claim alone says nothing: RFC 9068 puts it in
    people's tokens too.)
    """
    sub = str(claims.get("sub", ""))
    username = str(claims.get("preferred_username", ""))
    return (bool(client_id) and sub == client_id) or sub.startswith(_SERVICE_ACCOUNT) \
        or username.startswith(_SERVICE_ACCOUNT)


_SERVICE_ACCOUNT = "service-account-"


_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}


def discover(issuer: str) -> dict[str, Any]:
    """Fetches (and caches for 10 minutes) the issuer's OpenID configuration."""
    issuer = issuer.rstrip("/")
    cached = _discovery_cache.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    resp = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=5)
    resp.raise_for_status()
    doc: dict[str, Any] = resp.json()
    _discovery_cache[issuer] = (time.monotonic() + 600, doc)
    return doc


# ---- FastAPI -------------------------------------------------------------------------------------------------

def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Sign in first: this endpoint needs a bearer token.")
    return token.strip()


async def verified(verifier: TokenVerifier, token: str) -> Principal:
    """The verified caller, checked on the event loop when no request to the IdP is needed.

    A request should not wait for a thread just to check a signature (a hand-over to the thread pool and back,
    which under a burst of answers waits behind every other request): with the signing key at hand it verifies on
    the event loop; when verifying would fetch keys from the IdP (or wait out the refetch cooldown for an unknown
    kid), it does so on a thread. Raises Unauthenticated.
    """
    try:
        return verifier.verify(token, fetch=False)
    except KeysNeeded:
        return await anyio.to_thread.run_sync(verifier.verify, token)


async def get_principal(request: Request) -> Principal:
    """FastAPI dependency: the verified caller (`verified`). The app must set `app.state.verifier`."""
    return await verified(request.app.state.verifier, bearer_token(request))


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_person(principal: CurrentPrincipal) -> Principal:
    """FastAPI dependency: the caller must be a person; integration and service clients are refused (403)."""
    if not principal.is_person:
        raise Forbidden(NOT_A_PERSON)
    return principal


NOT_A_PERSON = ("This is for people signed in to Samla. A client-credentials token (an integration or a service) "
                "cannot use it: call the integration API instead, or sign in as a person.")
CurrentPerson = Annotated[Principal, Depends(get_person)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """FastAPI dependency factory: the caller must hold one of `roles`."""

    async def check(principal: CurrentPrincipal) -> Principal:  # async: no thread needed (get_principal)
        if not principal.has_any(roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(roles)}.")
        return principal

    check.__name__ = f"require_{'_or_'.join(r.replace('-', '_') for r in roles)}"
    return check


def require_scope(scope: str) -> Callable[[Principal], Awaitable[Principal]]:
    async def check(principal: CurrentPrincipal) -> Principal:
        if scope not in principal.scopes and SERVICE not in principal.roles:
            raise Forbidden(f"This needs the scope {scope}.")
        return principal

    return check


# ---- gRPC ----------------------------------------------------------------------------------------------------

current_grpc_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar(
    "current_grpc_principal", default=None)

_UNAUTHENTICATED_METHODS = ("/grpc.health.v1.Health/",)


class AuthServerInterceptor(grpc.ServerInterceptor):
    """Verifies the `authorization: Bearer …` metadata on every call except health checks."""

    def __init__(self, verifier: TokenVerifier) -> None:
        self.verifier = verifier

    def intercept_service(self, continuation: Any, handler_call_details: Any) -> Any:
        method = handler_call_details.method
        if method.startswith(_UNAUTHENTICATED_METHODS):
            return continuation(handler_call_details)
        metadata = dict(handler_call_details.invocation_metadata or ())
        scheme, _, token = str(metadata.get("authorization", "")).partition(" ")
        try:
            if scheme.lower() != "bearer" or not token:
                raise Unauthenticated("missing bearer token")
            principal = self.verifier.verify(token)
        except Unauthenticated as exc:
            return _deny(grpc.StatusCode.UNAUTHENTICATED, exc.detail)
        handler = continuation(handler_call_details)
        if handler is None or (handler.unary_unary is None and handler.unary_stream is None):
            return handler
        return _with_principal(handler, principal)


def _deny(code: grpc.StatusCode, detail: str) -> grpc.RpcMethodHandler:
    def abort(_: Any, context: grpc.ServicerContext) -> None:
        context.abort(code, detail)

    return grpc.unary_unary_rpc_method_handler(abort)


def _with_principal(handler: grpc.RpcMethodHandler, principal: Principal) -> grpc.RpcMethodHandler:
    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def inner(request: Any, context: grpc.ServicerContext) -> Any:
            token = current_grpc_principal.set(principal)
            try:
                return fn(request, context)
            finally:
                current_grpc_principal.reset(token)
        return inner

    def wrap_stream(fn: Callable[..., Any]) -> Callable[..., Any]:
        # A server stream runs after the handler returned its generator: keep the principal set while it is read.
        def inner(request: Any, context: grpc.ServicerContext) -> Any:
            token = current_grpc_principal.set(principal)
            try:
                yield from fn(request, context)
            finally:
                current_grpc_principal.reset(token)
        return inner

    if handler.unary_unary is not None:
        return grpc.unary_unary_rpc_method_handler(wrap(handler.unary_unary), handler.request_deserializer,
                                                   handler.response_serializer)
    return grpc.unary_stream_rpc_method_handler(wrap_stream(handler.unary_stream), handler.request_deserializer,
                                                handler.response_serializer)


class ServiceTokenSource:
    """Client-credentials tokens for service-to-service calls, cached until shortly before they expire."""

    def __init__(self, *, issuer: str, client_id: str, client_secret: str, token_url: str = "") -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self._token_url = token_url
        self._token = ""
        self._expires = 0.0
        self._lock = threading.Lock()

    def token(self) -> str:
        with self._lock:
            if time.monotonic() < self._expires - 30:
                return self._token
            url = self._token_url or discover(self.issuer)["token_endpoint"]
            resp = httpx.post(url, data={"grant_type": "client_credentials"},
                              auth=(self.client_id, self.client_secret), timeout=5)
            resp.raise_for_status()
            body = resp.json()
            self._token = body["access_token"]
            self._expires = time.monotonic() + float(body.get("expires_in", 60))
            return self._token


class TokenClientInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds the service's bearer token to every outgoing gRPC call."""

    def __init__(self, source: ServiceTokenSource) -> None:
        self.source = source

    def _details(self, details: Any) -> Any:
        metadata = [*list(details.metadata or []), ("authorization", f"Bearer {self.source.token()}")]
        return _CallDetails(details.method, details.timeout, metadata, details.credentials,
                            getattr(details, "wait_for_ready", None), getattr(details, "compression", None))

    def intercept_unary_unary(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation: Any, details: Any, request: Any) -> Any:
        return continuation(self._details(details), request)


class _CallDetails(grpc.ClientCallDetails):
    def __init__(self, method: str, timeout: float | None, metadata: Any, credentials: Any,
                 wait_for_ready: Any, compression: Any) -> None:
        self.method = method
        self.timeout = timeout
        self.metadata = metadata
        self.credentials = credentials
        self.wait_for_ready = wait_for_ready
        self.compression = compression
