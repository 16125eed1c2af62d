"""Matching runs for the HR admin: "Nätverk" (runs and networks), a new run, its progress, the review of its
groups (quality against the proven bound, each group's explanation), a swap shown with its consequences before
it is made, and publishing. Roles: samla-admin; the network service checks the admin's own token again.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samla_gateway.auth.access import Admin, CsrfChecked
from samla_gateway.auth.viewer import Viewer
from samla_gateway.directory import Directory
from samla_gateway.errors import N_
from samla_gateway.web import events_api, i18n, network_api, network_run_form, render
from samla_gateway.web.network_api import closeness, run_path

router = APIRouter(tags=["web"], include_in_schema=False)
DONE = {"startad": N_("The run has started."), "stoppad": N_("The run is stopping; it keeps the best grouping so far."),
        "bytt": N_("The two people have swapped groups."),
        "publicerad": N_("The networks are published. Their members are told by e-mail and in Samla.")}


@router.get("/natverk", response_class=HTMLResponse,
            summary="Nätverk: matching runs and published networks. Roles: samla-admin.")
async def overview(request: Request, viewer: Admin) -> HTMLResponse:
    runs, groups = await asyncio.gather(network_api.call(request, viewer, "GET", "/runs"),
                                        network_api.call(request, viewer, "GET", "/groups",
                                                         params={"status": "active"}))
    return render(request, "network/overview.html", {
        "runs": network_api.json_or(runs, []), "groups": network_api.json_or(groups, []),
        "run_status": network_api.RUN_STATUS, "run_kinds": network_api.RUN_KINDS})


async def new_form(request: Request, viewer: Viewer, values: dict[str, str], *, errors: dict[str, str],
                   status: int = 200, error: str = "", detail: str = "") -> HTMLResponse:
    directory: Directory = request.app.state.directory
    days_resp, units = await asyncio.gather(events_api.call(request, viewer, "GET", "/events"), directory.org_tree())
    days = sorted(events_api.json_or(days_resp, []), key=lambda d: d["date"], reverse=True)
    choosable = sorted((u for u in units if u.kind != "enhet"), key=lambda u: u.name)
    return render(request, "network/new.html", {
        "values": values, "errors": errors, "error": error, "detail": detail, "days": days, "units": choosable,
        "weights": network_run_form.WEIGHTS, "populations": network_run_form.POPULATIONS,
        "run_kinds": network_api.RUN_KINDS}, status=status)


@router.get("/natverk/korningar/ny", response_class=HTMLResponse,
            summary="Form for a new matching run. Roles: samla-admin.")
async def new_run(request: Request, viewer: Admin) -> HTMLResponse:
    return await new_form(request, viewer, dict(network_run_form.DEFAULTS), errors={})


@router.post("/natverk/korningar", response_class=HTMLResponse,
             summary="Create a matching run (not started), then show it. Roles: samla-admin (CSRF token).")
async def create_run(request: Request, viewer: Admin, _: None = CsrfChecked) -> Response:
    form = await request.form()
    values = {name: str(form.get(name, "")) for name in network_run_form.FIELDS}
    if not form.get("checked_in_only"):
        values["checked_in_only"] = ""
    mentor_ids: list[str] = []
    errors: dict[str, str] = {}
    if values["kind"] == "mentors" and values["mentor_emails"].strip():
        directory: Directory = request.app.state.directory
        by_email = {p.email.lower(): p.id for p in await directory.everyone() if p.email}
        wanted = network_run_form.mentor_addresses(values)
        unknown = [a for a in wanted if a not in by_email]
        mentor_ids = [by_email[a] for a in wanted if a in by_email]
        if unknown:
            errors["mentor_emails"] = N_("Some addresses are not in the directory. Check them.")
    body, more = network_run_form.run_body(values, mentor_ids)
    errors = more | errors
    if errors:
        return await new_form(request, viewer, values, errors=errors, status=400)
    resp = await network_api.call(request, viewer, "POST", "/runs", json=body)
    if resp.status_code != 201:
        return await new_form(request, viewer, values, errors={}, status=400,
                              error=N_("The run could not be created."), detail=network_api.message(resp, request))
    return RedirectResponse(f"/natverk/korningar/{quote(resp.json()['id'], safe='')}", status_code=303)


async def run_page(request: Request, viewer: Viewer, run_id: str, *, status: int = 200,
                   **extra: Any) -> HTMLResponse:
    resp = await network_api.call(request, viewer, "GET", run_path(run_id))
    if resp.status_code in (404, 422):
        raise network_api.run_not_found()
    resp.raise_for_status()
    run = resp.json()
    result = run.get("result") or {}
    names = {m["person_id"]: m["name"] or m["person_id"] for g in result.get("groups", []) for m in g["members"]}
    people = sorted(({"id": pid, "name": name} for pid, name in names.items()), key=lambda p: p["name"])
    gettext = i18n.translations(request.state.lang).gettext

    def describe(violation: dict[str, Any]) -> str:
        """A broken rule in words, with names for the person ids network writes in its detail."""
        detail = str(violation.get("detail", ""))
        for pid in sorted(violation.get("people", []), key=len, reverse=True):
            detail = detail.replace(pid, names.get(pid, pid))
        return f"{gettext(network_api.VIOLATIONS.get(violation['kind'], violation['kind']))}: {detail}"

    context = {"run": run, "result": result, "names": names, "people": people, "chosen": {}, "describe": describe,
               "group_of": {m["person_id"]: g["index"] + 1 for g in result.get("groups", []) for m in g["members"]},
               "closeness": closeness(result.get("objective"), result.get("upper_bound")) if result else
               closeness(run.get("best_objective"), run.get("upper_bound")),
               "run_status": network_api.RUN_STATUS, "run_kinds": network_api.RUN_KINDS,
               "violation_labels": network_api.VIOLATIONS, "excluded_labels": network_api.EXCLUDED,
               "done": DONE.get(request.query_params.get("klart", ""), "")}
    return render(request, "network/run.html", context | extra, status=status)


@router.get("/natverk/korningar/{run_id}", response_class=HTMLResponse,
            summary="A matching run: start it, follow its progress, review the groups and their quality, swap, "
                    "publish. Roles: samla-admin.")
async def show_run(request: Request, run_id: str, viewer: Admin) -> HTMLResponse:
    return await run_page(request, viewer, run_id)


def back(run_id: str, done: str) -> RedirectResponse:
    return RedirectResponse(f"/natverk/korningar/{quote(run_id, safe='')}?klart={done}", status_code=303)


async def refused(request: Request, viewer: Viewer, run_id: str, resp: httpx.Response, error: str,
                  **extra: Any) -> HTMLResponse:
    if resp.status_code == 404:
        raise network_api.run_not_found()
    return await run_page(request, viewer, run_id, status=network_api.status_code_for(resp), error=error,
                          detail=network_api.message(resp, request), **extra)


@router.post("/natverk/korningar/{run_id}/starta", response_class=HTMLResponse,
             summary="Start a run without the live progress (pages without JavaScript). Roles: samla-admin (CSRF).")
async def start_run(request: Request, run_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    resp = await network_api.call(request, viewer, "POST", run_path(run_id, "/start"))
    if resp.status_code != 202:
        return await refused(request, viewer, run_id, resp, N_("The run could not be started."))
    return back(run_id, "startad")


@router.post("/natverk/korningar/{run_id}/stoppa", response_class=HTMLResponse,
             summary="Stop a running run early; it keeps the best grouping so far. Roles: samla-admin (CSRF).")
async def stop_run(request: Request, run_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    resp = await network_api.call(request, viewer, "POST", run_path(run_id, "/stop"))
    if resp.status_code != 200:
        return await refused(request, viewer, run_id, resp, N_("The run could not be stopped."))
    return back(run_id, "stoppad")


def pair(person_a: str, person_b: str) -> tuple[dict[str, str], dict[str, str]]:
    chosen = {"person_a": person_a, "person_b": person_b}
    errors = {k: N_("Choose a person.") for k, v in chosen.items() if not v}
    if not errors and person_a == person_b:
        errors["person_b"] = N_("Choose two different people.")
    return chosen, errors


@router.post("/natverk/korningar/{run_id}/byt/forhandsgranska", response_class=HTMLResponse,
             summary="What swapping two people between groups would change; nothing changes. "
                     "Roles: samla-admin (CSRF token).")
async def preview_swap(request: Request, run_id: str, viewer: Admin, person_a: Annotated[str, Form()] = "",
                       person_b: Annotated[str, Form()] = "", _: None = CsrfChecked) -> HTMLResponse:
    chosen, errors = pair(person_a, person_b)
    if errors:
        return await run_page(request, viewer, run_id, status=400, chosen=chosen, errors=errors)
    resp = await network_api.call(request, viewer, "POST", run_path(run_id, "/swaps/preview"), json=chosen)
    if resp.status_code != 200:
        return await refused(request, viewer, run_id, resp, N_("The swap cannot be made."), chosen=chosen)
    return await run_page(request, viewer, run_id, chosen=chosen, preview=resp.json())


@router.post("/natverk/korningar/{run_id}/byt", response_class=HTMLResponse,
             summary="Swap two people between groups (after the preview). Roles: samla-admin (CSRF token).")
async def make_swap(request: Request, run_id: str, viewer: Admin, person_a: Annotated[str, Form()] = "",
                    person_b: Annotated[str, Form()] = "", _: None = CsrfChecked) -> Response:
    chosen, errors = pair(person_a, person_b)
    if errors:
        return await run_page(request, viewer, run_id, status=400, chosen=chosen, errors=errors)
    resp = await network_api.call(request, viewer, "POST", run_path(run_id, "/swaps"), json=chosen)
    if resp.status_code != 200:
        return await refused(request, viewer, run_id, resp, N_("The swap cannot be made."), chosen=chosen)
    return back(run_id, "bytt")


@router.post("/natverk/korningar/{run_id}/publicera", response_class=HTMLResponse,
             summary="Publish the groups as networks; their members are told. Roles: samla-admin (CSRF token).")
async def publish(request: Request, run_id: str, viewer: Admin, _: None = CsrfChecked) -> Response:
    resp = await network_api.call(request, viewer, "POST", run_path(run_id, "/publish"))
    if resp.status_code != 200:
        return await refused(request, viewer, run_id, resp, N_("The networks could not be published."))
    return back(run_id, "publicerad")
