"""The web interface (server-rendered, Swedish first). Issue 3 grows this into the full shell."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

router = APIRouter(tags=["web"], include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "web" / "templates"))


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "home.html", {"lang": "sv"})
