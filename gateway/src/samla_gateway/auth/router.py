"""Sign-in with OpenID Connect, sign-out (here and at the IdP), back-channel logout and "who am I"."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Annotated, Any
from urllib.parse import urlencode

from cryptography.fernet import InvalidToken, MultiFernet
from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from samla_common.errors import Unauthenticated, problem
from samla_gateway.auth import cookies
from samla_gateway.auth.access import ApiCaller, CsrfChecked
from samla_gateway.auth.flow import begin_session, end_session, safe_next
from samla_gateway.auth.oidc import LoginState, OidcClient, OidcError, tokens_from
from samla_gateway.auth.sessions import SessionStore
from samla_gateway.auth.viewer import from_bearer
from samla_gateway.errors import N_, PageError, not_found

log = logging.getLogger(__name__)
router = APIRouter(tags=["sign-in"])
LOGIN_TTL = 600  # seconds a person has to complete the IdP's sign-in form


def redirect_uri(request: Request) -> str:
    return f"{cookies.base_url(request)}/auth/callback"


def _oidc(request: Request) -> OidcClient | None:
    oidc: OidcClient | None = request.app.state.oidc
    return oidc


def _failed(request: Request, reason: str) -> RedirectResponse:
    response = RedirectResponse(f"/logga-in?{urlencode({'fel': reason})}", status_code=303)
    cookies.clear(request, response, cookies.LOGIN)
    return response


@router.get("/auth/login", include_in_schema=False, summary="Start signing in at the IdP. Anyone.")
async def login(request: Request, next: str = "/") -> Response:
    target = safe_next(next)
    oidc = _oidc(request)
    if oidc is None:
        return RedirectResponse(f"/logga-in?{urlencode({'next': target})}", status_code=303)
    pending = LoginState.new(target)
    try:
        url = await oidc.authorization_url(pending, redirect_uri(request))
    except OidcError as exc:
        log.warning("cannot start sign-in: %s", exc)
        raise PageError(503, N_("Sign-in is not answering"),
                        N_("The municipality's sign-in service cannot be reached right now. Try again in a "
                           "minute.")) from exc
    response = RedirectResponse(url, status_code=303)
    fernet: MultiFernet = request.app.state.fernet
    cookies.put(request, response, cookies.LOGIN, fernet.encrypt(pending.dumps()).decode(), max_age=LOGIN_TTL)
    return response


@router.get("/auth/callback", include_in_schema=False,
            summary="Where the IdP returns with a code. Anyone (state, PKCE and nonce are checked).")
async def callback(request: Request, code: str = "", state: str = "", error: str = "") -> Response:
    oidc = _oidc(request)
    if oidc is None:
        raise not_found()
    pending = _pending_login(request)
    if pending is None or not state or not hmac.compare_digest(state.encode(), pending.state.encode()):
        return _failed(request, "state")
    if error or not code:
        log.info("the IdP refused the sign-in: %s", error or "no code")
        return _failed(request, "idp")
    try:
        body = await oidc.exchange_code(code=code, verifier=pending.verifier, redirect_uri=redirect_uri(request))
        claims = await oidc.verify_id_token(str(body.get("id_token", "")), nonce=pending.nonce)
        viewer = await from_bearer(request.app, str(body["access_token"]))
    except (OidcError, Unauthenticated) as exc:
        log.warning("sign-in failed after the IdP: %s", exc)
        return _failed(request, "token")
    if claims["sub"] != viewer.principal.sub:
        log.warning("the ID token and the access token name different people")
        return _failed(request, "token")
    response = RedirectResponse(pending.next, status_code=303)
    await begin_session(request, response, sub=viewer.principal.sub, sid=str(claims.get("sid", "")),
                        tokens=tokens_from(body))
    cookies.clear(request, response, cookies.LOGIN)
    return response


def _pending_login(request: Request) -> LoginState | None:
    sealed = cookies.read(request, cookies.LOGIN)
    if not sealed:
        return None
    fernet: MultiFernet = request.app.state.fernet
    try:
        return LoginState.loads(fernet.decrypt(sealed.encode(), ttl=LOGIN_TTL))
    except (InvalidToken, ValueError, TypeError):
        return None


@router.post("/logga-ut", include_in_schema=False,
             summary="Sign out here and, with OIDC, at the IdP. Anyone (CSRF token required).")
async def logout(request: Request, _: None = CsrfChecked) -> Response:
    viewer = request.state.viewer
    oidc = _oidc(request)
    target: str | None = None
    if oidc is not None and viewer is not None and viewer.session is not None:
        try:
            target = await oidc.end_session_url(id_token=viewer.session.tokens.id_token,
                                                post_logout_redirect_uri=f"{cookies.base_url(request)}/utloggad")
        except OidcError as exc:
            log.warning("signed out here only; the IdP cannot be reached: %s", exc)
    response = RedirectResponse(target or "/utloggad", status_code=303)
    await end_session(request, response)
    return response


@router.post("/auth/backchannel-logout",
             summary="OpenID Connect back-channel logout: the IdP ends sessions. The IdP (a signed logout token).",
             responses={200: {"description": "The sessions of that IdP session or person have ended"},
                        400: {"description": "The logout token was missing or not accepted"}})
async def backchannel_logout(request: Request, logout_token: Annotated[str, Form()] = "") -> Response:
    oidc = _oidc(request)
    if oidc is None:
        return problem(400, "Bad request", "Back-channel logout is offered with SAMLA_AUTH=oidc only.")
    try:
        sub, sid = await oidc.verify_logout_token(logout_token)
    except OidcError as exc:
        return problem(400, "Bad request", f"The logout token was not accepted: {exc}")
    store: SessionStore = request.app.state.sessions
    ended = await asyncio.to_thread(store.delete_for, sub=sub, sid=sid)
    log.info("back-channel logout ended %d session(s)", ended)
    return JSONResponse({"ended": ended}, headers={"Cache-Control": "no-store"})


@router.get("/auth/session", summary="Who the caller is, as the gateway sees it. Any signed-in caller.",
            responses={200: {"content": {"application/json": {"example": {
                "sub": "p-1042", "name": "Karin Lindqvist", "email": "karin.lindqvist@exempelstad.se",
                "roles": ["samla-admin"], "scopes": ["openid", "profile"], "via": "session",
                "access_expires_at": 1795000000}}}}})
async def whoami(viewer: ApiCaller) -> dict[str, Any]:
    p = viewer.principal
    return {"sub": p.sub, "name": p.name, "email": p.email, "roles": sorted(p.roles), "scopes": sorted(p.scopes),
            "client_id": p.client_id, "via": "session" if viewer.session else "bearer",
            "access_expires_at": viewer.session.tokens.expires_at if viewer.session else None}
