"""Prometheus metrics every service exposes on /metrics, and the middleware that counts requests."""

from __future__ import annotations

import time

from prometheus_client import Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTTP_REQUESTS = Counter("samla_http_requests_total", "HTTP requests", ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram(
    "samla_http_request_duration_seconds", "HTTP request latency", ["service", "method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_BACKLOG = Gauge("samla_outbox_backlog", "Outbox rows not yet acknowledged by the broker", ["service"])
# Alert on age rather than count: a handful of rows stuck for minutes matters as much as a large backlog.
OUTBOX_OLDEST_PENDING = Gauge("samla_outbox_oldest_pending_seconds",
                              "Age of the oldest outbox row not yet acknowledged by the broker (0: none)", ["service"])
RELAY_PUBLISHED = Counter("samla_relay_published_total", "Outbox rows published", ["service"])
CONSUMER_LAG = Gauge("samla_consumer_lag", "Records behind the partition end", ["consumer", "topic", "partition"])
CONSUMED = Counter("samla_consumed_total", "Records consumed by outcome", ["consumer", "topic", "outcome"])
DEAD_LETTERED = Counter("samla_dead_lettered_total", "Records sent to a DLQ (alert on any increase)",
                        ["consumer", "topic"])


# A method outside these is counted as "OTHER": the label comes from the caller, and at the gateway from anyone.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestMetrics:
    """Counts and times requests by route template and status. Pure ASGI: Starlette's BaseHTTPMiddleware would run
    every request in a task group of its own and pass its body through a memory stream."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = "500"  # what the client gets when the app fails before answering

        async def send_seen(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = str(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_seen)
        finally:
            path = getattr(scope.get("route"), "path", "unmatched")  # the route template, set by the router
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            HTTP_REQUESTS.labels(self.service, method, path, status).inc()
            HTTP_LATENCY.labels(self.service, method, path).observe(time.perf_counter() - start)
