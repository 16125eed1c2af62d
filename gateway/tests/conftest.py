"""Fixtures for the gateway's tests: real identity and events services per session, fresh gateways per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from gateway.tests.support import Browser, Identity, gateway_settings, start_events, start_identity
from samla_gateway.main import create_app

MakeGateway = Callable[..., Browser]


@pytest.fixture(scope="session")
def identity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Identity]:
    running = start_identity(tmp_path_factory.mktemp("identity"))
    try:
        start_events(running)
    except BaseException:
        running.stop()
        raise
    yield running
    running.stop()


@pytest.fixture
def make_gateway(identity: Identity, tmp_path: Path) -> Iterator[MakeGateway]:
    """Builds gateways (own database and session key each) in front of the real identity service."""
    clients: list[TestClient] = []

    def make(base_url: str = "http://testserver", **overrides: Any) -> Browser:
        settings = gateway_settings(identity, tmp_path / f"gateway-{len(clients)}", **overrides)
        client = TestClient(create_app(settings), base_url=base_url)
        client.__enter__()
        clients.append(client)
        return Browser(client)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def gateway(make_gateway: MakeGateway) -> Browser:
    return make_gateway()
