"""Calls from pages to a service's HTTP API with the signed-in person's own token.

The service decides what the person may see; the gateway only turns its answers into pages. A service that
cannot be reached, or answers 502/503/504, becomes a clear 503 page (the `unavailable` error given).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import Request

from samla_gateway.auth.viewer import Viewer
from samla_gateway.config import Settings
from samla_gateway.errors import PageError, SignInRequired, forbidden

UNAVAILABLE = (502, 503, 504)


async def call(request: Request, viewer: Viewer, service: str, method: str, path: str, *,
               unavailable: Callable[[str], PageError], params: dict[str, Any] | None = None,
               json: Any = None, files: dict[str, Any] | None = None, answers_503: bool = False,
               answers_403: bool = False) -> httpx.Response:
    """One request; 401, 403 (unless `answers_403`) and outages are raised, every other answer is returned.

    `answers_503`: the endpoint itself answers 503 with a problem (the Keycloak sync when not configured),
    so a 503 carrying a problem document is returned instead of being taken for an outage.
    `answers_403`: a 403 means something the page explains itself ("you are not invited to this day").
    """
    settings: Settings = request.app.state.settings
    client: httpx.AsyncClient = request.app.state.http
    url = f"{settings.service_url(service)}{path}"
    headers = {"authorization": f"Bearer {viewer.access_token}", "accept": "application/json"}
    attempts = 1 + (settings.upstream_retries if method == "GET" else 0)
    for attempt in range(1, attempts + 1):
        try:
            resp = await client.request(method, url, params=params, json=json, files=files, headers=headers)
        except httpx.TimeoutException as exc:
            if attempt < attempts:
                continue
            raise unavailable(f"timeout: {exc}") from exc
        except httpx.HTTPError as exc:
            if attempt < attempts:
                await asyncio.sleep(0.05 * attempt)
                continue
            raise unavailable(type(exc).__name__) from exc
        if answers_503 and resp.status_code == 503 and is_problem(resp):
            return resp
        if resp.status_code in UNAVAILABLE:
            if attempt < attempts:
                await asyncio.sleep(0.05 * attempt)
                continue
            raise unavailable(f"HTTP {resp.status_code}")
        if resp.status_code == 401:
            raise SignInRequired(request.url.path)
        if resp.status_code == 403 and not answers_403:
            raise forbidden()
        return resp
    raise unavailable("")


def is_problem(resp: httpx.Response) -> bool:
    return resp.headers.get("content-type", "").startswith("application/problem+json")


def problem_message(resp: httpx.Response, lang: str) -> str:
    """What a problem answer says, in the page's language when the service gave both (`message`, `message_en`)."""
    try:
        body = resp.json()
    except ValueError:
        return f"HTTP {resp.status_code}"
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and len(errors) == 1 and isinstance(errors[0], dict) and errors[0].get("message"):
        first = errors[0]
        return str(first["message"] if lang == "sv" else first.get("message_en") or first["message"])
    if not isinstance(body, dict):
        return f"HTTP {resp.status_code}"
    return str(body.get("detail") or body.get("title") or f"HTTP {resp.status_code}")
