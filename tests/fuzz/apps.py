"""Each service's FastAPI app in-process on its own SQLite database, as the fuzzer and hostile-input tests call it.

Tokens come from one loopback issuer (discovery, JWKS, client credentials), so they are verified for real; the
events service asks a fake identity gRPC server (real gRPC, real token checks) about people.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from samla_common.migrations import upgrade
from services.events.tests.support.issuer import SERVICE_SECRET, LocalIssuer

SERVICES = ("identity", "events", "feedback", "network")


def env_for(service: str, tmp: Path, issuer: LocalIssuer, identity_target: str) -> dict[str, str]:
    prefix = f"SAMLA_{service.upper()}"
    return {"SAMLA_VAR_DIR": str(tmp), f"{prefix}_DATABASE_URL": f"sqlite:///{tmp / service}.db",
            f"{prefix}_RELAY_ENABLED": "false", f"{prefix}_KAFKA_CONSUMER_ENABLED": "false",
            f"{prefix}_JOBS_ENABLED": "false", f"{prefix}_GRPC_PORT": "0", "OIDC_ISSUER": issuer.url,
            "SAMLA_AUTH": "oidc", "SAMLA_CLIENT_SECRET": SERVICE_SECRET, f"{prefix}_SMTP_HOST": "",
            f"{prefix}_IDENTITY_GRPC_TARGET": identity_target,
            # Long polls end at once: the fuzzer asks for waits of up to a minute.
            f"{prefix}_LONG_POLL_MAX_SECONDS": "0.1", f"{prefix}_LONG_POLL_INTERVAL_SECONDS": "0.05",
            **{f"{prefix}_{other.upper()}_GRPC_TARGET": "127.0.0.1:9" for other in ("events", "feedback", "network")
               if other != service}}


@contextmanager
def running(service: str, tmp: Path, issuer: LocalIssuer, identity_target: str) -> Iterator[TestClient]:
    """The service's app with its lifespan running (gRPC server up; relay, consumer and jobs off)."""
    env = env_for(service, tmp, issuer, identity_target)
    config = importlib.import_module(f"samla_{service}.config")
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        config.get_settings.cache_clear()
        upgrade(service, env[f"SAMLA_{service.upper()}_DATABASE_URL"])
        app = _create(service)
        try:
            with TestClient(app, raise_server_exceptions=False) as client:
                yield client
        finally:
            identity_client = getattr(app.state, "identity", None)
            if identity_client is not None:
                identity_client.close()
            config.get_settings.cache_clear()


def _create(service: str) -> FastAPI:
    main = importlib.import_module(f"samla_{service}.main")
    if hasattr(main, "create"):  # events wires its identity client around create_app
        app: FastAPI = main.create()
        return app
    from samla_common.service import create_app

    return create_app(main.build())
