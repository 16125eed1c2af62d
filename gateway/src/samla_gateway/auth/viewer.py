"""Who is asking: a person with a browser session, or a caller with a bearer token (person or client)."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from fastapi import FastAPI

from samla_common.auth import ADMIN, FACILITATOR, Principal, TokenVerifier, verified
from samla_common.errors import Unauthenticated
from samla_gateway.auth.oidc import OidcClient, OidcError, tokens_from
from samla_gateway.auth.sessions import Session, SessionStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Viewer:
    principal: Principal
    session: Session | None = None  # None for bearer callers

    @property
    def is_admin(self) -> bool:
        return self.principal.has_any([ADMIN])

    @property
    def is_staff(self) -> bool:
        """Runs the day (the doors, check-in): an admin or a facilitator."""
        return self.principal.has_any([ADMIN, FACILITATOR])

    @property
    def access_token(self) -> str:
        return self.principal.token


async def from_bearer(app: FastAPI, token: str) -> Viewer:
    """Verifies a bearer token (signature, issuer, audience, expiry); raises Unauthenticated."""
    verifier: TokenVerifier = app.state.verifier
    return Viewer(principal=await verified(verifier, token))


async def from_session(app: FastAPI, secret: str) -> Viewer | None:
    """The person behind a session cookie, refreshing their access token first when it is about to expire.

    None when the session has ended: idle, too old, logged out, or its tokens can no longer be renewed.
    """
    store: SessionStore = app.state.sessions
    session = await asyncio.to_thread(store.get, secret=secret)
    if session is None:
        return None
    if session.tokens.expires_at - time.time() < app.state.settings.refresh_margin_seconds:
        session = await _refreshed(app, session)
        if session is None:
            return None
    verifier: TokenVerifier = app.state.verifier
    try:
        return Viewer(principal=await verified(verifier, session.tokens.access_token),
                      session=session)
    except Unauthenticated as exc:
        reason = exc.detail
    # The provider rotated its key or revoked the token: one refresh gets a token signed with today's key.
    renewed = await _refreshed(app, session, force=True)
    if renewed is not None:
        try:
            return Viewer(principal=await verified(verifier, renewed.tokens.access_token),
                          session=renewed)
        except Unauthenticated as exc:
            reason = exc.detail
    log.info("session ended: its access token is not accepted (%s)", reason)
    await asyncio.to_thread(store.delete, key=session.key)
    return None


async def _refreshed(app: FastAPI, session: Session, *, force: bool = False) -> Session | None:
    """The session with fresh tokens; None when it cannot continue (and its row is then gone)."""
    store: SessionStore = app.state.sessions
    oidc: OidcClient | None = app.state.oidc
    expired = session.tokens.expires_at <= time.time()
    if oidc is None or not session.tokens.refresh_token:
        # Dev sign-in tokens have no refresh token: the session lasts as long as its access token.
        if expired or force:
            await asyncio.to_thread(store.delete, key=session.key)
            return None
        return session
    try:
        body = await oidc.refresh(session.tokens.refresh_token)
    except OidcError as exc:
        # Another replica may have refreshed a moment ago and used up this refresh token.
        latest = await asyncio.to_thread(store.reload, session=session)
        if latest is not None and latest.version != session.version:
            return latest
        if exc.revoked or expired or force:
            log.info("session ended: refresh refused (%s)", exc)
            await asyncio.to_thread(store.delete, key=session.key)
            return None
        return session  # the provider is unreachable; the current token is still good for a while
    stored = await asyncio.to_thread(store.replace_tokens, session=session,
                                     tokens=tokens_from(body, previous=session.tokens))
    return stored if stored is not None else await asyncio.to_thread(store.reload, session=session)
