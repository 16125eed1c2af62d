"""Fixtures for the fuzz and hostile-input tests: one issuer, a fake identity directory, each service running."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from services.events.tests.support.directory import Directory, start_fake_identity
from services.events.tests.support.issuer import LocalIssuer
from tests.fuzz.apps import running


@pytest.fixture(scope="session")
def fuzz_issuer() -> Iterator[LocalIssuer]:
    issuer = LocalIssuer()
    yield issuer
    issuer.stop()


@pytest.fixture(scope="session")
def identity_target(fuzz_issuer: LocalIssuer) -> Iterator[str]:
    directory = Directory()
    directory.units = {"ou-k": ("Kommunkoncernen", "")}
    server, target = start_fake_identity(fuzz_issuer.url, directory)
    yield target
    server.stop(0)


@pytest.fixture(scope="module", params=["identity", "events", "feedback", "network"])
def service(request: pytest.FixtureRequest, fuzz_issuer: LocalIssuer, identity_target: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, TestClient]]:
    """Each service in turn, running in-process on a fresh SQLite database."""
    name: str = request.param
    with running(name, tmp_path_factory.mktemp(f"fuzz-{name}"), fuzz_issuer, identity_target) as client:
        yield name, client
