"""Dev sign-in (SAMLA_AUTH=dev, DESIGN §5): a local OIDC-shaped issuer that mints short-lived JWTs.

It serves discovery, JWKS and a token endpoint, so every service verifies its tokens with the same code that
verifies Keycloak's. Settings refuse SAMLA_AUTH=dev when SAMLA_ENV=production.
"""

from __future__ import annotations

import hmac
import time
import uuid
from functools import cache
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Depends, Form, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from pydantic import BaseModel, Field

from samla_common.auth import SERVICE, Principal, require_roles
from samla_common.deps import SessionDep
from samla_common.errors import Unauthenticated
from samla_identity.config import Settings, get_settings
from samla_identity.devauth.keys import SigningKey, load_or_create
from samla_identity.people import service as people

router = APIRouter(prefix="/dev", tags=["dev sign-in"])
basic = HTTPBasic(auto_error=False)

SERVICE_CLIENTS = ("samla-identity", "samla-events", "samla-feedback", "samla-network", "samla-gateway")
INTEGRATION_CLIENTS = {"samla-integration": "insights:read"}


@cache
def signing_key() -> SigningKey:
    s = get_settings()
    return load_or_create(s.var_dir / "dev-keys" / "identity-signing.pem")


def mint(*, settings: Settings, sub: str, claims: dict[str, Any], minutes: int | None = None) -> tuple[str, int]:
    """Signs an access token for `sub`; returns (token, lifetime in seconds)."""
    key = signing_key()
    now = int(time.time())
    ttl = 60 * (minutes or settings.dev_token_minutes)
    body = {"iss": settings.oidc_issuer.rstrip("/"), "aud": settings.oidc_audience, "sub": sub, "iat": now,
            "nbf": now, "exp": now + ttl, "jti": str(uuid.uuid4()), **claims}
    return jwt.encode(body, key.private_pem, algorithm="RS256", headers={"kid": key.kid}), ttl


@router.get("/.well-known/openid-configuration", summary="OIDC discovery of the dev issuer. Anyone.")
def discovery() -> dict[str, Any]:
    issuer = get_settings().oidc_issuer.rstrip("/")
    return {"issuer": issuer, "jwks_uri": f"{issuer}/jwks.json", "token_endpoint": f"{issuer}/token",
            "grant_types_supported": ["client_credentials"], "id_token_signing_alg_values_supported": ["RS256"]}


@router.get("/jwks.json", summary="Public keys of the dev issuer. Anyone.")
def jwks() -> dict[str, Any]:
    return {"keys": [signing_key().public_jwk]}


@router.post("/token", summary="Client credentials for local service and integration clients. Client auth.")
def token(request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)],
          grant_type: Annotated[str, Form()] = "", client_id: Annotated[str, Form()] = "",
          client_secret: Annotated[str, Form()] = "") -> dict[str, Any]:
    s = get_settings()
    cid = credentials.username if credentials else client_id
    secret = credentials.password if credentials else client_secret
    if grant_type != "client_credentials":
        raise Unauthenticated("Only grant_type=client_credentials is offered by the dev issuer.")
    # Locally every client shares SAMLA_CLIENT_SECRET, which `make run` generates per machine.
    if not s.client_secret or not hmac.compare_digest(secret.encode(), s.client_secret.encode()):
        raise Unauthenticated("Unknown client or wrong secret.")
    if cid in SERVICE_CLIENTS:
        claims: dict[str, Any] = {"azp": cid, "realm_access": {"roles": [SERVICE]}, "scope": "samla"}
    elif cid in INTEGRATION_CLIENTS:
        claims = {"azp": cid, "realm_access": {"roles": []}, "scope": INTEGRATION_CLIENTS[cid]}
    else:
        raise Unauthenticated("Unknown client or wrong secret.")
    access, ttl = mint(settings=s, sub=cid, claims=claims)
    return {"access_token": access, "token_type": "Bearer", "expires_in": ttl}


class SignInRequest(BaseModel):
    person_id: str = Field(min_length=1, max_length=200)


@router.post("/sign-in", summary="Mint a token for a demo person (the gateway's dev sign-in page). Services only.")
def sign_in(body: SignInRequest, session: SessionDep,
            _: Annotated[Principal, Depends(require_roles(SERVICE))]) -> dict[str, Any]:
    s = get_settings()
    person = people.get(session=session, person_id=body.person_id)
    if not person.active:
        raise Unauthenticated("This person is no longer active in the directory.")
    access, ttl = mint(settings=s, sub=person.id, claims={
        "name": person.name, "email": person.email or "", "azp": "samla-gateway",
        "realm_access": {"roles": list(person.roles or [])}, "scope": "openid profile"})
    return {"access_token": access, "token_type": "Bearer", "expires_in": ttl}
