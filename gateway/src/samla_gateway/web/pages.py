"""Pages anyone may see: home, the accessibility statement, "signed out"."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from samla_gateway.web import render

router = APIRouter(tags=["web"], include_in_schema=False)


@router.get("/", response_class=HTMLResponse, summary="Home. Anyone.")
async def home(request: Request) -> HTMLResponse:
    return render(request, "home.html")


@router.get("/tillganglighet", response_class=HTMLResponse,
            summary="Tillgänglighetsredogörelse (accessibility statement, DOS law). Anyone.")
async def accessibility(request: Request) -> HTMLResponse:
    return render(request, "accessibility.html")


@router.get("/utloggad", response_class=HTMLResponse, summary="Signed out. Anyone.")
async def signed_out(request: Request) -> HTMLResponse:
    return render(request, "signed_out.html")
