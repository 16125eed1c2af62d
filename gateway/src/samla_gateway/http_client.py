"""The gateway's httpx client for its own calls to services: pages, sign-in, directory look-ups and the live hub.

The API proxy has clients of its own (`proxy.Upstreams`, aiohttp): it carries every phone's request.
"""

from __future__ import annotations

import httpx

from samla_gateway.config import Settings

# Idle connections are dropped well before the services' servers close them (uvicorn: 5 s). At equal times a POST
# could go out on a connection the server was closing and fail with a 502 that cannot be retried.
KEEPALIVE_SECONDS = 2.0


def make_client(settings: Settings, *, connections: int = 400) -> httpx.AsyncClient:
    timeout = httpx.Timeout(settings.upstream_timeout_seconds, connect=settings.upstream_connect_timeout_seconds)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=min(connections, 100),
                          keepalive_expiry=KEEPALIVE_SECONDS)
    return httpx.AsyncClient(timeout=timeout, limits=limits)
