"""Feedback service settings (env prefix SAMLA_FEEDBACK_)."""

from __future__ import annotations

from functools import cache

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from samla_common.config import ServiceSettings

MIN_K = 3  # DESIGN §7: no event may publish groups smaller than this, whatever its own setting


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SAMLA_FEEDBACK_", extra="ignore", populate_by_name=True)

    service_name: str = "feedback"
    http_port: int = 8003
    grpc_port: int = 50053
    default_k: int = Field(5, ge=MIN_K, description="Smallest group shown in any breakdown, unless an event says more")
    max_text_length: int = Field(2000, ge=100, le=20000)
    long_poll_max_seconds: float = Field(25.0, gt=0, le=60)
    long_poll_interval_seconds: float = Field(0.25, gt=0)


@cache
def get_settings() -> Settings:
    return Settings()
