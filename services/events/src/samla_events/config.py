"""Events service settings (env prefix SAMLA_EVENTS_)."""

from __future__ import annotations

from functools import cache

from pydantic import SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from samla_common.config import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SAMLA_EVENTS_", extra="ignore", populate_by_name=True)

    service_name: str = "events"
    http_port: int = 8002
    grpc_port: int = 50052

    # Identity's gRPC API, asked for audiences and people when inviting (every call has this deadline).
    identity_grpc_target: str = "127.0.0.1:50051"
    identity_deadline_seconds: float = 5.0
    # Where participants open their day; personal links in mails are <public_base_url>/dag/<event id>.
    public_base_url: str = "http://127.0.0.1:8000"

    # Outgoing mail. No host: mails are caught in the database and listed by GET /dev/mail (local runs).
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_from: str = "Samla <samla@kommun.example>"
    smtp_starttls: bool = True
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_timeout_seconds: float = 10.0
    mail_max_attempts: int = 8
    mail_retry_base_seconds: float = 30.0
    mail_retry_max_seconds: float = 3600.0

    # Background jobs: sending mail, expiring waiting-list offers, scheduled reminders.
    jobs_enabled: bool = True
    jobs_poll_seconds: float = 2.0
    # A freed seat is offered to the first in line for this long, then to the next.
    offer_hours: float = 48.0
    # Registered people get a reminder this many days before the day (once each).
    reminder_days_before: int = 2

    # Signs the check-in QR codes. Empty: a key is created under var/keys/ (one machine only).
    checkin_key: SecretStr = SecretStr("")
    # A QR code stays valid this long after the day ends.
    checkin_token_hours_after_end: int = 12

    @model_validator(mode="after")
    def _production_needs_real_mail_and_keys(self) -> Settings:
        if self.env == "production":
            if not self.smtp_host:
                raise ValueError("SAMLA_EVENTS_SMTP_HOST must be set in production (otherwise mail is only caught)")
            if not self.checkin_key.get_secret_value():
                raise ValueError("SAMLA_EVENTS_CHECKIN_KEY must be set in production (every replica signs QR codes)")
        return self


@cache
def get_settings() -> Settings:
    return Settings()
