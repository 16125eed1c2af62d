"""The gateway's gRPC client of the network service's `RunMatching` stream (DESIGN §3: server streaming for long
jobs), called with the gateway's own service token; the admin pages have already checked the person's role.

The synchronous grpc client is driven from worker threads one message at a time (as `Directory` does for
identity), so an event loop never blocks; leaving the generator cancels the call and closes its channel.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import httpx

from samla_common.auth import ServiceTokenSource
from samla_common.grpc_server import authed_channel
from samla_contracts.proto.samla.network.v1 import network_pb2 as pb
from samla_contracts.proto.samla.network.v1 import network_pb2_grpc as pb_grpc

# Codes that mean "the service is not there right now" (as opposed to an answer about this run).
OUTAGE = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNAUTHENTICATED)


@dataclass(frozen=True)
class Progress:
    fraction: float
    best_objective: float
    upper_bound: float | None
    done: bool


class MatchingRefused(Exception):
    """Network answered about this run: `code` is the gRPC status (NOT_FOUND, ALREADY_EXISTS when running...)."""

    def __init__(self, code: grpc.StatusCode, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class MatchingUnavailable(Exception):
    """The network service's gRPC server cannot be reached (or the service token could not be had)."""


async def run_matching(*, target: str, tokens: ServiceTokenSource, run_id: str,
                       deadline: float) -> AsyncIterator[Progress]:
    """Starts a prepared run and yields its progress until the message with `done`."""
    loop = asyncio.get_running_loop()
    received: asyncio.Queue[Progress | BaseException | None] = asyncio.Queue()
    channel = authed_channel(target, tokens)

    def put(item: Progress | BaseException | None) -> None:
        with contextlib.suppress(RuntimeError):  # the page went away and its loop is closed
            loop.call_soon_threadsafe(received.put_nowait, item)

    def pump() -> None:
        # One thread reads the whole stream: tracing keeps the call's span in this thread's context.
        try:
            stub = pb_grpc.NetworkServiceStub(channel)
            for message in stub.RunMatching(pb.RunMatchingRequest(run_id=run_id), timeout=deadline):
                put(Progress(fraction=message.fraction, best_objective=message.best_objective,
                             upper_bound=message.upper_bound or None, done=message.done))
                if message.done:
                    break
            put(None)
        except BaseException as exc:  # handed to the page, which says what happened
            put(exc)

    threading.Thread(target=pump, name=f"matching-stream-{run_id[:8]}", daemon=True).start()
    try:
        while True:
            item = await received.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise _translated(item) from item
            yield item
            if item.done:
                return
    finally:
        channel.close()  # cancels the call when the browser left before the end


def _translated(exc: BaseException) -> Exception:
    if isinstance(exc, grpc.RpcError):
        code = exc.code() if hasattr(exc, "code") else grpc.StatusCode.UNKNOWN
        if code in OUTAGE or code == grpc.StatusCode.CANCELLED:
            return MatchingUnavailable(code.name)
        return MatchingRefused(code, exc.details() if hasattr(exc, "details") else "")
    if isinstance(exc, OSError | httpx.HTTPError | ValueError):  # e.g. the service token could not be fetched
        return MatchingUnavailable(str(exc))
    return exc if isinstance(exc, Exception) else RuntimeError(str(exc))
