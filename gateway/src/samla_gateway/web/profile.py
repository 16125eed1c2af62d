""""Min profil": the signed-in person as the directory knows them, with their org unit and manager."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from samla_gateway.auth.access import Person
from samla_gateway.directory import Directory
from samla_gateway.web import identity, render

router = APIRouter(tags=["web"], include_in_schema=False)


@router.get("/min-profil", response_class=HTMLResponse, summary="My profile. Any signed-in person.")
async def my_profile(request: Request, viewer: Person) -> HTMLResponse:
    me_resp, units_resp = await asyncio.gather(identity.call(request, viewer, "GET", "/people/me"),
                                               identity.call(request, viewer, "GET", "/org-units"))
    if me_resp.status_code == 404:
        return render(request, "profile.html", {"person": None})
    me: dict[str, Any] = me_resp.json()
    units = {u["id"]: u for u in units_resp.json()} if units_resp.status_code == 200 else {}
    manager = None
    if me.get("manager_id"):
        # Identity shows a person only themselves; the manager's name is a composed view (service token).
        directory: Directory = request.app.state.directory
        manager = await directory.person(me["manager_id"])
    return render(request, "profile.html", {"person": me, "unit_path": unit_path(units, me.get("org_unit_id")),
                                            "manager": manager})


def unit_path(units: dict[str, dict[str, Any]], unit_id: str | None) -> list[str]:
    """Names from the top of the org tree down to the unit (kommun › förvaltning › avdelning › enhet)."""
    names: list[str] = []
    while unit_id and unit_id in units and len(names) < 20:
        names.append(units[unit_id]["name"])
        unit_id = units[unit_id].get("parent_id")
    return list(reversed(names))
