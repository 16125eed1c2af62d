"""CSRF protection for every state-changing form post and for cookie-authenticated API writes.

Signed-in people: a synchroniser token kept in their server-side session. Before sign-in (the dev sign-in
form): a double-submit token in its own cookie. Either way the form field `csrf_token` (or the
`X-CSRF-Token` header, which htmx sends) must match, and a cross-origin `Origin` is refused outright.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from samla_gateway.auth import cookies
from samla_gateway.errors import N_, PageError

FIELD = "csrf_token"
HEADER = "x-csrf-token"


class CsrfRejected(PageError):
    def __init__(self) -> None:
        super().__init__(403, N_("The form has expired"),
                         N_("For your security the form could not be sent. Go back, reload the page and try "
                            "again."))


def token(request: Request) -> str:
    """The token this browser's forms must carry (creating the pre-sign-in cookie when needed)."""
    viewer = getattr(request.state, "viewer", None)
    if viewer is not None and viewer.session is not None:
        return str(viewer.session.csrf)
    existing = getattr(request.state, "csrf_cookie", "") or cookies.read(request, cookies.CSRF)
    if not existing:
        existing = secrets.token_urlsafe(32)
    request.state.csrf_cookie = existing  # the entrance middleware sets it on the response
    return str(existing)


def expected(request: Request) -> str:
    viewer = getattr(request.state, "viewer", None)
    if viewer is not None and viewer.session is not None:
        return str(viewer.session.csrf)
    return cookies.read(request, cookies.CSRF)


def same_origin(request: Request) -> bool:
    sent = request.headers.get("origin")
    return sent is None or sent == cookies.origin(request)


async def check(request: Request) -> None:
    """FastAPI dependency for form posts: raises CsrfRejected unless the token matches."""
    sent = request.headers.get(HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(FIELD, "")
        sent = value if isinstance(value, str) else ""
    want = expected(request)
    if not (want and sent and same_origin(request) and hmac.compare_digest(sent.encode(), want.encode())):
        raise CsrfRejected()


def check_header(request: Request) -> bool:
    """For API writes carried by a session cookie: the header must hold the session's token."""
    want = expected(request)
    sent = request.headers.get(HEADER, "")
    return bool(want and sent and same_origin(request) and hmac.compare_digest(sent.encode(), want.encode()))
