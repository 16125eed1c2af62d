"""The gateway: the one public entrance (DESIGN §2). Routing, health, and the web interface."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from samla_common import telemetry
from samla_common.auth import TokenVerifier
from samla_common.errors import install_problem_handlers
from samla_gateway import health, proxy, web
from samla_gateway.config import get_settings


def create_app() -> FastAPI:
    settings = get_settings()
    telemetry.setup("gateway", otlp_endpoint=settings.otel_endpoint, log_level=settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.http = proxy.make_client(settings)
        try:
            yield
        finally:
            await app.state.http.aclose()
            telemetry.shutdown()

    app = FastAPI(title="Samla gateway", description=__doc__, lifespan=lifespan)
    app.state.settings = settings
    app.state.verifier = TokenVerifier(issuer=settings.oidc_issuer, audience=settings.oidc_audience,
                                       jwks_url=settings.oidc_jwks_url, roles_claim=settings.oidc_roles_claim)
    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(proxy.router)
    app.include_router(web.router)
    telemetry.instrument_app(app)
    return app


app = create_app()
