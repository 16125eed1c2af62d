"""Request body size limits for every service (DESIGN §7): a clear 413 problem before a large body is read.

A pure ASGI middleware, so it also bounds chunked bodies that declare no length: it counts bytes as they arrive
and answers 413 as soon as the limit is passed, without buffering the rest.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from samla_common.errors import problem

DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024  # as the gateway's own limit: far beyond any JSON body Samla expects


class BodyTooLarge(HTTPException):
    """Raised while the body streams in. An HTTPException, so FastAPI's body parsing passes it on unchanged and the
    problem handlers answer it (a plain exception there would turn into a 400 "error parsing the body")."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _detail(limit), headers={"connection": "close"})


class BodySizeLimit:
    """Refuses bodies over `default` bytes, or over the limit of the longest matching path prefix in `by_prefix`."""

    def __init__(self, app: ASGIApp, *, default: int = DEFAULT_MAX_BODY_BYTES,
                 by_prefix: dict[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.by_prefix = sorted((by_prefix or {}).items(), key=lambda kv: -len(kv[0]))

    def limit_for(self, path: str) -> int:
        return next((limit for prefix, limit in self.by_prefix if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit, scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _too_large(limit, scope, receive, send)


async def _too_large(limit: int, scope: Scope, receive: Receive, send: Send) -> None:
    response: Any = problem(413, "Request too large", _detail(limit), headers={"connection": "close"})
    await response(scope, receive, send)


def _detail(limit: int) -> str:
    return (f"The request body is larger than {_size(limit)}, the most this endpoint accepts. "
            "Send less at a time (split the file or the batch).")


def _size(n: int) -> str:
    return f"{n // 2**20} MB" if n % 2**20 == 0 else f"{n} bytes"
