"""Feedback's own domain errors (mapped to problem responses by samla_common.errors)."""

from __future__ import annotations

import grpc

from samla_common.errors import DomainError


class InvalidInput(DomainError):
    """Input that parsed but breaks a rule of the prompt (an unknown option, points that do not add up, ...)."""

    status = 422
    title = "Invalid input"
    grpc_code = grpc.StatusCode.INVALID_ARGUMENT


def invalid(field: str, message: str, detail: str | None = None) -> InvalidInput:
    """One field error, with a detail line that repeats it."""
    return InvalidInput(detail or f"{field}: {message}", errors=[{"field": field, "message": message}])
