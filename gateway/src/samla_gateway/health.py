"""The gateway's /readyz: ready only when its sessions database, every service and the broker are (issue 2 §3)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from samla_common.health import broker_check, database_check
from samla_gateway.config import SERVICES, Settings

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Alive. Anyone.")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", summary="Database, every service and the broker reachable (200), otherwise 503. Anyone.")
async def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    client: httpx.AsyncClient = request.app.state.http
    results = await asyncio.gather(*(_service_state(client, settings.service_url(s)) for s in SERVICES),
                                   _broker_state(settings.kafka_bootstrap_servers),
                                   _check_state(database_check(request.app.state.session_factory)))
    checks = dict(zip([*SERVICES, "broker", "database"], results, strict=True))
    ready = all(c["status"] == "ok" for c in checks.values())
    return JSONResponse({"status": "ready" if ready else "not ready", "checks": checks},
                        status_code=200 if ready else 503)


@router.get("/metrics", summary="Prometheus metrics. Internal.")
async def prometheus_metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _service_state(client: httpx.AsyncClient, base: str) -> dict[str, Any]:
    start = time.perf_counter()
    state: dict[str, Any]
    try:
        resp = await client.get(f"{base}/readyz", timeout=2.0)
        body = resp.json() if resp.headers.get("content-type", "").startswith("application/json") else {}
        state = {"status": "ok" if resp.status_code == 200 else "down", "http": resp.status_code}
        if resp.status_code != 200:
            state["checks"] = body.get("checks", {})
    except httpx.HTTPError as exc:
        state = {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:200] or type(exc).__name__}
    state["ms"] = round((time.perf_counter() - start) * 1000, 1)
    return state


async def _broker_state(bootstrap: str) -> dict[str, Any]:
    return await _check_state(broker_check(bootstrap))


async def _check_state(check: Callable[[], None]) -> dict[str, Any]:
    try:
        await asyncio.to_thread(check)
        return {"status": "ok"}
    except Exception as exc:
        return {"status": "down", "error": str(exc)[:200]}
