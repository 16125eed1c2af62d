"""Admin "Katalog": search people, the org tree, spreadsheet import with preview, and the Keycloak sync.

Every page here needs samla-admin, and identity checks the admin's own token again.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from samla_gateway.auth.access import Admin, CsrfChecked
from samla_gateway.auth.viewer import Viewer
from samla_gateway.config import Settings
from samla_gateway.errors import N_, PageError
from samla_gateway.web import identity, render, upstream

router = APIRouter(tags=["web"], include_in_schema=False)

# Field names in identity's import summaries and sync counts → what the pages call them.
LABELS = {
    "create": N_("New people"), "update": N_("Changed people"), "unchanged": N_("Unchanged"),
    "deactivate": N_("People to deactivate"), "org_units_create": N_("New org units"),
    "created": N_("New people"), "updated": N_("Changed people"), "deactivated": N_("Deactivated people"),
    "skipped": N_("Skipped"), "org_units_created": N_("New org units"), "org_units_moved": N_("Moved org units"),
    "org_units_updated": N_("Changed org units"), "issues": N_("Remarks"), "users_listed": N_("Users in Keycloak"),
    "users_counted": N_("Users read"), "events": N_("Changes published"),
}

# Columns of an import preview, and what each row would do.
PREVIEW_LABELS = {
    "row": N_("Row"), "action": N_("Action"), "id": N_("Id"), "name": N_("Name"), "email": N_("E-mail"),
    "title": N_("Title"), "level": N_("Manager level"), "org_unit_id": N_("Unit"), "manager_id": N_("Manager"),
    "location": N_("Location"), "languages": N_("Languages"), "employee_number": N_("Employee number"),
}
ACTIONS = {"create": N_("new"), "update": N_("change"), "unchanged": N_("unchanged"), "invalid": N_("error"),
           "deactivate": N_("deactivate")}


def not_offered(what: str) -> PageError:
    return PageError(501, N_("Not available yet"), N_("The directory service does not offer this yet."),
                     detail=what)


@router.get("/katalog", response_class=HTMLResponse, summary="Directory: people and org tree. Roles: samla-admin.")
async def directory(request: Request, viewer: Admin, q: str = "") -> HTMLResponse:
    people_resp, units_resp = await asyncio.gather(
        identity.call(request, viewer, "GET", "/people", params={"q": q, "limit": 50}),
        identity.call(request, viewer, "GET", "/org-units"))
    people = people_resp.json() if people_resp.status_code == 200 else []
    units = units_resp.json() if units_resp.status_code == 200 else []
    return render(request, "directory.html", {"q": q, "people": people, "tree": org_tree(units),
                                              "unit_names": {u["id"]: u["name"] for u in units}})


def org_tree(units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nested units ({unit, children}) from the flat list, roots first, siblings by name."""
    children: dict[str | None, list[dict[str, Any]]] = {}
    ids = {u["id"] for u in units}
    for u in sorted(units, key=lambda u: u["name"]):
        parent = u.get("parent_id") if u.get("parent_id") in ids else None
        children.setdefault(parent, []).append(u)

    def build(parent: str | None, depth: int) -> list[dict[str, Any]]:
        if depth > 20:
            return []
        return [{"unit": u, "children": build(u["id"], depth + 1)} for u in children.get(parent, [])]

    return build(None, 0)


@router.get("/katalog/import", response_class=HTMLResponse, summary="Import form. Roles: samla-admin.")
async def import_form(request: Request, viewer: Admin) -> HTMLResponse:
    return render(request, "import.html", {"result": None})


@router.post("/katalog/import", response_class=HTMLResponse,
             summary="Upload a spreadsheet and see its preview and errors. Roles: samla-admin (CSRF token).")
