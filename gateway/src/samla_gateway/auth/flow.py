"""Starting and ending a browser session: shared by the OIDC callback and the dev sign-in."""

from __future__ import annotations

import asyncio

from fastapi import Request, Response

from samla_gateway.auth import cookies
from samla_gateway.auth.sessions import SessionStore, Tokens, session_key


def safe_next(value: str | None) -> str:
    """A local path to return to after sign-in; anything else (another site, a sign-in page) means home."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")) or "\\" in value:
        return "/"
    if value.startswith(("/logga-in", "/auth/", "/logga-ut", "/utloggad")):
        return "/"
    return value


async def begin_session(request: Request, response: Response, *, sub: str, sid: str, tokens: Tokens) -> None:
    """A new session under a new id (so a planted cookie is worth nothing: no fixation); the old one ends."""
    store: SessionStore = request.app.state.sessions
    old = cookies.read(request, cookies.SESSION)
    if old:
        await asyncio.to_thread(store.delete, key=session_key(old))
    secret, _ = await asyncio.to_thread(store.create, sub=sub, sid=sid, tokens=tokens)
    cookies.put(request, response, cookies.SESSION, secret, max_age=store.max_age)
    request.state.end_session_cookie = False


async def end_session(request: Request, response: Response) -> None:
    store: SessionStore = request.app.state.sessions
    secret = cookies.read(request, cookies.SESSION)
    if secret:
        await asyncio.to_thread(store.delete, key=session_key(secret))
    cookies.clear(request, response, cookies.SESSION)
    request.state.end_session_cookie = False
