"""The admin's agenda editor for a chefsdag: opening, dialogue rounds (method, questions), Q&A, breaks.

A plain form with one fieldset per item: no script needed. Dialogue rounds are numbered in time order here,
so the admin never types a round number; an item with an empty title is left out.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import Admin, CsrfChecked
from samla_gateway.errors import N_
from samla_gateway.web import events_api, render
from samla_gateway.web.event_forms import TIME
from samla_gateway.web.events_api import event_path

router = APIRouter(tags=["web"], include_in_schema=False)
FIELDS = ("kind", "title", "starts_at", "ends_at", "method", "questions", "speaker")
BLANK = {"kind": "dialogue", "title": "", "starts_at": "", "ends_at": "", "method": "", "questions": "",
         "speaker": ""}


def as_row(item: dict[str, Any]) -> dict[str, str]:
    return {"kind": item.get("kind") or "other", "title": item.get("title") or "",
            "starts_at": item.get("starts_at") or "", "ends_at": item.get("ends_at") or "",
            "method": item.get("method") or "", "questions": "\n".join(item.get("questions") or []),
            "speaker": item.get("speaker") or ""}


def parse(rows: list[dict[str, str]]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The items for PUT /agenda (in time order, rounds numbered) and the fields to correct (`field-index`)."""
    errors: dict[str, str] = {}
    items: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        if not row["title"].strip():
            continue
        if row["kind"] not in events_api.AGENDA_KINDS:
            errors[f"kind-{i}"] = N_("Choose what kind of item this is.")
        for name in ("starts_at", "ends_at"):
            if not TIME.match(row[name]):
                errors[f"{name}-{i}"] = N_("Give the time as HH:MM, for example 08:30.")
        if f"starts_at-{i}" not in errors and f"ends_at-{i}" not in errors and row["ends_at"] <= row["starts_at"]:
            errors[f"ends_at-{i}"] = N_("The item must end after it starts.")
        dialogue = row["kind"] == "dialogue"
        items.append({"kind": row["kind"], "title": row["title"].strip()[:200], "starts_at": row["starts_at"],
                      "ends_at": row["ends_at"], "round_no": None,
                      "method": row["method"].strip()[:200] or None if dialogue else None,
                      "questions": [q.strip() for q in row["questions"].splitlines() if q.strip()][:20]
                      if dialogue else [],
                      "speaker": row["speaker"].strip()[:200] or None})
    items.sort(key=lambda item: item["starts_at"])
    rounds = 0
    for item in items:
        if item["kind"] == "dialogue":
            rounds += 1
            item["round_no"] = rounds
    return items, errors


async def page(request: Request, viewer: Admin, event_id: str, rows: list[dict[str, str]] | None = None, *,
               status: int = 200, **extra: Any) -> HTMLResponse:
    event, agenda_resp = await asyncio.gather(events_api.event(request, viewer, event_id),
                                              events_api.call(request, viewer, "GET", event_path(event_id, "/agenda")))
    if rows is None:
        rows = [as_row(item) for item in events_api.json_or(agenda_resp, {"items": []})["items"]] + [dict(BLANK)]
    return render(request, "events/agenda.html", {"event": event, "rows": rows, "kinds": events_api.AGENDA_KINDS,
                                                  "errors": {},
                                                  "saved": request.query_params.get("sparat") == "1"} | extra,
                  status=status)


@router.get("/chefsdagar/{event_id}/program", response_class=HTMLResponse,
            summary="Edit a chefsdag's agenda. Roles: samla-admin.")
async def agenda_form(request: Request, event_id: str, viewer: Admin) -> HTMLResponse:
    return await page(request, viewer, event_id)


@router.post("/chefsdagar/{event_id}/program", response_class=HTMLResponse,
             summary="Save the agenda (or add an empty item with `more`). Roles: samla-admin (CSRF token).")
async def save_agenda(request: Request, event_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    form = await request.form()
    columns = {name: [str(v) for v in form.getlist(name)] for name in FIELDS}
    rows = [{name: (columns[name][i] if i < len(columns[name]) else "") for name in FIELDS}
            for i in range(min(len(columns["title"]), 60))]
    if form.get("more"):
        return await page(request, viewer, event_id, [*rows, dict(BLANK)])
    items, errors = parse(rows)
    if errors:
        return await page(request, viewer, event_id, rows, errors=errors, status=400)
    resp = await events_api.call(request, viewer, "PUT", event_path(event_id, "/agenda"), json={"items": items})
    if resp.status_code == 404:
        raise events_api.day_not_found()
    if resp.status_code != 200:
        return await page(request, viewer, event_id, rows, status=400, error=N_("The agenda could not be saved."),
                          detail=events_api.message(resp, request))
    return RedirectResponse(f"/chefsdagar/{quote(event_id, safe='')}/program?sparat=1", status_code=303)
