"""Gateway settings (env prefix SAMLA_GATEWAY_)."""

from __future__ import annotations

from functools import cache

from pydantic_settings import SettingsConfigDict

from samla_common.config import ServiceSettings

SERVICES = ("identity", "events", "feedback", "network")


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SAMLA_GATEWAY_", extra="ignore", populate_by_name=True)

    service_name: str = "gateway"
    http_port: int = 8000
    identity_url: str = "http://127.0.0.1:8001"
    events_url: str = "http://127.0.0.1:8002"
    feedback_url: str = "http://127.0.0.1:8003"
    network_url: str = "http://127.0.0.1:8004"
    upstream_timeout_seconds: float = 10.0
    upstream_connect_timeout_seconds: float = 2.0
    upstream_retries: int = 2  # for idempotent methods only
    max_body_bytes: int = 2 * 1024 * 1024
    relay_enabled: bool = False
    kafka_consumer_enabled: bool = False

    def service_url(self, service: str) -> str:
        return str(getattr(self, f"{service}_url")).rstrip("/")


@cache
def get_settings() -> Settings:
    return Settings()
