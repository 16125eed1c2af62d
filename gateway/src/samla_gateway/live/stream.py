"""One Server-Sent Events connection: the subscriber's frames, heartbeats, and cleanup when the browser leaves.

A plain ASGI response rather than a generator in StreamingResponse: it listens for the disconnect itself (one
small task per connection), so a closed tab leaves the hub at once instead of at the next heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import random

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from samla_gateway.live import frames, metrics
from samla_gateway.live.hub import Hub, StreamKey, Subscriber

HEADERS = {"cache-control": "no-store", "x-accel-buffering": "no"}  # no buffering in nginx-style proxies


class EventStream(Response):
    media_type = "text/event-stream"

    def __init__(self, *, hub: Hub, key: StreamKey, heartbeat: float, retry_ms: int, lifetime: float) -> None:
        # Not Response.__init__: it would declare an empty body (content-length: 0). A stream has no length.
        self.status_code = 200
        self.background = None
        self.init_headers(HEADERS)
        self.hub = hub
        self.key = key
        self.heartbeat = heartbeat
        self.retry_ms = retry_ms
        # Streams end after their lifetime (with jitter, so a hall's phones do not all reconnect at once).
        self.lifetime = lifetime * random.uniform(0.9, 1.0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        subscriber = self.hub.subscribe(self.key)
        metrics.CONNECTIONS.labels(self.key.stream).inc()
        listener = asyncio.create_task(_close_on_disconnect(receive, subscriber))
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            await _body(send, frames.retry(self.retry_ms))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.lifetime):
                    await self._pump(send, subscriber)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:
            pass  # the browser went away mid-write
        finally:
            listener.cancel()
            self.hub.unsubscribe(self.key, subscriber)
            metrics.CONNECTIONS.labels(self.key.stream).dec()

    async def _pump(self, send: Send, subscriber: Subscriber) -> None:
        while not subscriber.closed:
            frame = await subscriber.next(self.heartbeat)
            if subscriber.closed:
                return
            await _body(send, frames.encode(frame) if frame is not None else frames.heartbeat())


async def _body(send: Send, chunk: bytes) -> None:
    await send({"type": "http.response.body", "body": chunk, "more_body": True})


async def _close_on_disconnect(receive: Receive, subscriber: Subscriber) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            subscriber.close()
            return
