"""Property-based fuzzing of every service's OpenAPI document (schemathesis), with a bounded budget for CI.

Each operation gets generated valid and invalid requests, as an HR admin (the widest realistic role) and without a
token. Every answer must be no 5xx, every 4xx an actionable problem+json, every 2xx as the schema promises.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from services.events.tests.support.issuer import LocalIssuer
from tests.fuzz.checks import four_xx_is_an_actionable_problem, success_matches_its_schema

pytestmark = pytest.mark.integration

# The budget: examples per operation (each sent twice: as an admin and without a token). About 170 operations.
EXAMPLES = 5
CHECKS = [not_a_server_error, four_xx_is_an_actionable_problem, success_matches_its_schema]
# Readiness answers 503 by design here (no broker), as does a Keycloak sync run (no Keycloak); metrics answer
# Prometheus text; the dev issuer's token endpoint answers OAuth errors (RFC 6749).
SKIP = r"^/(readyz|metrics|dev/token|sync/keycloak/run)$"


def fuzz(schema: Any, callers: list[dict[str, str]]) -> list[str]:
    """Runs every operation's generated cases as each caller; returns one line per failing operation."""
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            for caller in callers:
                case.call_and_validate(headers={**(case.headers or {}), **caller}, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every failing operation is reported, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert operations > 0, "the OpenAPI document offered nothing to fuzz"
    return failures


def test_every_operation_answers_without_5xx_and_with_actionable_problems(service: tuple[str, TestClient],
                                                                         fuzz_issuer: LocalIssuer) -> None:
    _, client = service
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app).exclude(path_regex=SKIP)
    admin = fuzz_issuer.token(sub="p-fuzz-admin", roles=["samla-admin"], azp="samla-gateway", name="Fuzz Admin")

    failures = fuzz(schema, [{}, {"authorization": f"Bearer {admin}"}])

    if failures:
        pytest.fail(f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures), pytrace=False)
