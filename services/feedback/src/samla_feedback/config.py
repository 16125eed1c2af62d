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
    # Webhooks (processes): a background sender delivers queued rows; retries back off exponentially.
    webhook_sender_enabled: bool = True
    webhook_poll_seconds: float = Field(0.5, gt=0, le=60)
    webhook_timeout_seconds: float = Field(5.0, gt=0, le=60)
    webhook_max_attempts: int = Field(8, ge=1, le=30)
    webhook_backoff_seconds: float = Field(5.0, gt=0, description="Wait before the first retry; doubles each time")
    webhook_backoff_max_seconds: float = Field(3600.0, gt=0)
    webhook_concurrency: int = Field(16, ge=1, le=128)


@cache
def get_settings() -> Settings:
    return Settings()
