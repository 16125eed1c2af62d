"""Prometheus metrics every service exposes on /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

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
