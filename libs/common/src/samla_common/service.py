"""Builds a Samla service process: FastAPI app, gRPC server, outbox relay and consumer loop (eShop-style defaults).

A service's `main.py` describes its parts in a `ServiceSpec` and calls `create_app(spec)`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import grpc
from fastapi import APIRouter, FastAPI
from sqlalchemy.orm import Session, sessionmaker

from samla_common import telemetry
from samla_common.auth import ServiceTokenSource, TokenVerifier
from samla_common.config import ServiceSettings
from samla_common.db import make_engine, make_session_factory
from samla_common.errors import install_problem_handlers
from samla_common.grpc_server import start_grpc_server
from samla_common.health import broker_check, database_check
from samla_common.health import router as health_router
from samla_common.limits import DEFAULT_MAX_BODY_BYTES, BodySizeLimit
from samla_common.messaging.clients import ensure_topics, make_consumer, make_producer
from samla_common.messaging.consumer import Consumer, HandlerRegistry
from samla_common.messaging.relay import Relay
from samla_common.metrics import RequestMetrics
from samla_common.privacy import Export, add_person_data_servicer
from samla_contracts.topics import partitions_for

log = logging.getLogger(__name__)

AddServicers = Callable[[grpc.Server, sessionmaker[Session], ServiceSettings], list[str]]


@dataclass
class ServiceSpec:
    """What one service is made of."""

    settings: ServiceSettings
    title: str
    description: str = ""
    routers: list[APIRouter] = field(default_factory=list)
    registry: HandlerRegistry | None = None
    consumes: list[str] = field(default_factory=list)
    produces: list[str] = field(default_factory=list)
    add_servicers: AddServicers | None = None
    # GDPR: what this service holds about a person; served as PersonDataService over gRPC when given.
    export_person: Export | None = None
    on_startup: list[Callable[[FastAPI], None]] = field(default_factory=list)
    # Request bodies beyond this are refused with a 413 problem; `large_bodies` raises it under a path prefix.
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    large_bodies: dict[str, int] = field(default_factory=dict)


def create_app(spec: ServiceSpec) -> FastAPI:
    """Creates the FastAPI app; the lifespan starts gRPC, relay and consumer threads and stops them cleanly."""
    s = spec.settings
    telemetry.setup(s.service_name, otlp_endpoint=s.otel_endpoint, log_level=s.log_level)
    engine = make_engine(s.database_url)
    session_factory = make_session_factory(engine)
    verifier = TokenVerifier(issuer=s.oidc_issuer, audience=s.oidc_audience, jwks_url=s.oidc_jwks_url,
                             roles_claim=s.oidc_roles_claim)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        threads: list[threading.Thread] = []
        # Every service runs a gRPC server, if only for the standard health service (DESIGN §3).
        server, _ = start_grpc_server(port=s.grpc_port, host=s.grpc_host, verifier=verifier,
                                      add_servicers=lambda srv: _add_servicers(spec, srv, session_factory))
        topics = sorted({*spec.produces, *spec.consumes, *(f"{t}.dlq" for t in spec.consumes)})
        if s.relay_enabled or s.kafka_consumer_enabled:
            threads.append(_thread("topics", lambda: _ensure_topics_until_done(s, topics, stop)))
        if s.relay_enabled:
            relay = Relay(service=s.service_name, session_factory=session_factory,
                          producer_factory=lambda: make_producer(s.kafka_bootstrap_servers, **s.kafka_options()),
                          batch_size=s.relay_batch_size, poll_seconds=s.relay_poll_seconds,
                          retention=timedelta(days=s.outbox_retention_days),
                          prepare=lambda: ensure_topics(s.kafka_bootstrap_servers,
                                                        {t: partitions_for(t) for t in spec.produces},
                                                        **s.kafka_options()))
            relay.watch(session_factory)
            app.state.relay = relay
            threads.append(_thread("relay", lambda: relay.run(stop)))
        if s.kafka_consumer_enabled and spec.consumes and spec.registry is not None:
            consumer = Consumer(
                name=s.service_name, topics=spec.consumes, registry=spec.registry,
                session_factory=session_factory,
                consumer_factory=lambda: make_consumer(s.kafka_bootstrap_servers, s.service_name, spec.consumes,
                                                       **s.kafka_options()),
                producer_factory=lambda: make_producer(s.kafka_bootstrap_servers, **s.kafka_options()),
                max_attempts=s.consumer_max_attempts)
            app.state.consumer = consumer
            threads.append(_thread("consumer", lambda: consumer.run(stop)))
        for hook in spec.on_startup:
            hook(app)
        log.info("service started", extra={"http_port": s.http_port, "grpc_port": s.grpc_port})
        try:
            yield
        finally:
            stop.set()
            if s.relay_enabled:
                relay.wake()  # out of its idle wait, to see the stop
            server.stop(grace=2).wait(3)
            for t in threads:
                t.join(timeout=5)
            engine.dispose()
            telemetry.shutdown()

    app = FastAPI(title=spec.title, description=spec.description, lifespan=lifespan)
    app.state.settings = s
    app.state.engine = engine
    app.state.session_factory = session_factory
    app.state.read_session_factory = make_session_factory(engine, read_only=True)
    app.state.verifier = verifier
    # This service's own client-credentials tokens for the gRPC calls it makes (fetched lazily).
    app.state.service_tokens = ServiceTokenSource(issuer=s.oidc_issuer, client_id=s.client_id,
                                                  client_secret=s.client_secret, token_url=s.oidc_token_url)
    app.state.readiness_checks = {"database": database_check(session_factory),
                                  "broker": broker_check(s.kafka_bootstrap_servers)}
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimit, default=spec.max_body_bytes, by_prefix=spec.large_bodies)
    _install_http_metrics(app, s.service_name)
    app.include_router(health_router)
    for router in spec.routers:
        app.include_router(router)
    telemetry.instrument_app(app)
    return app


def _add_servicers(spec: ServiceSpec, server: grpc.Server, session_factory: sessionmaker[Session]) -> list[str]:
    names = spec.add_servicers(server, session_factory, spec.settings) if spec.add_servicers else []
    if spec.export_person is not None:
        names.append(add_person_data_servicer(server, service=spec.settings.service_name,
                                              session_factory=session_factory, export=spec.export_person))
    return names


def _thread(name: str, target: Callable[[], Any]) -> threading.Thread:
    t = threading.Thread(target=target, name=name, daemon=True)
    t.start()
    return t


def _ensure_topics_until_done(s: ServiceSettings, topics: list[str], stop: threading.Event) -> None:
    delay = 0.5
    while not stop.is_set():
        try:
            ensure_topics(s.kafka_bootstrap_servers, {t: partitions_for(t) for t in topics}, **s.kafka_options())
            return
        except Exception as exc:
            log.warning("cannot create topics yet (%s); retrying in %.1fs", exc, delay)
            stop.wait(delay)
            delay = min(delay * 2, 5)


def _install_http_metrics(app: FastAPI, service: str) -> None:
    app.add_middleware(RequestMetrics, service=service)
