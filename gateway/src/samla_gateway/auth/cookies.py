"""The gateway's cookies: HttpOnly, SameSite=Lax, and Secure with the `__Host-` prefix when served over https."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request, Response

from samla_gateway.config import Settings

SESSION = "samla_session"
LOGIN = "samla_login"  # state, nonce and PKCE verifier between /auth/login and /auth/callback
CSRF = "samla_csrf"  # double-submit token for forms shown before sign-in
LANG = "samla_lang"


def base_url(request: Request) -> str:
    """The public origin people use: SAMLA_GATEWAY_PUBLIC_URL, or how this request arrived."""
    settings: Settings = request.app.state.settings
    return (settings.public_url or str(request.base_url)).rstrip("/")


def origin(request: Request) -> str:
    parts = urlsplit(base_url(request))
    return f"{parts.scheme}://{parts.netloc}"


def is_secure(request: Request) -> bool:
    return base_url(request).startswith("https://")


def name(request: Request, base: str) -> str:
    # `__Host-` cookies must be Secure, host-only and Path=/, so a sibling subdomain cannot plant one.
    return f"__Host-{base}" if is_secure(request) else base


def read(request: Request, base: str) -> str:
    return request.cookies.get(name(request, base), "")


def put(request: Request, response: Response, base: str, value: str, *, max_age: int | None) -> None:
    response.set_cookie(name(request, base), value, max_age=max_age, path="/", secure=is_secure(request),
                        httponly=True, samesite="lax")


def clear(request: Request, response: Response, base: str) -> None:
    response.delete_cookie(name(request, base), path="/", secure=is_secure(request), httponly=True,
                           samesite="lax")
