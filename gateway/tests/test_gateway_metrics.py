"""The gateway counts its own requests (service="gateway"), and a phone that leaves mid-request is not a 500."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from prometheus_client import REGISTRY

from gateway.tests.support import Browser, Identity, ServerThread, free_port, gateway_settings, wait_until
from samla_gateway.main import create_app

PROXY_ROUTE = "/api/{service}/{path:path}"


def count(method: str, route: str, status: str) -> float:
    labels = {"service": "gateway", "method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("samla_http_requests_total", labels) or 0.0


def test_proxied_requests_and_refusals_at_the_entrance_are_counted(gateway: Browser, identity: Identity) -> None:
    before = count("GET", PROXY_ROUTE, "200"), count("GET", PROXY_ROUTE, "401")

    token = identity.service_token()
    assert gateway.client.get("/api/identity/people/p-chef", headers={"authorization": f"Bearer {token}"}
                              ).status_code == 200
    assert gateway.client.get("/api/identity/people/p-chef", headers={"authorization": "Bearer junk"}
                              ).status_code == 401

    after = count("GET", PROXY_ROUTE, "200"), count("GET", PROXY_ROUTE, "401")
    # The entrance refuses before routing, so its 401 has no route template.
    assert (after[0] - before[0], after[1] - before[1]) == (1, 0)
    assert count("GET", "unmatched", "401") >= 1


def test_a_client_that_leaves_before_its_body_arrives_is_a_499_not_a_server_error(
        identity: Identity, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    server = ServerThread(create_app(gateway_settings(identity, tmp_path)), free_port()).start()
    try:
        before = count("POST", PROXY_ROUTE, "499"), count("POST", PROXY_ROUTE, "500")
        request = (f"POST /api/identity/people HTTP/1.1\r\nhost: 127.0.0.1\r\n"
                   f"authorization: Bearer {identity.service_token()}\r\ncontent-type: application/json\r\n"
                   f"content-length: 1000\r\n\r\n" '{"id": "p-').encode()
        with socket.create_connection(("127.0.0.1", server.port)) as phone:
            phone.sendall(request)  # a tenth of the body, then the phone is gone

        wait_until(lambda: count("POST", PROXY_ROUTE, "499") > before[0], timeout=10, what="the 499 to be counted")
        assert count("POST", PROXY_ROUTE, "500") == before[1]
        assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
    finally:
        server.stop()
