"""Events service settings (env prefix SAMLA_EVENTS_)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import SettingsConfigDict

from samla_common.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SAMLA_EVENTS_", extra="ignore", populate_by_name=True)

    service_name: str = "events"
    http_port: int = 8002
    grpc_port: int = 50052


@cache
def get_settings() -> Settings:
    return Settings()
