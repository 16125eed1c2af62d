"""Domain errors of the network service with messages a person can act on."""

from __future__ import annotations

from samla_common.errors import DomainError, NotFound


def invalid(field: str, message: str) -> DomainError:
    """A 400 problem naming the field that is wrong."""
    return DomainError(f"{field}: {message}", errors=[{"field": field, "message": message}])


def not_found(what: str, ident: str) -> NotFound:
    return NotFound(f"No {what} with id {ident}.")

