"""The integration API for budget and vision systems: client credentials with scope `insights:read`.

Pages are cursor based (`next_cursor`, null on the last page); every answer has an ETag and honours
If-None-Match with 304. Everything here is k-protected exactly as inside Samla: counts, spread and quotes of groups
of at least k people, never an answer with its author or group.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder

from samla_common.auth import Principal, require_scope
from samla_common.deps import SessionDep
from samla_feedback.anonymity import policy
from samla_feedback.integration import exports
from samla_feedback.integration.http import (
    INTEGRATION_SCOPE,
    canonical,
    decode_cursor,
    encode_cursor,
    etag_of,
    json_conditional,
    not_modified,
    with_etag,
)
from samla_feedback.processes import decisions, inputs, report
from samla_feedback.processes import service as processes
from samla_feedback.processes.router import ProcessId
from samla_feedback.themes import service as themes

router = APIRouter(prefix="/integration", tags=["integration"])
Reader = Annotated[Principal, Depends(require_scope(INTEGRATION_SCOPE))]
Size = Annotated[int, Query(ge=1, le=200, description="Items per page")]
Cursor = Annotated[str | None, Query(max_length=500, description="next_cursor of the previous page")]
ROLES = "Roles: integration clients with scope insights:read (client credentials), samla-service."
PAGE_EXAMPLE = {"items": [], "next_cursor": "eyJhZnRlciI6ICJidWRnZXQtMjAyNyJ9"}


@router.get("/processes", responses={200: {"content": {"application/json": {"example": PAGE_EXAMPLE}}},
                                     304: {"description": "Not modified (If-None-Match)"}},
            summary=f"Budget and vision processes, a page at a time, with ETag. {ROLES}")
def list_processes(request: Request, session: SessionDep, _: Reader, cursor: Cursor = None,
                   size: Size = 50) -> Response:
    rows = processes.list_all(session=session, after=decode_cursor(cursor), limit=size + 1)
    page = rows[:size]
    return json_conditional(request, {"items": [report.process_summary(p) for p in page],
                                      "next_cursor": encode_cursor(page[-1].id) if len(rows) > size else None})


@router.get("/processes/{process_id}/insights", responses={304: {"description": "Not modified (If-None-Match)"}},
            summary="The process's published insights (themes: counts, k-protected quotes and spread) with where "
                    f"each stands in the decision log, a page at a time, with ETag. {ROLES}")
def list_insights(process_id: ProcessId, request: Request, session: SessionDep, _: Reader, cursor: Cursor = None,
                  size: Size = 50) -> Response:
    process = processes.get(session=session, process_id=process_id)
    after = decode_cursor(cursor)
    status = {e.subject.id: e for e in decisions.entries(session=session, process=process)}
    published = sorted(decisions.themes_of(session=session, process=process), key=lambda t: t.id)
    remaining = [t for t in published if after is None or t.id > after]
    items: list[dict[str, Any]] = []
    for theme in remaining[:size]:
        facts = themes.insight(session=session, theme=theme, k=policy.get(session=session, event_id=theme.event_id).k)
        entry = status.get(theme.id)
        d = entry.decision if entry else None
        items.append({"insight_id": theme.id, "event_id": theme.event_id, "title": theme.title,
                      "description": theme.description, "published_at": theme.published_at, **facts,
                      "decision": {"status": entry.status if entry else "received",
                                   "response": d.response if d else None, "owner_id": d.owner_id if d else None,
                                   "updated_at": d.updated_at if d else None}})
    more = len(remaining) > size
    return json_conditional(request, {"process_id": process.id, "items": items,
                                      "next_cursor": encode_cursor(items[-1]["insight_id"]) if more else None})


@router.get("/processes/{process_id}/input", responses={304: {"description": "Not modified (If-None-Match)"}},
            summary="The process's structured input: totals and spread per area, overall and per group, "
                    f"k-protected, with ETag. {ROLES}")
def get_input(process_id: ProcessId, request: Request, session: SessionDep, _: Reader) -> Response:
    process = processes.get(session=session, process_id=process_id)
    return json_conditional(request, {"process_id": process.id,
                                      "prompts": inputs.process_input(session=session, process=process)})


@router.get("/processes/{process_id}/export",
            responses={200: {"content": {"text/csv": {}, "application/json": {}, exports.XLSX: {}}},
                       304: {"description": "Not modified (If-None-Match)"}},
            summary="Export the structured input and decision log: CSV (semicolons, UTF-8 with BOM, decimal comma; "
                    f"`table` picks input or decisions), XLSX (both as sheets) or JSON. {ROLES}")
def export(process_id: ProcessId, request: Request, session: SessionDep, _: Reader,
           format: Annotated[Literal["csv", "xlsx", "json"], Query()] = "csv",
           table: Annotated[Literal["input", "decisions"], Query()] = "input") -> Response:
    process = processes.get(session=session, process_id=process_id)
    items = inputs.process_input(session=session, process=process)
    follow = report.follow_up(session=session, process=process)
    data = {"process": follow["process"], "input": items, "decisions": follow["items"], "log": follow["log"]}
    # The ETag comes from the data, not the file: an XLSX carries its own save time, so its bytes always differ.
    etag = etag_of(canonical([format, table, data]))
    unchanged = not_modified(request, etag)
    if unchanged is not None:
        return unchanged
    if format == "json":
        body = json.dumps(jsonable_encoder(data), ensure_ascii=False, indent=2).encode()
        return with_etag(body, "application/json", etag)
    inputs_table = exports.input_rows(process.id, items)
    decisions_table = exports.decision_rows(process.id, follow["items"])
    name = f"{process.id}-{table if format == 'csv' else 'export'}.{format}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if format == "csv":
        body = exports.to_csv(*((exports.INPUT_HEADERS, inputs_table) if table == "input"
                                else (exports.DECISION_HEADERS, decisions_table)))
        return with_etag(body, "text/csv; charset=utf-8", etag, disposition)
    body = exports.to_xlsx([("Underlag", exports.INPUT_HEADERS, inputs_table),
                            ("Beslut", exports.DECISION_HEADERS, decisions_table)])
    return with_etag(body, exports.XLSX, etag, disposition)
