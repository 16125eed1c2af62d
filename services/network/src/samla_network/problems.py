"""OpenAPI descriptions of the problem responses (RFC 9457) routers return."""

from __future__ import annotations

from typing import Any

DESCRIPTIONS = {400: "Bad input (problem+json names the field)", 401: "Not signed in",
                403: "Not allowed for the caller's roles", 404: "Not found", 409: "Conflicts with the current state",
                422: "Invalid input (problem+json lists the fields)",
                503: "Another service (feedback) could not be reached; try again"}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """401 and 403 always, plus the statuses given."""
    return {s: {"description": DESCRIPTIONS[s], "content": {"application/problem+json": {}}}
            for s in sorted({401, 403, *statuses})}
