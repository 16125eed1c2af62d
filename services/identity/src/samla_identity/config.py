"""Identity service settings (env prefix SAMLA_IDENTITY_)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import SettingsConfigDict

from samla_common.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SAMLA_IDENTITY_", extra="ignore", populate_by_name=True)

    service_name: str = "identity"
    http_port: int = 8001
    grpc_port: int = 50051
    dev_token_minutes: int = 60


@cache
def get_settings() -> Settings:
    return Settings()
