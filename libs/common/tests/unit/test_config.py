"""Settings: fail fast in production, one database per service, Kafka security options."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from samla_common.config import ServiceSettings, database_url_for_service


def test_production_refuses_the_dev_sign_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMLA_ENV", "production")
    monkeypatch.setenv("SAMLA_AUTH", "dev")
    monkeypatch.setenv("SAMLA_CLIENT_SECRET", "x")
    with pytest.raises(ValidationError, match="refused when SAMLA_ENV=production"):
        ServiceSettings()


def test_production_needs_a_client_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMLA_ENV", "production")
    monkeypatch.setenv("SAMLA_AUTH", "oidc")
    monkeypatch.delenv("SAMLA_CLIENT_SECRET", raising=False)
    with pytest.raises(ValidationError, match="SAMLA_CLIENT_SECRET"):
        ServiceSettings()


def test_each_service_gets_its_own_database_on_a_shared_server() -> None:
    assert database_url_for_service("postgresql://app:pw@db:5432/samla", "events") == \
        "postgresql+psycopg://app:pw@db:5432/samla_events"
    assert database_url_for_service("sqlite:///var/db/samla.db", "network") == "sqlite:///var/db/samla_network.db"


def test_database_url_defaults_to_sqlite_under_var(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SAMLA_VAR_DIR", str(tmp_path))
    s = ServiceSettings(service_name="feedback")
    assert s.database_url == f"sqlite:///{tmp_path}/db/feedback.db"


def test_kafka_options_carry_sasl_and_tls_only_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ServiceSettings().kafka_options() == {"security_protocol": "PLAINTEXT"}
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "samla-events")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "pw")
    monkeypatch.setenv("KAFKA_SSL_CAFILE", "/etc/ca.crt")
    assert ServiceSettings().kafka_options() == {
        "security_protocol": "SASL_SSL", "sasl_mechanism": "SCRAM-SHA-512", "sasl_plain_username": "samla-events",
        "sasl_plain_password": "pw", "ssl_cafile": "/etc/ca.crt"}
