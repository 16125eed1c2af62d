"""The big screen ("storskärm"): the open prompt's k-protected results as the feedback board gives them, the
question wall, a QR code for joining, and a presenter switch to hide the results until the room has answered.

The first view is rendered here (so it works with JavaScript off and a reload shows the latest); `static/board.js`
then follows the gateway's live board stream and redraws with text nodes only, never markup from answers.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from samla_gateway.auth import cookies
from samla_gateway.auth.access import Staff
from samla_gateway.auth.viewer import Viewer
from samla_gateway.errors import N_
from samla_gateway.web import dialogue_api, events_api, i18n, render
from samla_gateway.web.dialogue_api import quoted
from samla_gateway.web.dialogue_pages import dialogue_path

router = APIRouter(tags=["web"], include_in_schema=False)
WALL_SIZE = 8
# What board.js writes itself; given to it through a data attribute so it speaks the page's language.
SCRIPT_TEXTS = {"answers": N_("answers"), "votes": N_("votes"), "hidden": N_("The results are hidden."),
                "none": N_("No question is open right now."), "closed": N_("Closed"),
                "points": N_("points"), "mean": N_("Average"), "no_questions": N_("No questions on the wall yet."),
                "show": N_("Show the results"), "hide": N_("Hide the results"), "reconnecting": N_("Reconnecting…")}


def shown_prompts(board: dict[str, Any]) -> list[dict[str, Any]]:
    """The open dialogue prompts; when none is open, the one closed last (its final result)."""
    entries = board.get("prompts") or []
    open_now = [e for e in entries if e["prompt"]["status"] == "open"]
    if open_now:
        return open_now
    closed = [e for e in entries if e["prompt"]["status"] == "closed" and e["prompt"].get("closed_at")]
    return sorted(closed, key=lambda e: e["prompt"]["closed_at"])[-1:]


def bars(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One bar per option or scale value, with its share of the largest (0–100) for the drawing."""
    summary = results.get("summary") or {}
    if results["kind"] == "scale":
        labels = summary.get("labels") or {}
        rows = [{"label": f"{v} {labels.get(v, '')}".strip(), "value": n}
                for v, n in (summary.get("distribution") or {}).items()]
    elif results["kind"] in ("ranking", "priority"):
        rows = [{"label": o["label"], "value": o["points"]} for o in summary.get("options") or []]
    else:
        rows = [{"label": o["label"], "value": o["count"]} for o in summary.get("options") or []]
    top = max([r["value"] for r in rows] + [1])
    return [r | {"share": round(100 * r["value"] / top)} for r in rows]


def cloud(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Word-cloud terms with a size step 1–6 (CSS classes: the page's style rules forbid inline sizes)."""
    terms = (results.get("summary") or {}).get("terms") or []
    top = max([t["count"] for t in terms] + [1])
    return [t | {"size": 1 + round(5 * t["count"] / top)} for t in terms]


@router.get("/dialog/{event_id}/storskarm", response_class=HTMLResponse,
            summary="The big screen: live results, the question wall and the QR code for joining. "
                    "Roles: samla-admin, samla-facilitator.")
async def big_screen(request: Request, event_id: str, viewer: Staff, resultat: str = "") -> HTMLResponse:
    event = await events_api.event(request, viewer, event_id)
    board = await _board(request, viewer, event_id)
    gettext = i18n.translations(request.state.lang).gettext
    context = {"event": event, "board": board, "shown": shown_prompts(board),
               "questions": (board.get("questions") or [])[:WALL_SIZE], "hidden": resultat == "dolda",
               "join_url": cookies.base_url(request) + dialogue_path(event_id), "bars": bars, "cloud": cloud,
               "live_url": f"/live/events/{quote(event_id, safe='')}/board",
               "script_texts": {k: gettext(v) for k, v in SCRIPT_TEXTS.items()},
               "kind_labels": dialogue_api.KIND_LABELS,
               "kind_labels_translated": {k: gettext(v) for k, v in dialogue_api.KIND_LABELS.items()}}
    return render(request, "dialogue/presenter.html", context)


async def _board(request: Request, viewer: Viewer, event_id: str) -> dict[str, Any]:
    resp = await dialogue_api.call(request, viewer, "GET", f"/events/{quoted(event_id)}/board",
                                   params={"questions_limit": WALL_SIZE})
    resp.raise_for_status()
    board: dict[str, Any] = resp.json()
    return board


@router.get("/dialog/{event_id}/qr.svg", summary="The QR code that opens the day's Dialog page on a phone. "
                                                 "Roles: samla-admin, samla-facilitator.")
async def join_code(request: Request, event_id: str, viewer: Staff) -> Response:
    url = cookies.base_url(request) + dialogue_path(event_id)
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buf = io.BytesIO()
    image.save(buf)
    return Response(buf.getvalue(), media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"})
