"""What every fuzzed answer must satisfy beyond schemathesis's own `not_a_server_error`."""

from __future__ import annotations

import json
import re
from typing import Any

import schemathesis
from schemathesis.checks import response_schema_conformance

PROBLEM_JSON = "application/problem+json"
# SCIM 2.0 answers errors in its own format (RFC 7644 §3.12); provisioning clients expect exactly that.
SCIM_JSON = "application/scim+json"
SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def problem_failure(status: int, content_type: str, body: bytes) -> str | None:
    """Why a 4xx answer is not a problem a person can act on, or None when it is."""
    scim = content_type.startswith(SCIM_JSON)
    if not content_type.startswith(PROBLEM_JSON) and not scim:
        return f"{status} answered as {content_type or 'no content type'}, not {PROBLEM_JSON}"
    try:
        problem = json.loads(body)
    except ValueError:
        return f"{status} problem body is not JSON: {body[:200]!r}"
    if scim:
        problem = {**problem, "status": int(problem.get("status", 0)), "title": "SCIM error"} \
            if isinstance(problem, dict) and SCIM_ERROR in problem.get("schemas", []) else None
    detail = problem.get("detail") if isinstance(problem, dict) else None
    if not isinstance(detail, str) or len(detail.split()) < 3:
        return f"{status} problem has no sentence in `detail` a person could act on: {problem!r}"
    if problem.get("status") != status or not problem.get("title"):
        return f"{status} problem lacks a matching `status` or a `title`: {problem!r}"
    if "Traceback" in detail or 'File "' in detail:
        return f"{status} problem shows a stack trace: {detail[:200]!r}"
    return None


@schemathesis.check
def four_xx_is_an_actionable_problem(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx is an RFC 9457 problem whose `detail` tells a person what to do."""
    if 400 <= response.status_code < 500:
        content_type = (response.headers.get("content-type") or [""])[0]
        failure = problem_failure(response.status_code, content_type, response.content)
        if failure:
            raise AssertionError(failure)
    return None


@schemathesis.check
def success_matches_its_schema(ctx: Any, response: Any, case: Any) -> bool | None:
    """A 2xx body conforms to the response schema the OpenAPI document promises (errors are checked above)."""
    if 200 <= response.status_code < 300:
        try:
            return response_schema_conformance(ctx, response, case)  # type: ignore[no-any-return]
        except Exception as exc:
            # SQLite keeps no UTC offset, so timestamps read back naive there (PostgreSQL answers them with +00:00);
            # a known gap of the embedded database, not of the API: every other violation fails.
            if not NAIVE_TIMESTAMP.search(str(exc)):
                raise
    return None


NAIVE_TIMESTAMP = re.compile(r'"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?" is not (a "date-time"|valid under any of '
                             r"the schemas listed in the 'anyOf' keyword)")
