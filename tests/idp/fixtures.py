"""Pytest fixtures for the Lemonldap::NG provider; a conftest re-exports them (see tests/sso/conftest.py).

- `idp`: one provider shared by the session. Do not rotate its key; use `idp_factory` for that.
- `idp_redirect_uris`: the redirect URIs `samla-gateway` accepts on the shared provider; override it in a
  conftest to point at a gateway started by the tests.
- `idp_factory`: starts private providers (another issuer, key rotation) and stops them after the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from .llng import DEFAULT_REDIRECT_URI, IdP


@pytest.fixture(scope="session")
def idp_redirect_uris() -> list[str]:
    return [DEFAULT_REDIRECT_URI]


@pytest.fixture(scope="session")
def idp(idp_redirect_uris: list[str]) -> Iterator[IdP]:
    provider = IdP.start(redirect_uris=idp_redirect_uris)
    yield provider
    provider.stop()


@pytest.fixture
def idp_factory(idp_redirect_uris: list[str]) -> Iterator[Callable[..., IdP]]:
    started: list[IdP] = []

    def start(redirect_uris: list[str] | None = None) -> IdP:
        provider = IdP.start(redirect_uris=redirect_uris or idp_redirect_uris)
        started.append(provider)
        return provider

    yield start
    for provider in started:
        provider.stop()
