"""Settings refuse unsafe production configurations at start (fail fast)."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from samla_gateway.config import Settings

PRODUCTION: dict[str, Any] = {"env": "production", "auth_mode": "oidc", "client_secret": "s3cret",
                              "session_key": Fernet.generate_key().decode(), "public_url": "https://samla.kommun.se"}


def test_a_complete_production_configuration_is_accepted() -> None:
    settings = Settings(**PRODUCTION)

    assert settings.auth_mode == "oidc" and settings.public_url == "https://samla.kommun.se"


def test_dev_sign_in_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="SAMLA_AUTH=dev"):
        Settings(**PRODUCTION | {"auth_mode": "dev"})


def test_production_needs_the_session_key() -> None:
    with pytest.raises(ValidationError, match="SAMLA_GATEWAY_SESSION_KEY"):
        Settings(**PRODUCTION | {"session_key": ""})


def test_production_is_served_over_https_only() -> None:
    with pytest.raises(ValidationError, match="SAMLA_GATEWAY_PUBLIC_URL"):
        Settings(**PRODUCTION | {"public_url": "http://samla.kommun.se"})


def test_dev_sign_in_in_production_is_refused_from_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"SAMLA_ENV": "production", "SAMLA_AUTH": "dev", "SAMLA_CLIENT_SECRET": "x",
                        "SAMLA_GATEWAY_SESSION_KEY": PRODUCTION["session_key"],
                        "SAMLA_GATEWAY_PUBLIC_URL": "https://samla.kommun.se"}.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ValidationError, match="refused when SAMLA_ENV=production"):
        Settings()
