"""The gateway: the one public entrance (DESIGN §2). Sign-in, sessions, routing, rate limits and the web interface."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from samla_common import telemetry
from samla_common.auth import ServiceTokenSource, TokenVerifier
from samla_common.db import make_engine, make_session_factory
from samla_common.errors import install_problem_handlers, problem
from samla_common.metrics import RequestMetrics
from samla_gateway import health, migrate, proxy, security
from samla_gateway.auth import router as auth_router
from samla_gateway.auth import signin
from samla_gateway.auth.keys import session_fernet
from samla_gateway.auth.oidc import OidcClient
from samla_gateway.auth.sessions import SessionStore
from samla_gateway.config import Settings, get_settings
from samla_gateway.directory import Directory
from samla_gateway.entrance import API_PATHS, Entrance
from samla_gateway.errors import not_found
from samla_gateway.http_client import make_client
from samla_gateway.live import router as live_router
from samla_gateway.live import runtime as live
from samla_gateway.ratelimit import TokenBucket
from samla_gateway.web import (
    STATIC_DIR,
    agenda_pages,
    dialogue_routes,
    directory_pages,
    door,
    error_page,
    event_pages,
    install_page_handlers,
    invitation_pages,
    my_day,
    network_routes,
    pages,
    process_pages,
    profile,
    registration_pages,
    report_pages,
    seating_changes,
    seating_pages,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    telemetry.setup("gateway", otlp_endpoint=settings.otel_endpoint, log_level=settings.log_level)
    engine = make_engine(settings.database_url)
    fernet = session_fernet(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Everything opened is closed again in reverse order, also when a later step of the start fails.
        async with AsyncExitStack() as opened:
            opened.callback(telemetry.shutdown)
            opened.callback(engine.dispose)
            opened.callback(app.state.directory.close)
            if settings.migrate_on_start:
                await asyncio.to_thread(migrate.upgrade, settings.database_url)
            app.state.upstreams = proxy.Upstreams(settings)
            opened.push_async_callback(app.state.upstreams.aclose)
            await app.state.upstreams.start()
            app.state.http = make_client(settings)
            opened.push_async_callback(app.state.http.aclose)
            if settings.auth_mode == "oidc":
                app.state.oidc = OidcClient(issuer=settings.oidc_issuer, client_id=settings.client_id,
                                            client_secret=settings.client_secret, scopes=settings.oidc_scopes,
                                            http=app.state.http, token_url=settings.oidc_token_url,
                                            jwks_url=settings.oidc_jwks_url)
            live.start(app)
            opened.push_async_callback(live.stop, app)
            yield

    # No Swagger UI here: it needs inline scripts the CSP refuses. /openapi.json describes the API.
    app = FastAPI(title="Samla gateway", description=__doc__, lifespan=lifespan, docs_url=None, redoc_url=None)
    state = app.state
    state.settings = settings
    state.session_factory = make_session_factory(engine)
    state.fernet = fernet
    state.sessions = SessionStore(engine=engine, fernet=fernet, idle=settings.session_idle_minutes * 60,
                                  max_age=settings.session_max_hours * 3600)
    state.verifier = TokenVerifier(issuer=settings.oidc_issuer, audience=settings.oidc_audience,
                                   jwks_url=settings.oidc_jwks_url, roles_claim=settings.oidc_roles_claim)
    state.service_tokens = ServiceTokenSource(issuer=settings.oidc_issuer, client_id=settings.client_id,
                                              client_secret=settings.client_secret,
                                              token_url=settings.oidc_token_url)
    state.directory = Directory(target=settings.identity_grpc_target, tokens=state.service_tokens)
    state.oidc = None
    state.ip_limiter = TokenBucket(rate=settings.rate_limit_ip_per_second, burst=settings.rate_limit_ip_burst)
    state.person_limiter = TokenBucket(rate=settings.rate_limit_person_per_second,
                                       burst=settings.rate_limit_person_burst)
    issuer_origin = security.origin_of(settings.oidc_issuer) if settings.auth_mode == "oidc" else ""
    state.csp = security.content_security_policy(form_targets=[issuer_origin] if issuer_origin else [])

    install_problem_handlers(app)
    install_page_handlers(app)
    _install_not_found_pages(app)
    app.add_middleware(Entrance)
    app.add_middleware(RequestMetrics, service="gateway")  # outermost: counts the entrance's refusals too
    app.include_router(health.router)
    app.include_router(auth_router.router)
    app.include_router(signin.router)
    app.include_router(proxy.router)
    app.include_router(live_router.router)
    app.include_router(pages.router)
    app.include_router(profile.router)
    app.include_router(directory_pages.router)
    for report_router in (process_pages.router, report_pages.router):
        app.include_router(report_router)
    app.include_router(dialogue_routes.router)
    app.include_router(network_routes.router)
    for pages_router in (event_pages.router, agenda_pages.router, invitation_pages.router, registration_pages.router,
                         seating_pages.router, seating_changes.router, my_day.router, door.router):
        app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    telemetry.instrument_app(app)
    return app


def _install_not_found_pages(app: FastAPI) -> None:
    """Browsers get an HTML page for unknown addresses; API callers keep problem+json."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith(API_PATHS) or exc.status_code != 404:
            detail = exc.detail if isinstance(exc.detail, str) else "Request failed"
            return problem(exc.status_code, HTTPStatus(exc.status_code).phrase, detail,
                           headers=getattr(exc, "headers", None))
        return error_page(request, not_found())


app = create_app()