async def import_upload(request: Request, viewer: Admin, file: Annotated[UploadFile | str | None, File()] = None,
                        deactivate_missing: Annotated[str, Form()] = "", _: None = CsrfChecked) -> HTMLResponse:
    settings: Settings = request.app.state.settings
    # A text field named `file` (no file chosen, or a hand-made post) is no file either: the form says so.
    upload = None if isinstance(file, str) else file
    content = await upload.read(settings.max_upload_bytes + 1) if upload is not None else b""
    if upload is None or not content:
        return render(request, "import.html", {"result": None, "error": N_("Choose a file to import.")}, status=400)
    if len(content) > settings.max_upload_bytes:
        return render(request, "import.html", {"result": None, "error": N_("The file is too large.")}, status=413)
    files = {"file": (upload.filename or "import.csv", content, upload.content_type or "application/octet-stream")}
    resp = await identity.call(request, viewer, "POST", "/imports", files=files,
                               params={"deactivate_missing": "true" if deactivate_missing == "true" else "false"})
    if resp.status_code == 405:
        raise not_offered("POST /imports")
    if resp.status_code not in (200, 201):
        return render(request, "import.html", {"result": None, "error": N_("The file could not be read."),
                                               "detail": upstream.problem_message(resp, request.state.lang)},
                      status=400 if resp.status_code < 500 else 502)
    result = resp.json()
    preview = result.get("preview") or []
    columns = list(preview[0]) if preview and isinstance(preview[0], dict) else []
    return render(request, "import.html", {"result": result, "columns": columns, "labels": LABELS,
                                           "preview_labels": PREVIEW_LABELS, "actions": ACTIONS})


@router.post("/katalog/import/{import_id}/commit", response_class=HTMLResponse,
             summary="Carry out a previewed import. Roles: samla-admin (CSRF token).")
async def import_commit(request: Request, import_id: str, viewer: Admin, _: None = CsrfChecked) -> HTMLResponse:
    resp = await identity.call(request, viewer, "POST", f"/imports/{quote(import_id, safe='')}/commit")
    if resp.status_code == 404:
        raise PageError(404, N_("Import not found"),
                        N_("There is no import waiting with that id. It may be too old: upload the file again."))
    if resp.status_code not in (200, 201):
        return render(request, "import.html", {"result": None, "error": N_("The import could not be carried out."),
                                               "detail": upstream.problem_message(resp, request.state.lang)},
                      status=409 if resp.status_code == 409 else 400)
    return render(request, "import_done.html", {"result": resp.json(), "labels": LABELS})


@router.get("/katalog/synk", response_class=HTMLResponse, summary="Keycloak sync status. Roles: samla-admin.")
async def sync_status(request: Request, viewer: Admin) -> HTMLResponse:
    return render(request, "sync.html", {"status": await _status(request, viewer), "report": None,
                                         "labels": LABELS})


@router.post("/katalog/synk", response_class=HTMLResponse,
             summary="Run the Keycloak sync (a trial run unless unticked). Roles: samla-admin (CSRF token).")
async def sync_run(request: Request, viewer: Admin, dry_run: Annotated[str, Form()] = "",
                   _: None = CsrfChecked) -> HTMLResponse:
    trial = dry_run == "true"
    resp = await identity.call(request, viewer, "POST", "/sync/keycloak/run",
                               params={"dry_run": "true" if trial else "false"}, answers_503=True)
    if resp.status_code in (404, 405):
        raise not_offered("POST /sync/keycloak/run")
    status = await _status(request, viewer)
    if resp.status_code != 200:
        return render(request, "sync.html", {"status": status, "report": None, "labels": LABELS,
                                             "error": N_("The sync could not be run."),
                                             "detail": upstream.problem_message(resp, request.state.lang)},
                      status=409 if resp.status_code == 409 else 400)
    return render(request, "sync.html", {"status": status, "report": resp.json(), "labels": LABELS})


async def _status(request: Request, viewer: Viewer) -> dict[str, Any] | None:
    resp = await identity.call(request, viewer, "GET", "/sync/keycloak/status")
    return resp.json() if resp.status_code == 200 else None
