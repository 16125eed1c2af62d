"""SCIM errors (RFC 7644 §3.12), rendered only on the /scim/v2 routes; the rest of the service keeps RFC 9457.

`ScimRoute` is the route class of the SCIM router: it turns every failure of a SCIM endpoint (its own
`ScimError`s, the service layer's `DomainError`s, a refused token, an unexpected database conflict) into an
`application/scim+json` error document, so provisioning clients always get the format they parse.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

from samla_common.errors import DomainError

SCIM_JSON = "application/scim+json"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
log = logging.getLogger(__name__)


class ScimError(Exception):
    """A failure a SCIM client can act on: HTTP status, RFC 7644 scimType and a detail for a person."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type
        self.headers = headers


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def invalid_filter(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def invalid_path(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidPath")


def invalid_syntax(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidSyntax")


def mutability(detail: str) -> ScimError:
    return ScimError(400, detail, "mutability")


def no_target(detail: str) -> ScimError:
    return ScimError(400, detail, "noTarget")


def uniqueness(detail: str) -> ScimError:
    return ScimError(409, detail, "uniqueness")


def not_found(detail: str) -> ScimError:
    return ScimError(404, detail)


def error_document(status: int, detail: str, scim_type: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return body


def scim_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=SCIM_JSON, headers=headers)


def error_response(exc: ScimError) -> JSONResponse:
    return scim_response(error_document(exc.status, exc.detail, exc.scim_type), exc.status, exc.headers)


def as_scim_error(exc: Exception) -> ScimError:
    """Maps any failure of a SCIM endpoint to a SCIM error."""
    if isinstance(exc, ScimError):
        return exc
    if isinstance(exc, DomainError):
        if exc.status == 401:
            return ScimError(401, exc.detail, headers={"WWW-Authenticate": 'Bearer realm="samla-scim"'})
        fields = ", ".join(f"{e.get('field')}: {e.get('message')}" for e in exc.errors)
        detail = f"{exc.detail} ({fields})" if fields else exc.detail
        return ScimError(exc.status, detail, "invalidValue" if exc.status == 400 else None)
    if isinstance(exc, RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return invalid_value(f"Invalid request: {problems}")
    if isinstance(exc, IntegrityError):
        # The explicit checks run first; this is a concurrent writer that won the race for the same value.
        return uniqueness("Another request changed the same person or value at the same time; read it and retry.")
    if isinstance(exc, HTTPException):
        return ScimError(exc.status_code, str(exc.detail))
    log.exception("SCIM request failed unexpectedly")
    return ScimError(500, "The server failed unexpectedly and made no change; retry later, and report it if it "
                          "happens again.")


class ScimRoute(APIRoute):
    """Route class that answers every failure with a SCIM error document instead of a problem document."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def scim_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:  # every failure answers in SCIM's format, a bug as a logged 500
                return error_response(as_scim_error(exc))

        return scim_handler
