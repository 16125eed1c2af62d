"""What the live updates expose on /metrics (Prometheus, the process-wide registry every service uses)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

CONNECTIONS = Gauge("samla_gateway_live_connections", "Server-Sent Events connections held open", ["stream"])
STREAMS = Gauge("samla_gateway_live_streams", "Boards and prompt lists someone is watching", ["stream"])
FETCHES = Counter("samla_gateway_live_fetches_total", "Fetches of a watched stream from feedback", ["stream"])
FRAMES = Counter("samla_gateway_live_frames_total", "New frames fanned out to a stream's subscribers", ["stream"])
KAFKA_ACTIVE = Gauge("samla_gateway_live_kafka_active",
                     "1 while changes come from Kafka, 0 while the long-poll change feed stands in")
