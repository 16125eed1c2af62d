"""A matching run's progress as Server-Sent Events for the admin's progress bar. Roles: samla-admin.

`GET /natverk/korningar/{run_id}/forlopp?starta=1&csrf_token=...` starts the run through the network service's
gRPC `RunMatching` stream and forwards each `MatchingProgress` as `event: progress` (the last one as
`event: done`). Starting changes state, so it needs the session's CSRF token (EventSource cannot send headers).
Without `starta`, or when the browser reconnects (it sends Last-Event-ID) or the run already runs elsewhere, the
endpoint follows the run through the HTTP status endpoint instead: a reconnect never starts a run twice.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import grpc
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from samla_gateway.auth import csrf
from samla_gateway.auth.access import Admin
from samla_gateway.auth.viewer import Viewer
from samla_gateway.config import Settings
from samla_gateway.errors import N_, PageError, SignInRequired
from samla_gateway.live import frames
from samla_gateway.web import i18n, network_api
from samla_gateway.web.network_api import closeness, run_path
from samla_gateway.web.network_matching import MatchingRefused, MatchingUnavailable, Progress, run_matching

router = APIRouter(tags=["web"], include_in_schema=False)
POLL_SECONDS = 0.5
MIN_GAP_SECONDS = 0.2  # the solver reports far more often than a progress bar needs
DEADLINE_MARGIN_SECONDS = 60.0
HEADERS = {"cache-control": "no-store", "x-accel-buffering": "no"}


class Stream:
    """Numbers the frames of one response (the browser sends the last id back when it reconnects)."""

    def __init__(self, lang: str) -> None:
        self.seq = 0
        self.gettext = i18n.translations(lang).gettext

    def frame(self, event: str, data: dict[str, Any]) -> bytes:
        self.seq += 1
        return frames.encode(frames.Frame(event=event, id=str(self.seq), data=json.dumps(data).encode()))

    def progress(self, p: Progress, status: str) -> bytes:
        return self.frame("done" if p.done else "progress", {
            "fraction": round(p.fraction, 4), "best_objective": p.best_objective, "upper_bound": p.upper_bound,
            "closeness": closeness(p.best_objective, p.upper_bound), "done": p.done, "status": status})

    def problem(self, message: str) -> bytes:
        return self.frame("problem", {"message": self.gettext(message)})


def wants_start(request: Request) -> bool:
    """A first connection asking to start, carrying this session's CSRF token."""
    if request.query_params.get("starta") != "1" or request.headers.get("last-event-id"):
        return False
    sent, want = request.query_params.get(csrf.FIELD, ""), csrf.expected(request)
    return bool(sent and want and hmac.compare_digest(sent.encode(), want.encode()))


async def status_of(request: Request, viewer: Viewer, run_id: str) -> dict[str, Any] | None:
    resp = await network_api.call(request, viewer, "GET", run_path(run_id, "/status"))
    return resp.json() if resp.status_code == 200 else None


async def follow(request: Request, viewer: Viewer, run_id: str, out: Stream) -> AsyncIterator[bytes]:
    """Polls the status endpoint (progress stored by the worker) until the run is no longer running."""
    while True:
        status = await status_of(request, viewer, run_id)
        if status is None:
            yield out.problem(N_("The matching run is gone."))
            return
        done = status["status"] != "running"
        yield out.progress(Progress(fraction=1.0 if done else status["progress"],
                                    best_objective=status["best_objective"] or 0.0,
                                    upper_bound=status["upper_bound"], done=done), status["status"])
        if done:
            return
        await asyncio.sleep(POLL_SECONDS)


async def forward(request: Request, viewer: Viewer, run_id: str, budget: float, out: Stream) -> AsyncIterator[bytes]:
    """Starts the run over gRPC and forwards its progress; falls back to HTTP when gRPC is not reachable."""
    settings: Settings = request.app.state.settings
    last = 0.0
    try:
        async for p in run_matching(target=settings.network_grpc_target, tokens=request.app.state.service_tokens,
                                    run_id=run_id, deadline=budget + DEADLINE_MARGIN_SECONDS):
            now = time.monotonic()
            if p.done or now - last >= MIN_GAP_SECONDS:
                last = now
                yield out.progress(p, "done" if p.done else "running")
        return
    except MatchingRefused as exc:
        if exc.code != grpc.StatusCode.ALREADY_EXISTS:  # already running: follow it below
            yield out.problem(N_("The run could not be started.") if exc.code != grpc.StatusCode.NOT_FOUND
                              else N_("The matching run is gone."))
            return
    except MatchingUnavailable:
        started = await network_api.call(request, viewer, "POST", run_path(run_id, "/start"))
        if started.status_code not in (202, 409):
            yield out.problem(N_("The run could not be started."))
            return
    async for chunk in follow(request, viewer, run_id, out):
        yield chunk


@router.get("/natverk/korningar/{run_id}/forlopp", summary="A matching run's progress as Server-Sent Events "
            "(`progress`, then `done`; `problem` with a message). `starta=1` with the CSRF token starts the run "
            "over gRPC. Roles: samla-admin.")
async def progress_stream(request: Request, run_id: str, viewer: Admin) -> StreamingResponse:
    resp = await network_api.call(request, viewer, "GET", run_path(run_id))
    if resp.status_code != 200:
        raise network_api.run_not_found()
    run = resp.json()
    out = Stream(request.state.lang)
    startable = run["status"] in ("draft", "done", "failed") and wants_start(request)
    budget = float(run["parameters"].get("time_budget_seconds") or 5.0)

    async def body() -> AsyncIterator[bytes]:
        yield frames.retry(3000)
        source = forward(request, viewer, run_id, budget, out) if startable else follow(request, viewer, run_id, out)
        try:
            async for chunk in source:
                yield chunk
        except (PageError, SignInRequired):  # the headers are sent: say it in the stream instead
            yield out.problem(N_("The network service is not answering. Reload the page in a minute."))

    return StreamingResponse(body(), media_type="text/event-stream", headers=HEADERS)
