"""Typed settings shared by every Samla process.

Each service subclasses `ServiceSettings` with its own env prefix (`SAMLA_<SVC>_`). A few settings are
deliberately unprefixed because DESIGN §5 names them that way and operators set them once for the whole
deployment: DATABASE_URL, KAFKA_BOOTSTRAP_SERVERS, OIDC_*, SAMLA_AUTH, SAMLA_ENV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url


def shared(name: str, prefixed: str) -> AliasChoices:
    """Accepts the service-prefixed variable first, then the deployment-wide one."""
    return AliasChoices(prefixed, name)


class ServiceSettings(BaseSettings):
    """Settings every service has. Subclasses set `service_name` and the env prefix."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    service_name: str = "service"
    env: Literal["development", "test", "production"] = Field(
        "development", validation_alias=AliasChoices("SAMLA_ENV")
    )
    var_dir: Path = Field(Path("var"), validation_alias=AliasChoices("SAMLA_VAR_DIR"))
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    grpc_port: int = 50050
    grpc_host: str = "127.0.0.1"  # 0.0.0.0 in a pod
    database_url: str = ""
    kafka_bootstrap_servers: str = Field(
        "127.0.0.1:9092", validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS")
    )
    kafka_security_protocol: str = Field("PLAINTEXT", validation_alias=AliasChoices("KAFKA_SECURITY_PROTOCOL"))
    kafka_sasl_mechanism: str = Field("", validation_alias=AliasChoices("KAFKA_SASL_MECHANISM"))
    kafka_sasl_username: str = Field("", validation_alias=AliasChoices("KAFKA_SASL_USERNAME"))
    kafka_sasl_password: str = Field("", validation_alias=AliasChoices("KAFKA_SASL_PASSWORD"))
    kafka_ssl_cafile: str = Field("", validation_alias=AliasChoices("KAFKA_SSL_CAFILE"))
    kafka_consumer_enabled: bool = True
    relay_enabled: bool = True
    relay_poll_seconds: float = 0.05
    relay_batch_size: int = 500
    outbox_retention_days: int = 30
    consumer_max_attempts: int = 3

    auth_mode: Literal["dev", "oidc"] = Field("dev", validation_alias=AliasChoices("SAMLA_AUTH"))
    oidc_issuer: str = Field("http://127.0.0.1:8001/dev", validation_alias=AliasChoices("OIDC_ISSUER"))
    oidc_audience: str = Field("samla", validation_alias=AliasChoices("OIDC_AUDIENCE"))
    oidc_jwks_url: str = Field("", validation_alias=AliasChoices("OIDC_JWKS_URL"))
    # In a cluster the token endpoint is reached in-cluster, like the JWKS; empty means "from discovery".
    oidc_token_url: str = Field("", validation_alias=AliasChoices("OIDC_TOKEN_URL"))
    oidc_roles_claim: str = Field("realm_access.roles", validation_alias=AliasChoices("OIDC_ROLES_CLAIM"))
    # The client this service uses for service-to-service calls (client credentials).
    client_id: str = ""
    client_secret: str = Field("", validation_alias=AliasChoices("SAMLA_CLIENT_SECRET"))

    otel_endpoint: str = Field("", validation_alias=AliasChoices("OTEL_EXPORTER_OTLP_ENDPOINT"))
    log_level: str = Field("INFO", validation_alias=AliasChoices("SAMLA_LOG_LEVEL"))

    @model_validator(mode="after")
    def _fill_defaults(self) -> ServiceSettings:
        if not self.database_url:
            self.database_url = default_database_url(self.service_name, self.var_dir)
        if not self.client_id:
            self.client_id = f"samla-{self.service_name}"
        if self.env == "production":
            if self.auth_mode == "dev":
                raise ValueError("SAMLA_AUTH=dev (dev sign-in) is refused when SAMLA_ENV=production")
            if not self.client_secret:
                raise ValueError("SAMLA_CLIENT_SECRET must be set in production (service-to-service tokens)")
        return self

    def kafka_options(self) -> dict[str, str]:
        """Security settings for every Kafka client (standard kafka-python names, so Strimzi's SASL/TLS works)."""
        options = {"security_protocol": self.kafka_security_protocol}
        if self.kafka_sasl_mechanism:
            options.update(sasl_mechanism=self.kafka_sasl_mechanism, sasl_plain_username=self.kafka_sasl_username,
                           sasl_plain_password=self.kafka_sasl_password)
        if self.kafka_ssl_cafile:
            options["ssl_cafile"] = self.kafka_ssl_cafile
        return options


def default_database_url(service: str, var_dir: Path) -> str:
    """DATABASE_URL names a server (one database per service on it); otherwise SQLite under var/."""
    import os

    base = os.environ.get("DATABASE_URL", "")
    if not base:
        return f"sqlite:///{var_dir / 'db' / f'{service}.db'}"
    return database_url_for_service(base, service)


def database_url_for_service(base: str, service: str) -> str:
    """`postgresql://host/samla` → `postgresql+psycopg://host/samla_<service>`; SQLite URLs get a suffix too."""
    url = make_url(base)
    if url.get_backend_name() == "sqlite":
        db = url.database or ""
        stem = db[:-3] if db.endswith(".db") else db
        return str(url.set(database=f"{stem}_{service}.db"))
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url.set(database=f"{url.database or 'samla'}_{service}").render_as_string(hide_password=False)
