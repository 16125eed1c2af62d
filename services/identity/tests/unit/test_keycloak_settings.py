"""Keycloak sync settings: off unless configured, and no URL without its client secret."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from samla_identity.config import Settings


def test_the_sync_is_off_and_unscheduled_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SAMLA_IDENTITY_KEYCLOAK_URL", "SAMLA_IDENTITY_KEYCLOAK_CLIENT_SECRET",
                 "SAMLA_IDENTITY_KEYCLOAK_SYNC_INTERVAL_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.keycloak_url == "" and settings.keycloak_sync_interval_seconds == 0
    assert settings.keycloak_client_secret is None


def test_a_keycloak_url_without_a_client_secret_fails_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SAMLA_IDENTITY_KEYCLOAK_CLIENT_SECRET", raising=False)
    monkeypatch.setenv("SAMLA_IDENTITY_KEYCLOAK_URL", "https://sso.kommun.example")
    with pytest.raises(ValidationError, match="KEYCLOAK_CLIENT_SECRET"):
        Settings()


def test_the_secret_comes_from_the_environment_and_is_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMLA_IDENTITY_KEYCLOAK_URL", "https://sso.kommun.example")
    monkeypatch.setenv("SAMLA_IDENTITY_KEYCLOAK_CLIENT_SECRET", "hemligt")
    monkeypatch.setenv("SAMLA_IDENTITY_KEYCLOAK_SYNC_INTERVAL_SECONDS", "900")
    settings = Settings()
    assert settings.keycloak_client_secret is not None
    assert settings.keycloak_client_secret.get_secret_value() == "hemligt" and "hemligt" not in repr(settings)
    assert settings.keycloak_sync_interval_seconds == 900
