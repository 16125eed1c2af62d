"""Cursor pages and ETags for the integration API: clients poll, so an unchanged answer costs one 304."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder

from samla_common.auth import ADMIN, FACILITATOR, LEADERSHIP, SERVICE, Principal
from samla_feedback.errors import invalid

INTEGRATION_SCOPE = "insights:read"
CACHE = "private, no-cache"


def is_integration_client(principal: Principal) -> bool:
    """A client-credentials caller of the integration API: it carries the integration scope and no Samla role.
    (In the realm only the integration client's tokens carry that scope; people's tokens never do.)"""
    return INTEGRATION_SCOPE in principal.scopes and not principal.has_any((ADMIN, FACILITATOR, LEADERSHIP, SERVICE))


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The id the page starts after; a cursor that was not made here is refused."""
    if not cursor:
        return None
    try:
        after = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["after"]
    except (ValueError, KeyError, TypeError) as exc:
        raise invalid("cursor", "not a cursor from a previous page") from exc
    if not isinstance(after, str):
        raise invalid("cursor", "not a cursor from a previous page")
    return after


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def matches(request: Request, etag: str) -> bool:
    """If-None-Match holds this ETag (weak or strong, in a list, or *)."""
    header = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}
    return "*" in tags or etag in tags


def canonical(payload: Any) -> bytes:
    return json.dumps(jsonable_encoder(payload), ensure_ascii=False, separators=(",", ":")).encode()


def not_modified(request: Request, etag: str) -> Response | None:
    """304 when the client has this version already."""
    if matches(request, etag):
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": CACHE})
    return None


def with_etag(content: bytes, media_type: str, etag: str, headers: dict[str, str] | None = None) -> Response:
    return Response(content=content, media_type=media_type,
                    headers={"ETag": etag, "Cache-Control": CACHE, **(headers or {})})


def json_conditional(request: Request, payload: Any) -> Response:
    """The JSON with its ETag, or 304 Not Modified when the client has it already."""
    body = canonical(payload)
    etag = etag_of(body)
    return not_modified(request, etag) or with_etag(body, "application/json", etag)
