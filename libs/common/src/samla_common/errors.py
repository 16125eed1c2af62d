"""Problem responses (RFC 9457) and the domain exceptions services raise.

Services raise `DomainError` subclasses from their service layer; `install_problem_handlers` maps them once
to HTTP problem documents, and `grpc_status_for` maps them to gRPC status codes.
"""

from __future__ import annotations

import logging
from typing import Any

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, PendingRollbackError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

PROBLEM_JSON = "application/problem+json"
# nginx's code for "the client closed the request": counted in the metrics, not a server error.
CLIENT_CLOSED = 499
BUSY = "The service is too busy to save this right now. Nothing was saved; try again in a moment."
log = logging.getLogger("samla.errors")


class DomainError(Exception):
    """A failure a caller can act on. `status` is the HTTP status it maps to."""

    status = 400
    title = "Bad request"
    grpc_code = grpc.StatusCode.INVALID_ARGUMENT

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class NotFound(DomainError):
    status = 404
    title = "Not found"
    grpc_code = grpc.StatusCode.NOT_FOUND


class Conflict(DomainError):
    status = 409
    title = "Conflict"
    grpc_code = grpc.StatusCode.ALREADY_EXISTS


class Unauthenticated(DomainError):
    status = 401
    title = "Not signed in"
    grpc_code = grpc.StatusCode.UNAUTHENTICATED


class Forbidden(DomainError):
    status = 403
    title = "Not allowed"
    grpc_code = grpc.StatusCode.PERMISSION_DENIED


class Unavailable(DomainError):
    status = 503
    title = "Service unavailable"
    grpc_code = grpc.StatusCode.UNAVAILABLE


def problem(status: int, title: str, detail: str, *, errors: list[dict[str, Any]] | None = None,
            headers: dict[str, str] | None = None, type_: str = "about:blank") -> JSONResponse:
    """Builds one problem+json response."""
    body: dict[str, Any] = {"type": type_, "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        out.append({"field": ".".join(loc) or "body", "message": err.get("msg", "invalid")})
    return out


def install_problem_handlers(app: FastAPI) -> None:
    """Maps domain errors, validation errors and HTTP errors to problem responses."""

    @app.exception_handler(DomainError)
    async def _domain(_: Request, exc: DomainError) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, errors=exc.errors)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        fields = ", ".join(e["field"] for e in errors)
        return problem(422, "Invalid input", f"Some fields are missing or invalid: {fields}", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else "Request failed"
        # The router's own refusals carry only the status phrase; say what to check instead.
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"There is nothing at {request.url.path}: check the address against this service's API."
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = f"{request.url.path} does not accept {request.method}; see the Allow header for what it does."
        return problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), detail,
                       headers=getattr(exc, "headers", None))

    @app.exception_handler(DBAPIError)
    async def _database(_: Request, exc: DBAPIError) -> JSONResponse:
        # A database that refuses or drops connections (restart, failover, maintenance) is temporary: say so and
        # when to retry. Any other database error is a bug and answers like one (500), without the SQL or values.
        if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
            return _database_away(exc)
        log.error("database error", exc_info=exc)
        return _internal_error()

    @app.exception_handler(PendingRollbackError)
    async def _dropped(_: Request, exc: PendingRollbackError) -> JSONResponse:
        # The connection broke mid-transaction (e.g. the server ended the session) and the session cannot go on.
        return _database_away(exc)

    @app.exception_handler(PoolTimeout)
    async def _no_connection(_: Request, exc: PoolTimeout) -> JSONResponse:
        # Every pooled connection stayed busy for the pool's timeout (a burst of writes against a slow database):
        # nothing was done, and trying again later is the right answer.
        log.warning("no database connection free within the pool timeout")
        return problem(503, "Service temporarily unavailable", BUSY, headers={"Retry-After": "5"})

    @app.exception_handler(ClientDisconnect)
    async def _caller_left(request: Request, _: ClientDisconnect) -> Response:
        # The caller went away before its body arrived (a phone giving up under load): nothing was done, nobody is
        # there to read an answer, and it is no error to log with a traceback or to alert on as a 5xx.
        log.debug("client left before sending its body", extra={"path": request.url.path})
        return Response(status_code=CLIENT_CLOSED)

    @app.exception_handler(Exception)
    async def _crash(_: Request, exc: Exception) -> JSONResponse:
        # Starlette re-raises after this answer, so the server logs the trace once; the answer carries no details
        # (an exception's message may hold personal data).
        return _internal_error()


def _database_away(exc: Exception) -> JSONResponse:
    log.warning("database unavailable: %s", type(getattr(exc, "orig", None) or exc).__name__)
    return problem(503, "Service temporarily unavailable",
                   "The database cannot be reached right now. Nothing was saved; try again in a moment.",
                   headers={"Retry-After": "5"})


def _internal_error() -> JSONResponse:
    return problem(500, "Internal error", "Something went wrong on our side. Try again; if it keeps happening, "
                   "contact support.")


_TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
           405: "Method not allowed", 409: "Conflict", 413: "Request too large", 415: "Unsupported media type",
           422: "Invalid input", 429: "Too many requests"}
