"""A request is traced as one server span: no span per message received or sent (a stream sends thousands)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from samla_common import telemetry


def test_a_streamed_response_is_one_server_span() -> None:
    provider = TracerProvider()  # its own, so that nothing process-wide changes
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = FastAPI()

    @app.get("/board")
    async def board() -> StreamingResponse:
        return StreamingResponse((f"data: {i}\n\n" for i in range(50)), media_type="text/event-stream")

    telemetry.instrument_app(app, tracer_provider=provider)
    try:
        assert TestClient(app).get("/board").text.count("data:") == 50
        names = [s.name for s in exporter.get_finished_spans()]
    finally:
        exporter.shutdown()

    assert names == ["GET /board"]
