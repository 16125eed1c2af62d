"""Requests are counted by route template and status, also when the endpoint fails."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from samla_common.errors import NotFound, install_problem_handlers
from samla_common.metrics import RequestMetrics

SERVICE = "metrics-test"


def count(method: str, route: str, status: str) -> float:
    labels = {"service": SERVICE, "method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("samla_http_requests_total", labels) or 0.0


def observed(method: str, route: str) -> float:
    labels = {"service": SERVICE, "method": method, "route": route}
    return REGISTRY.get_sample_value("samla_http_request_duration_seconds_count", labels) or 0.0


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RequestMetrics, service=SERVICE)

    @app.get("/prompts/{prompt_id}")
    async def prompt(prompt_id: str) -> dict[str, str]:
        if prompt_id == "missing":
            raise NotFound("No such prompt.")
        return {"id": prompt_id}

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("a bug")

    return TestClient(app, raise_server_exceptions=False)


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    before = (count("GET", "/prompts/{prompt_id}", "200"), count("GET", "/prompts/{prompt_id}", "404"),
              count("GET", "unmatched", "404"), observed("GET", "/prompts/{prompt_id}"))

    assert client.get("/prompts/p-1").status_code == 200
    assert client.get("/prompts/p-2").status_code == 200
    assert client.get("/prompts/missing").status_code == 404
    assert client.get("/no/such/path").status_code == 404

    after = (count("GET", "/prompts/{prompt_id}", "200"), count("GET", "/prompts/{prompt_id}", "404"),
             count("GET", "unmatched", "404"), observed("GET", "/prompts/{prompt_id}"))
    assert [a - b for a, b in zip(after, before, strict=True)] == [2, 1, 1, 3]


def test_a_failing_endpoint_is_counted_as_a_500(client: TestClient) -> None:
    before = count("GET", "/broken", "500")

    assert client.get("/broken").status_code == 500

    assert count("GET", "/broken", "500") - before == 1


def test_a_made_up_method_is_counted_as_other(client: TestClient) -> None:
    """The label comes from the caller: made-up methods must not make a new series each."""
    before = counted_by_method()

    assert client.request("BREW", "/prompts/p-1").status_code == 405
    assert client.request("FROBNICATE", "/prompts/p-1").status_code == 405

    after = counted_by_method()
    assert after.get("OTHER", 0) - before.get("OTHER", 0) == 2
    assert "BREW" not in after and "FROBNICATE" not in after


def counted_by_method() -> dict[str, float]:
    totals: dict[str, float] = {}
    for metric in REGISTRY.collect():
        for sample in metric.samples:
            if sample.name == "samla_http_requests_total" and sample.labels.get("service") == SERVICE:
                method = sample.labels["method"]
                totals[method] = totals.get(method, 0) + sample.value
    return totals
