"""Network service settings (env prefix SAMLA_NETWORK_)."""

from __future__ import annotations

from functools import cache

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from samla_common.config import ServiceSettings

MIN_K = 3  # DESIGN §7: no setting may show network counts for fewer people than this


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SAMLA_NETWORK_", extra="ignore", populate_by_name=True)

    service_name: str = "network"
    http_port: int = 8004
    grpc_port: int = 50054
    # Matching runs: an admin's time budget is capped so one run cannot hold a worker for long.
    max_time_budget_seconds: float = Field(120.0, gt=0, le=3600)
    progress_write_seconds: float = Field(0.3, gt=0, le=10, description="How often a run stores its progress")
    # A run still "running" this long after its time budget ran out has lost its worker (see runs/recovery.py).
    run_grace_seconds: float = Field(60.0, ge=0, le=3600)
    run_watchdog_seconds: float = Field(30.0, gt=0, le=3600)
    # The HR health view never shows a count for fewer people than k (DESIGN §7).
    health_k: int = Field(5, ge=MIN_K)
    public_base_url: str = "http://127.0.0.1:8000"
    # Pulses are run by the feedback service over its HTTP API, with this service's client-credentials token.
    feedback_url: str = "http://127.0.0.1:8003"
    feedback_timeout_seconds: float = Field(10.0, gt=0, le=120)
    first_meeting_after_days: int = Field(14, ge=1, le=90)
    # Mail: SMTP when a host is set, otherwise kept in the `network_mail` table (status "caught").
    mail_sender_enabled: bool = True
    mail_poll_seconds: float = Field(2.0, gt=0, le=300)
    mail_max_attempts: int = Field(5, ge=1, le=30)
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_from: str = "Samla <samla@kommun.example>"
    smtp_starttls: bool = True
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_timeout_seconds: float = 10.0

    @model_validator(mode="after")
    def _mail_in_production(self) -> Settings:
        if self.env == "production" and not self.smtp_host:
            raise ValueError("SAMLA_NETWORK_SMTP_HOST must be set in production (otherwise mail is only caught)")
        return self


@cache
def get_settings() -> Settings:
    return Settings()
