"""What every fuzzed gateway answer must satisfy: API paths answer problem+json, pages a Swedish HTML page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import schemathesis

from samla_gateway.entrance import API_PATHS
from tests.fuzz.checks import problem_failure

# Answered as data, never as a page: the proxied APIs, the session probe, health and metrics.
NOT_PAGES = (*API_PATHS, "/live/", "/healthz", "/readyz", "/metrics")
STACK_TRACE = ("Traceback", 'File "', "jinja2.exceptions", "sqlalchemy.exc")


def page_failure(status: int, content_type: str, body: bytes) -> str | None:
    """Why a 4xx page is not a Swedish page a person can read and act on, or None when it is."""
    if not content_type.startswith("text/html"):
        return f"{status} page answered as {content_type or 'no content type'}, not an HTML page"
    text = body.decode("utf-8", "replace")
    if '<html lang="sv"' not in text:
        return f"{status} page is not in Swedish: {text[:200]!r}"
    if "<h1" not in text or 'role="alert"' not in text:
        return f"{status} page has no heading or no alert saying what went wrong: {text[:400]!r}"
    if any(marker in text for marker in STACK_TRACE):
        return f"{status} page shows a stack trace: {text[:400]!r}"
    return None


@schemathesis.check
def four_xx_is_a_problem_or_a_swedish_page(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 4xx from an API path is an actionable problem+json; from a page, a Swedish error page."""
    if 400 <= response.status_code < 500:
        content_type = (response.headers.get("content-type") or [""])[0]
        path = urlsplit(response.request.url).path  # where the request went, odd path values included
        check = problem_failure if path.startswith(NOT_PAGES) else page_failure
        failure = check(response.status_code, content_type, response.content)
        if failure:
            raise AssertionError(failure)
    return None
