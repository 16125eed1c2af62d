"""/healthz, /readyz and /metrics for every service (DESIGN §8)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Alive (no dependencies checked). Anyone.")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Ready: database and broker reachable. Anyone.")
def readyz(request: Request) -> JSONResponse:
    checks: dict[str, Callable[[], None]] = request.app.state.readiness_checks
    results: dict[str, dict[str, object]] = {}
    for name, check in checks.items():
        start = time.perf_counter()
        try:
            check()
            results[name] = {"status": "ok"}
        except Exception as exc:
            results[name] = {"status": "down", "error": str(exc)[:300]}
        results[name]["ms"] = round((time.perf_counter() - start) * 1000, 1)
    ready = all(r["status"] == "ok" for r in results.values())
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": results},
                        status_code=200 if ready else 503)


@router.get("/metrics", summary="Prometheus metrics. Anyone on the internal network.")
def prometheus_metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def database_check(session_factory: Callable[[], object]) -> Callable[[], None]:
    def check() -> None:
        with session_factory() as session:  # type: ignore[attr-defined]
            session.execute(text("SELECT 1"))
    return check


def broker_check(bootstrap: str) -> Callable[[], None]:
    """The broker is reachable when one bootstrap address accepts a TCP connection."""
    def check() -> None:
        errors = []
        for addr in bootstrap.split(","):
            host, _, port = addr.strip().rpartition(":")
            try:
                with socket.create_connection((host, int(port)), timeout=0.5):
                    return
            except OSError as exc:
                errors.append(f"{addr}: {exc}")
        raise ConnectionError("; ".join(errors))
    return check
