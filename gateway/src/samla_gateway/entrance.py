"""The middleware every request passes: language, who is asking, rate limits, cookies and security headers."""

from __future__ import annotations

from fastapi import Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from samla_common.auth import bearer_token
from samla_common.errors import Unauthenticated, problem
from samla_gateway import security
from samla_gateway.auth import cookies
from samla_gateway.auth.viewer import Viewer, from_bearer, from_session
from samla_gateway.config import Settings
from samla_gateway.errors import N_, PageError
from samla_gateway.ratelimit import TokenBucket, retry_after
from samla_gateway.web import error_page, i18n

UNMETERED = ("/static/", "/healthz", "/readyz", "/metrics")
API_PATHS = ("/api/", "/scim/", "/auth/session", "/auth/backchannel-logout", "/openapi.json")
LANG_MAX_AGE = 365 * 24 * 3600


class Entrance:
    """A pure ASGI middleware: Starlette's BaseHTTPMiddleware runs every request in a task group of its own and
    passes every chunk of a response (each Server-Sent Event to every phone, too) through a memory stream. The
    response's headers are finished as its start goes out."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        state = request.state
        state.lang = i18n.pick(request)
        state.viewer = None
        state.access_token = ""  # the proxy forwards it for browser sessions
        state.csrf_cookie = ""
        state.end_session_cookie = False
        if not request.url.path.startswith(UNMETERED):
            refusal = await _admit(request)
            if refusal is not None:
                _finish(request, refusal)
                await refusal(scope, receive, send)
                return

        async def send_finished(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = Response()  # only its header helpers: they write into the message's own headers
                headers.raw_headers = list(message.get("headers", []))
                _finish(request, headers)
                message = {**message, "headers": headers.raw_headers}
            await send(message)

        await self.app(scope, receive, send_finished)


async def _admit(request: Request) -> Response | None:
    """Resolves the viewer and applies the rate limits; returns a refusal, or None to go on."""
    app = request.app
    viewer: Viewer | None = None
    if "authorization" in request.headers:
        try:
            viewer = await from_bearer(app, bearer_token(request))
        except Unauthenticated as exc:
            return _limit(request, None) or problem(401, "Not signed in", exc.detail,
                                                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    elif secret := cookies.read(request, cookies.SESSION):
        viewer = await from_session(app, secret)
        request.state.end_session_cookie = viewer is None
    request.state.viewer = viewer
    if viewer is not None and viewer.session is not None:
        request.state.access_token = viewer.access_token
    return _limit(request, viewer)


def _limit(request: Request, viewer: Viewer | None) -> Response | None:
    settings: Settings = request.app.state.settings
    if viewer is None:
        wait = request.app.state.ip_limiter.take(request.client.host if request.client else "unknown")
    elif viewer.principal.is_service and settings.rate_limit_exempt_services:
        return None
    else:
        bucket: TokenBucket = request.app.state.person_limiter
        wait = bucket.take(viewer.principal.sub)  # a client's sub is its client id
    if not wait:
        return None
    headers = {"Retry-After": retry_after(wait)}
    if request.url.path.startswith(API_PATHS):
        return problem(429, "Too many requests", f"Slow down: try again in {headers['Retry-After']} s.",
                       headers=headers)
    response = error_page(request, PageError(429, N_("Too many requests"),
                                             N_("You sent many requests in a short time. Wait a moment and try "
                                                "again.")))
    response.headers.update(headers)
    return response


def _finish(request: Request, response: Response) -> None:
    state = request.state
    security.apply(response, csp=request.app.state.csp, https=cookies.is_secure(request))
    if state.viewer is not None and "cache-control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"  # personal data stays out of shared caches
    if request.query_params.get("lang") in i18n.LANGUAGES:
        cookies.put(request, response, cookies.LANG, state.lang, max_age=LANG_MAX_AGE)
    if state.csrf_cookie and state.csrf_cookie != cookies.read(request, cookies.CSRF):
        cookies.put(request, response, cookies.CSRF, state.csrf_cookie, max_age=None)
    if state.end_session_cookie:  # a route that starts a new session turns this off
        cookies.clear(request, response, cookies.SESSION)

