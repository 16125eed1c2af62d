"""The API proxy: what it passes on, what it counts (service="gateway"), and a phone that leaves mid-request."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response
from prometheus_client import REGISTRY

from gateway.tests.support import Browser, Identity, ServerThread, free_port, gateway_settings, wait_until
from samla_gateway.main import create_app

PROXY_ROUTE = "/api/{service}/{path:path}"


def count(method: str, route: str, status: str) -> float:
    labels = {"service": "gateway", "method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("samla_http_requests_total", labels) or 0.0


def sent_on(service: str) -> float:
    return REGISTRY.get_sample_value("samla_gateway_upstream_requests_total", {"service": service}) or 0.0


def test_proxied_requests_and_refusals_at_the_entrance_are_counted(gateway: Browser, identity: Identity) -> None:
    before = count("GET", PROXY_ROUTE, "200"), count("GET", PROXY_ROUTE, "401")
    refused_before = count("GET", "unmatched", "401")
    sent_before = sent_on("identity")

    token = identity.service_token()
    assert gateway.client.get("/api/identity/people/p-chef", headers={"authorization": f"Bearer {token}"}
                              ).status_code == 200
    assert gateway.client.get("/api/identity/people/p-chef", headers={"authorization": "Bearer junk"}
                              ).status_code == 401

    after = count("GET", PROXY_ROUTE, "200"), count("GET", PROXY_ROUTE, "401")
    # The entrance refuses before routing, so its 401 has no route template.
    assert (after[0] - before[0], after[1] - before[1]) == (1, 0)
    assert sent_on("identity") - sent_before == 1  # the refused one never left the gateway
    assert count("GET", "unmatched", "401") - refused_before == 1


@pytest.fixture(scope="module")
def echo() -> Iterator[ServerThread]:
    server = ServerThread(echo_app(), free_port()).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def served(identity: Identity, echo: ServerThread, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A gateway over real HTTP (network is the echo), for callers that speak raw bytes; yields its port."""
    settings = gateway_settings(identity, tmp_path_factory.mktemp("served"), network_url=echo.url)
    server = ServerThread(create_app(settings), free_port()).start()
    yield server.port
    server.stop()


def send_and_leave(port: int, request: bytes) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as phone:
        phone.sendall(request)


def test_a_client_that_leaves_before_its_body_arrives_is_a_499_not_a_server_error(
        served: int, identity: Identity, caplog: pytest.LogCaptureFixture) -> None:
    before = count("POST", PROXY_ROUTE, "499"), count("POST", PROXY_ROUTE, "500"), sent_on("network")

    send_and_leave(served, (f"POST /api/network/people HTTP/1.1\r\nhost: 127.0.0.1\r\n"
                            f"authorization: Bearer {identity.service_token()}\r\ncontent-type: application/json\r\n"
                            f"content-length: 1000\r\n\r\n" '{"id": "p-').encode())  # a tenth, then gone

    wait_until(lambda: count("POST", PROXY_ROUTE, "499") > before[0], timeout=10, what="the 499 to be counted")
    assert (count("POST", PROXY_ROUTE, "500"), sent_on("network")) == before[1:]
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]


def echo_app() -> FastAPI:
    """A service stand-in that answers with what reached it: method, path, query and headers."""
    app = FastAPI()

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        await asyncio.sleep(3)
        return {"too": "late"}

    @app.get("/links")
    async def links() -> Response:
        response = Response(b"{}", media_type="application/json")
        response.headers.append("link", "</a>; rel=next")
        response.headers.append("link", "</b>; rel=last")
        return response

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def echo(path: str, request: Request) -> dict[str, Any]:
        return {"method": request.method, "path": request.scope["raw_path"].decode(),
                "query": request.scope["query_string"].decode(), "body": (await request.body()).decode(),
                "headers": dict(request.headers)}

    return app


def test_the_proxy_passes_path_query_body_and_trace_on_and_keeps_cookies_back(make_gateway: Any, identity: Identity,
                                                                              echo: ServerThread) -> None:
    gateway = make_gateway(network_url=echo.url)
    gateway.client.cookies.set("samla_session", "never-forwarded", domain="testserver.local")

    resp = gateway.client.post("/api/network/networks/n 1/träffar?from=2026-12-01&q=a%26b", content=b'{"a": 1}',
                               headers={"authorization": f"Bearer {identity.service_token()}",
                                        "content-type": "application/json"})

    assert resp.status_code == 200, resp.text
    seen = resp.json()
    assert (seen["method"], seen["path"], seen["query"], seen["body"]) == (
        "POST", "/networks/n%201/tr%C3%A4ffar", "from=2026-12-01&q=a%26b", '{"a": 1}')
    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}", seen["headers"].get("traceparent", ""))
    assert "cookie" not in seen["headers"] and seen["headers"]["x-forwarded-proto"] == "http"


def bearer(identity: Identity) -> dict[str, str]:
    return {"authorization": f"Bearer {identity.service_token()}"}


def test_a_header_the_service_sends_twice_reaches_the_caller_twice(make_gateway: Any, identity: Identity,
                                                                   echo: ServerThread) -> None:
    gateway = make_gateway(network_url=echo.url)

    resp = gateway.client.get("/api/network/links", headers=bearer(identity))

    assert resp.status_code == 200 and resp.headers.get_list("link") == ["</a>; rel=next", "</b>; rel=last"]


def test_a_body_without_a_content_type_gets_none_on_the_way(make_gateway: Any, identity: Identity,
                                                            echo: ServerThread) -> None:
    gateway = make_gateway(network_url=echo.url)

    seen = gateway.client.post("/api/network/x", content=b"hej", headers=bearer(identity)).json()

    assert seen["body"] == "hej" and "content-type" not in seen["headers"]


def test_control_characters_in_the_address_are_refused_before_anything_is_sent(make_gateway: Any, identity: Identity,
                                                                                echo: ServerThread) -> None:
    gateway = make_gateway(network_url=echo.url)
    before = sent_on("network")

    resp = gateway.client.get("/api/network/people/%1Dx", headers=bearer(identity))

    assert resp.status_code == 400 and "control characters" in resp.json()["detail"]
    assert sent_on("network") == before


def test_a_service_that_is_down_is_a_503_to_try_again(make_gateway: Any, identity: Identity) -> None:
    gateway = make_gateway(network_url=f"http://127.0.0.1:{free_port()}", upstream_retries=1)
    before = sent_on("network")

    resp = gateway.client.get("/api/network/networks", headers=bearer(identity))

    assert resp.status_code == 503 and resp.headers["retry-after"] == "5"
    assert "cannot be reached" in resp.json()["detail"] and sent_on("network") - before == 2  # tried twice


def test_a_service_that_does_not_answer_in_time_is_a_504(make_gateway: Any, identity: Identity,
                                                         echo: ServerThread) -> None:
    gateway = make_gateway(network_url=echo.url, upstream_timeout_seconds=0.5)

    resp = gateway.client.get("/api/network/slow", headers=bearer(identity))

    assert resp.status_code == 504 and "did not answer in time" in resp.json()["detail"]

