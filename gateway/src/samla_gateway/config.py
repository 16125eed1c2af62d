"""Gateway settings (env prefix SAMLA_GATEWAY_)."""

from __future__ import annotations

from functools import cache

from pydantic import Field, model_validator
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
    # The gateway's composed views (dev sign-in list, a manager's name) ask identity over gRPC (DESIGN §3).
    identity_grpc_target: str = "127.0.0.1:50051"
    # Matching progress streams from the network service over gRPC (RunMatching) to the admin's browser.
    network_grpc_target: str = "127.0.0.1:50054"
    upstream_timeout_seconds: float = 10.0
    upstream_connect_timeout_seconds: float = 2.0
    upstream_retries: int = 2  # for idempotent methods only
    max_body_bytes: int = 2 * 1024 * 1024
    max_upload_bytes: int = 20 * 1024 * 1024  # directory spreadsheets (identity takes up to 20 MB)
    relay_enabled: bool = False
    kafka_consumer_enabled: bool = False

    # Where people reach the gateway, e.g. https://samla.kommun.se. It names the OIDC redirect URI and decides
    # whether cookies are Secure and `__Host-` prefixed; empty means "as the request arrived" (local runs).
    public_url: str = ""
    # Fernet keys for the tokens kept in the sessions table; comma-separated, the first encrypts and all
    # decrypt (key rotation). Empty outside production: a key is generated once under var/.
    session_key: str = Field("", repr=False)
    session_idle_minutes: int = 8 * 60  # a chefsdag: phones stay in pockets between rounds
    session_max_hours: int = 14
    # Refresh the access token when it has less than this left, so a request never carries a dying token.
    refresh_margin_seconds: int = 60
    oidc_scopes: str = "openid profile email"
    migrate_on_start: bool = True

    # Who runs this Samla, and where people report accessibility problems (the accessibility statement).
    organisation_name: str = "Exempelstads kommun"
    accessibility_contact: str = "tillganglighet@exempelstad.se"

    # Token buckets. A whole hall of managers shares one public IP behind the venue's NAT, so the per-IP
    # bucket only meters requests without a signed-in person (sign-in pages, failed tokens), and is sized for
    # 460 people signing in within a few minutes (about three such requests each); signed-in requests are
    # metered per person. Passwords are guessed at the IdP, not here.
    rate_limit_ip_per_second: float = 20.0
    rate_limit_ip_burst: int = 300
    rate_limit_person_per_second: float = 10.0
    rate_limit_person_burst: int = 100
    # Samla's own service clients (client credentials with the samla-service role) load directories in bulk.
    rate_limit_exempt_services: bool = True

    # Live updates (Server-Sent Events, samla_gateway.live): a board is refetched at most once per interval
    # (changes inside it coalesce), idle streams get a comment every heartbeat so proxies keep them open, and a
    # stream ends after its lifetime so the browser reconnects and its sign-in is checked again.
    live_min_interval_seconds: float = 0.5
    live_heartbeat_seconds: float = 15.0
    live_retry_ms: int = 3000
    live_max_stream_seconds: float = 30 * 60
    live_kafka_enabled: bool = True  # off: follow the feedback service's long-poll change feed only
    live_open_files: int = 65536  # the soft fd limit is raised towards this (one fd per held stream)

    @model_validator(mode="after")
    def _production_needs(self) -> Settings:
        if self.env == "production":
            if not self.session_key:
                raise ValueError("SAMLA_GATEWAY_SESSION_KEY must be set in production (encrypts tokens at rest)")
            if not self.public_url.startswith("https://"):
                raise ValueError("SAMLA_GATEWAY_PUBLIC_URL must be an https:// URL in production")
        return self

    def service_url(self, service: str) -> str:
        return str(getattr(self, f"{service}_url")).rstrip("/")


@cache
def get_settings() -> Settings:
    return Settings()
