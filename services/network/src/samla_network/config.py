"""Network service settings (env prefix SAMLA_NETWORK_)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import SettingsConfigDict

from samla_common.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SAMLA_NETWORK_", extra="ignore", populate_by_name=True)

    service_name: str = "network"
    http_port: int = 8004
    grpc_port: int = 50054


@cache
def get_settings() -> Settings:
    return Settings()
