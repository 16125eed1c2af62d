"""Feedback service settings (env prefix SAMLA_FEEDBACK_)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import SettingsConfigDict

from samla_common.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SAMLA_FEEDBACK_", extra="ignore", populate_by_name=True)

    service_name: str = "feedback"
    http_port: int = 8003
    grpc_port: int = 50053


@cache
def get_settings() -> Settings:
    return Settings()
