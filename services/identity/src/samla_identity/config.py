"""Identity service settings (env prefix SAMLA_IDENTITY_)."""

from __future__ import annotations

from functools import cache

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from samla_common.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SAMLA_IDENTITY_", extra="ignore", populate_by_name=True)

    service_name: str = "identity"
    http_port: int = 8001
    grpc_port: int = 50051
    dev_token_minutes: int = 60
    # gRPC addresses of the services that hold personal data (GDPR export asks each of them).
    events_grpc_target: str = "127.0.0.1:50052"
    feedback_grpc_target: str = "127.0.0.1:50053"
    network_grpc_target: str = "127.0.0.1:50054"

    def privacy_targets(self) -> dict[str, str]:
        return {"events": self.events_grpc_target, "feedback": self.feedback_grpc_target,
                "network": self.network_grpc_target}

    # Keycloak directory sync (issue 3): empty URL means the sync is not configured.
    keycloak_url: str = ""
    keycloak_realm: str = "samla"
    keycloak_client_id: str = "samla-directory-sync"
    # Only from the environment (SAMLA_IDENTITY_KEYCLOAK_CLIENT_SECRET); required once keycloak_url is set.
    keycloak_client_secret: SecretStr | None = None
    keycloak_sync_interval_seconds: int = 0  # 0: no scheduled sync, only on demand

    @model_validator(mode="after")
    def _keycloak_needs_its_secret(self) -> Settings:
        if self.keycloak_url and self.keycloak_client_secret is None:
            raise ValueError("SAMLA_IDENTITY_KEYCLOAK_CLIENT_SECRET must be set when SAMLA_IDENTITY_KEYCLOAK_URL is")
        if self.keycloak_sync_interval_seconds < 0:
            raise ValueError("SAMLA_IDENTITY_KEYCLOAK_SYNC_INTERVAL_SECONDS cannot be negative")
        return self


@cache
def get_settings() -> Settings:
    return Settings()
