"""Calls from pages to the identity service's HTTP API, with the signed-in person's own token.

Identity decides what the person may see; the gateway only turns its answers into pages. A service that
cannot be reached, or answers 502/503/504, becomes a clear 503 page (IdentityUnavailable).
"""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request

from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import IdentityUnavailable
from samla_gateway.web import upstream


async def call(request: Request, viewer: Viewer, method: str, path: str, *, params: dict[str, Any] | None = None,
               files: dict[str, Any] | None = None, answers_503: bool = False) -> httpx.Response:
    """One request to identity; 401/403 and outages are raised, every other answer is returned.

    `answers_503`: the endpoint itself answers 503 with a problem (the Keycloak sync when not configured),
    so a 503 carrying a problem document is returned instead of being taken for an outage.
    """
    return await upstream.call(request, viewer, "identity", method, path, params=params, files=files,
                               answers_503=answers_503, unavailable=IdentityUnavailable)
