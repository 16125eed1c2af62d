"""One call wires traces, metrics and JSON logs for a process (DESIGN §8)."""

from __future__ import annotations

import faulthandler
import json
import logging
import signal
import sys
import time
from datetime import UTC, datetime
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_configured: dict[str, Any] = {}

_STD_ATTRS = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the active trace and span ids."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "message": record.getMessage(),
        }
        ctx = trace.get_current_span().get_span_context()
        if ctx.is_valid:
            out["trace_id"] = format(ctx.trace_id, "032x")
            out["span_id"] = format(ctx.span_id, "016x")
        for key, value in record.__dict__.items():
            if key not in _STD_ATTRS and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["error"] = self.formatException(record.exc_info)
        return json.dumps(out, default=str, ensure_ascii=False)


def setup_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    for noisy in ("kafka", "uvicorn.access", "httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def setup(service: str, *, otlp_endpoint: str = "", log_level: str = "INFO") -> TracerProvider:
    """Wires OpenTelemetry (FastAPI via `instrument_app`, gRPC, SQLAlchemy, httpx) and JSON logs.

    Exports OTLP/HTTP when `otlp_endpoint` (OTEL_EXPORTER_OTLP_ENDPOINT) is set. Safe to call twice.
    """
    if "provider" in _configured:
        provider: TracerProvider = _configured["provider"]
        return provider
    setup_logging(service, log_level)
    # `kill -QUIT <pid>` writes every thread's stack to stderr: where a stuck process waits (docs/runbook.md).
    faulthandler.register(signal.SIGQUIT, all_threads=True)
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = otlp_endpoint.rstrip("/") + "/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint),
                                                       schedule_delay_millis=200))
    trace.set_tracer_provider(provider)
    from opentelemetry.instrumentation.grpc import GrpcInstrumentorClient, GrpcInstrumentorServer
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    GrpcInstrumentorServer().instrument()
    GrpcInstrumentorClient().instrument()
    HTTPXClientInstrumentor().instrument()
    SQLAlchemyInstrumentor().instrument(enable_commenter=False)
    _configured["provider"] = provider
    _configured["started"] = time.time()
    return provider


def instrument_app(app: Any, tracer_provider: TracerProvider | None = None) -> None:
    """Traces a FastAPI app (called by the service runtime after the app is built) with the process's tracer
    provider, or `tracer_provider` (tests)."""
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    # One server span per request. The ASGI instrumentation would add a span for every message received and sent:
    # for a board's Server-Sent Events stream that is a span per frame per phone, about 18,000 in the 460 day.
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics", exclude_spans=["receive", "send"],
                                       tracer_provider=tracer_provider)


def shutdown() -> None:
    provider = _configured.get("provider")
    if provider is not None:
        provider.force_flush(timeout_millis=2000)
        provider.shutdown()
