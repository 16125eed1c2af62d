"""`/live/...`: Server-Sent Events for the big-screen board and for the phones' list of open prompts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from samla_gateway.auth.access import ApiCaller
from samla_gateway.config import Settings
from samla_gateway.live import runtime
from samla_gateway.live.hub import BOARD, PROMPTS, StreamKey
from samla_gateway.live.stream import EventStream

router = APIRouter(prefix="/live", tags=["live"])

EventId = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9._:\-]+$",
                              examples=["chefsdag-2026-11"])]
STREAM_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"description": "A text/event-stream", "content": {"text/event-stream": {}}}}


@router.get("/events/{event_id}/board", response_class=EventStream, status_code=200, responses=STREAM_RESPONSE,
            summary="The big-screen board as Server-Sent Events: `event: board` with the board JSON (as "
                    "GET /api/feedback/events/{id}/board, fetched as the gateway) and `id:` its cursor, at once "
                    "and then on every change, at most twice a second; a comment every 15 s. Any signed-in "
                    "person (session cookie or bearer token); anonymous callers get 401.")
async def board(event_id: EventId, request: Request, _: ApiCaller) -> EventStream:
    return _stream(request, StreamKey(BOARD, event_id))


@router.get("/events/{event_id}/prompts", response_class=EventStream, status_code=200,
            responses=STREAM_RESPONSE,
            summary="The event's open prompts as Server-Sent Events for participants' phones: `event: prompts` "
                    'with `{"open": [{"id", "title", "text", "kind", "section", ...}]}` (no results), at once and '
                    "whenever a prompt opens or closes. Any signed-in person; anonymous callers get 401.")
async def prompts(event_id: EventId, request: Request, _: ApiCaller) -> EventStream:
    return _stream(request, StreamKey(PROMPTS, event_id))


def _stream(request: Request, key: StreamKey) -> EventStream:
    settings: Settings = request.app.state.settings
    live = runtime.of(request.app)
    live.start_sources()
    return EventStream(hub=live.hub, key=key, heartbeat=settings.live_heartbeat_seconds,
                       retry_ms=settings.live_retry_ms, lifetime=settings.live_max_stream_seconds)
