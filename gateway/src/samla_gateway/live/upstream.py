"""What the live streams carry, fetched from the feedback service with the gateway's own service token.

The board is shared by everyone watching it, so it is fetched as the gateway (a service client), never as one of
the viewers: nothing personal (such as which questions a viewer upvoted) can leak from one viewer to another.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import httpx

from samla_common.auth import ServiceTokenSource
from samla_gateway.live.frames import Frame
from samla_gateway.live.hub import BOARD, PROMPTS, StreamKey

# What a phone needs to show a prompt has opened; results stay on the board.
PROMPT_FIELDS = ("id", "title", "description", "kind", "section", "audience", "anonymous", "round_no",
                 "opened_at")


class Feedback:
    def __init__(self, *, base_url: str, http: httpx.AsyncClient, tokens: ServiceTokenSource) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.tokens = tokens

    async def fetch(self, key: StreamKey) -> Frame:
        """The stream's current frame; raises httpx errors when feedback does not answer 200."""
        if key.stream == BOARD:
            resp = await self.get(f"/events/{key.event_id}/board")
            return Frame(BOARD, str(resp.json()["cursor"]), resp.content)
        if key.stream == PROMPTS:
            resp = await self.get(f"/events/{key.event_id}/prompts", params={"status": "open"})
            return prompts_frame(resp.json())
        raise ValueError(f"unknown stream {key.stream!r}")

    async def get(self, path: str, *, params: dict[str, Any] | None = None,
                  timeout: float | None = None) -> httpx.Response:
        token = await asyncio.to_thread(self.tokens.token)  # cached; a network call only near expiry
        kwargs: dict[str, Any] = {"params": params, "headers": {"authorization": f"Bearer {token}"}}
        if timeout is not None:
            kwargs["timeout"] = timeout
        resp = await self.http.get(f"{self.base_url}{path}", **kwargs)
        resp.raise_for_status()
        return resp


def prompts_frame(prompts: list[dict[str, Any]]) -> Frame:
    """The open prompts, light: what each is, never its results. Its id names the content, so an unchanged list
    is recognised as such and not sent again."""
    # "text" repeats the title for pages that call it that.
    open_prompts = [{**{name: p.get(name) for name in PROMPT_FIELDS}, "text": p.get("title")}
                    for p in prompts if p.get("status") == "open"]
    data = json.dumps({"open": open_prompts}, ensure_ascii=False, separators=(",", ":")).encode()
    return Frame(PROMPTS, hashlib.sha256(data).hexdigest()[:16], data)
