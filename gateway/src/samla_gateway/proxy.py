"""`/api/<service>/...` → the service, with timeouts, bounded retries for idempotent requests and clear
502/503/504 problem responses when a service is down (issue 3 §4)."""

from __future__ import annotations

import asyncio
import logging

import httpx
from fastapi import APIRouter, Request, Response

from samla_common.errors import problem
from samla_gateway.config import SERVICES, Settings

log = logging.getLogger(__name__)
router = APIRouter(tags=["proxy"])

IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
# Hop-by-hop headers (RFC 9110 §7.6.1) and those the gateway sets itself are not forwarded.
DROP_REQUEST_HEADERS = {"host", "connection", "keep-alive", "proxy-authorization", "te", "trailer",
                        "transfer-encoding", "upgrade", "content-length", "cookie", "x-forwarded-for"}
DROP_RESPONSE_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding",
                         "server", "date"}


def make_client(settings: Settings) -> httpx.AsyncClient:
    timeout = httpx.Timeout(settings.upstream_timeout_seconds, connect=settings.upstream_connect_timeout_seconds)
    limits = httpx.Limits(max_connections=400, max_keepalive_connections=100)
    return httpx.AsyncClient(timeout=timeout, limits=limits)


@router.api_route("/api/{service}/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                  summary="Proxy to a service. Roles: as the service states for the endpoint.")
async def proxy(service: str, path: str, request: Request) -> Response:
    settings: Settings = request.app.state.settings
    if service not in SERVICES:
        return problem(404, "Not found", f"There is no service called {service!r}. "
                       f"Services: {', '.join(SERVICES)}.")
    body = await request.body()
    if len(body) > settings.max_body_bytes:
        return problem(413, "Request too large", f"The body may be at most {settings.max_body_bytes} bytes.")
    headers = {k: v for k, v in request.headers.items() if k.lower() not in DROP_REQUEST_HEADERS}
    token = getattr(request.state, "access_token", "")
    if token and "authorization" not in {k.lower() for k in headers}:
        headers["authorization"] = f"Bearer {token}"
    headers["x-forwarded-for"] = request.client.host if request.client else ""
    url = f"{settings.service_url(service)}/{path}"
    client: httpx.AsyncClient = request.app.state.http
    attempts = 1 + (settings.upstream_retries if request.method in IDEMPOTENT else 0)
    for attempt in range(1, attempts + 1):
        try:
            upstream = await client.request(request.method, url, params=request.query_params, content=body,
                                            headers=headers)
        except httpx.ConnectError:
            if attempt < attempts:
                await asyncio.sleep(0.05 * attempt)
                continue
            return problem(503, "Service unavailable",
                           f"The {service} service cannot be reached right now. Try again in a moment.",
                           headers={"Retry-After": "5"})
        except httpx.TimeoutException:
            if attempt < attempts and request.method in IDEMPOTENT:
                continue
            return problem(504, "Gateway timeout", f"The {service} service did not answer in time.")
        except httpx.HTTPError as exc:
            log.warning("proxy error to %s: %s", service, exc)
            return problem(502, "Bad gateway", f"The {service} service gave an invalid answer.")
        if upstream.status_code in (502, 503) and attempt < attempts:
            await asyncio.sleep(0.05 * attempt)
            continue
        out_headers = {k: v for k, v in upstream.headers.items() if k.lower() not in DROP_RESPONSE_HEADERS}
        return Response(upstream.content, status_code=upstream.status_code, headers=out_headers)
    return problem(503, "Service unavailable", f"The {service} service is not available.")
