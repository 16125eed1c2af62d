"""gRPC server with the standard health service and token verification on every call (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent import futures

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from samla_common.auth import AuthServerInterceptor, ServiceTokenSource, TokenClientInterceptor, TokenVerifier

DEFAULT_DEADLINE = 5.0  # seconds; every client call passes a deadline


def start_grpc_server(*, port: int, verifier: TokenVerifier, add_servicers: Callable[[grpc.Server], list[str]],
                      host: str = "127.0.0.1", workers: int = 16) -> tuple[grpc.Server, health.HealthServicer]:
    """Starts a server on host:port; `add_servicers` registers services and returns their full names."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=workers),
                         interceptors=[AuthServerInterceptor(verifier)])
    names = add_servicers(server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in [*names, ""]:
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    server.add_insecure_port(f"{host}:{port}")
    server.start()
    return server, health_servicer


def authed_channel(target: str, tokens: ServiceTokenSource) -> grpc.Channel:
    """A channel whose calls carry this service's client-credentials token."""
    return grpc.intercept_channel(grpc.insecure_channel(target), TokenClientInterceptor(tokens))
