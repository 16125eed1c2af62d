"""The web interface: server-rendered pages in Swedish first, htmx where it helps, no build step."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime, get_timezone
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from samla_gateway.auth import csrf
from samla_gateway.errors import N_, PageError, SignInRequired
from samla_gateway.web import i18n

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))
STOCKHOLM = get_timezone("Europe/Stockholm")

ROLE_LABELS = {"samla-admin": N_("Administrator"), "samla-facilitator": N_("Facilitator"),
               "samla-leadership": N_("Leadership")}
LEVEL_LABELS = {"kommundirektor": N_("Municipal director"), "forvaltningschef": N_("Head of administration"),
                "avdelningschef": N_("Head of department"), "enhetschef": N_("Head of unit"),
                "medarbetare": N_("Employee")}
KIND_LABELS = {"kommunkoncern": N_("Municipal group"), "forvaltning": N_("Administration"),
               "bolag": N_("Municipal company"), "avdelning": N_("Department"), "enhet": N_("Unit")}


def when(value: str | None, lang: str) -> str:
    """An ISO time from a service, in Swedish time and the page's language; "–" when absent."""
    if not value:
        return "–"
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return str(format_datetime(moment, format="medium", tzinfo=STOCKHOLM, locale=lang))


def day(value: str | None, lang: str) -> str:
    """An ISO date ("2026-11-26") as people say it ("torsdag 26 november 2026"); "–" when absent."""
    if not value:
        return "–"
    try:
        parsed = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return str(format_date(parsed, format="full", locale=lang))


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200) -> HTMLResponse:
    """Renders a page in the request's language with what every page needs (viewer, CSRF token, switch)."""
    lang: str = request.state.lang
    other = "en" if lang == "sv" else "sv"
    query = {k: v for k, v in request.query_params.items() if k != "lang"} | {"lang": other}
    viewer = getattr(request.state, "viewer", None)
    base = {
        "_": i18n.translations(lang).gettext,
        "ngettext": i18n.translations(lang).ngettext,
        "lang": lang,
        "other_lang": other,
        "other_lang_name": i18n.NAMES[other],
        "switch_url": f"{request.url.path}?{urlencode(query)}",
        "viewer": viewer,
        "is_admin": bool(viewer and viewer.is_admin),
        "is_staff": bool(viewer and viewer.is_staff),
        "csrf_token": csrf.token(request),
        "settings": request.app.state.settings,
        "path": request.url.path,
        "role_labels": ROLE_LABELS,
        "level_labels": LEVEL_LABELS,
        "kind_labels": KIND_LABELS,
        "when": lambda value: when(value, lang),
        "day": lambda value: day(value, lang),
    }
    return templates.TemplateResponse(request, name, base | (context or {}), status_code=status)


def error_page(request: Request, exc: PageError) -> HTMLResponse:
    response = render(request, "error.html", {"error": exc}, status=exc.status)
    if exc.status == 503:
        response.headers["Retry-After"] = "30"
    return response


def install_page_handlers(app: FastAPI) -> None:
    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError) -> Response:
        return error_page(request, exc)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        target = f"/logga-in?{urlencode({'next': exc.next_path})}"
        if request.headers.get("hx-request"):
            # htmx would swap the sign-in page into a fragment; have it load the whole page instead.
            return Response(status_code=204, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
