"""Streams and their subscribers: one fetch per stream per update, fanned out to everyone watching it.

A stream (say the board of event E) exists while someone watches it. A change marks it dirty; its ticker fetches
it once and offers the new frame to every subscriber, then rests for `min_interval` so that a burst of changes
costs one fetch and one frame per interval (at most two updates a second with the default 0.5 s). A subscriber
keeps only the newest frame: a slow phone skips versions instead of queueing them. The hub holds no sockets, so
its logic is tested with a fake fetch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from samla_gateway.live import metrics
from samla_gateway.live.frames import Frame

log = logging.getLogger(__name__)

BOARD = "board"
PROMPTS = "prompts"
STREAMS = (BOARD, PROMPTS)
ERROR_BACKOFF_SECONDS = 2.0


@dataclass(frozen=True)
class StreamKey:
    stream: str  # BOARD or PROMPTS
    event_id: str


Fetch = Callable[[StreamKey], Awaitable[Frame]]


class Subscriber:
    """One open connection's mailbox: holds the newest frame not yet sent."""

    def __init__(self) -> None:
        self._frame: Frame | None = None
        self._ready = asyncio.Event()
        self.closed = False

    def offer(self, frame: Frame) -> None:
        self._frame = frame
        self._ready.set()

    def close(self) -> None:
        self.closed = True
        self._ready.set()

    async def next(self, timeout: float) -> Frame | None:
        """The newest frame, or None when `timeout` passes first (time for a heartbeat) or the mailbox closed."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await self._ready.wait()
        self._ready.clear()
        frame, self._frame = self._frame, None
        return frame


@dataclass
class _Stream:
    key: StreamKey
    subscribers: set[Subscriber] = field(default_factory=set)
    latest: Frame | None = None
    dirty: asyncio.Event = field(default_factory=asyncio.Event)
    ticker: asyncio.Task[None] | None = None


class Hub:
    def __init__(self, *, fetch: Fetch, min_interval: float = 0.5) -> None:
        self._fetch = fetch
        self._min_interval = min_interval
        self._streams: dict[StreamKey, _Stream] = {}

    def subscribe(self, key: StreamKey) -> Subscriber:
        """A new subscriber, given the stream's current frame at once when there is one."""
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = _Stream(key)
            stream.dirty.set()  # the first subscriber needs the current state
            stream.ticker = asyncio.create_task(self._tick(stream), name=f"live {key.stream} {key.event_id}")
            metrics.STREAMS.labels(key.stream).inc()
        subscriber = Subscriber()
        stream.subscribers.add(subscriber)
        if stream.latest is not None:
            subscriber.offer(stream.latest)
        return subscriber

    def unsubscribe(self, key: StreamKey, subscriber: Subscriber) -> None:
        """Forgets the subscriber; the last one leaving stops the stream, so nobody's board is fetched for nothing."""
        stream = self._streams.get(key)
        if stream is None or subscriber not in stream.subscribers:
            return
        stream.subscribers.discard(subscriber)
        subscriber.close()
        if not stream.subscribers:
            del self._streams[key]
            if stream.ticker is not None:
                stream.ticker.cancel()
            metrics.STREAMS.labels(key.stream).dec()

    def changed(self, event_id: str, streams: tuple[str, ...] = STREAMS) -> None:
        """Something of `event_id` changed: its watched streams fetch again at their next tick."""
        for name in streams:
            stream = self._streams.get(StreamKey(name, event_id))
            if stream is not None:
                stream.dirty.set()

    def changed_everywhere(self) -> None:
        """Changes may have been missed (the change source switched): every watched stream fetches again."""
        for stream in self._streams.values():
            stream.dirty.set()

    def watched_events(self) -> set[str]:
        return {key.event_id for key in self._streams}

    def subscriber_count(self, key: StreamKey) -> int:
        stream = self._streams.get(key)
        return len(stream.subscribers) if stream else 0

    @property
    def stream_count(self) -> int:
        return len(self._streams)

    async def close(self) -> None:
        """Ends every stream (shutdown): subscribers wake up closed and their connections finish."""
        streams = list(self._streams.values())
        self._streams.clear()
        for stream in streams:
            for subscriber in stream.subscribers:
                subscriber.close()
            if stream.ticker is not None:
                stream.ticker.cancel()
            metrics.STREAMS.labels(stream.key.stream).dec()
        tickers = [s.ticker for s in streams if s.ticker is not None]
        await asyncio.gather(*tickers, return_exceptions=True)

    async def _tick(self, stream: _Stream) -> None:
        while True:
            await stream.dirty.wait()
            stream.dirty.clear()
            try:
                frame = await self._fetch(stream.key)
            except Exception as exc:  # the feedback service is down or slow: keep the last frame, try again
                log.warning("live %s of %s not fetched: %s %s", stream.key.stream, stream.key.event_id,
                            type(exc).__name__, exc)
                stream.dirty.set()
                await asyncio.sleep(ERROR_BACKOFF_SECONDS)
                continue
            metrics.FETCHES.labels(stream.key.stream).inc()
            if frame != stream.latest:
                stream.latest = frame
                for subscriber in stream.subscribers:
                    subscriber.offer(frame)
                metrics.FRAMES.labels(stream.key.stream).inc()
            await asyncio.sleep(self._min_interval)
