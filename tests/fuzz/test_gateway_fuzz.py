"""Property-based fuzzing of the gateway (schemathesis), pages and form posts included, with a bounded budget for CI.

The gateway runs over real HTTP in front of real identity, events, feedback and network processes (see
`gateway_stack`). Every operation of its whole surface (`gateway_schema`: the published API plus the HTML pages)
gets generated valid and invalid requests, anonymously and as a signed-in samla-admin (session cookie from the real
dev sign-in, and the session's CSRF token, so form posts get past the CSRF check and reach the page code). Every
answer: no 5xx (every upstream is up, so not even a "service unavailable" one), every 4xx on an API path an
actionable problem+json, every 4xx on a page a Swedish error page.

Not fuzzed, and why:
- `/api/{service}/{path}` gets each service's real addresses (`gateway_schema.PROXIED_PATHS`) with every method
  rather than random paths, which would only meet the services' unknown-route 404; the services' own documents
  are fuzzed in `test_openapi_fuzz`. `test_proxy_refuses_what_it_cannot_pass_on` asks the odd paths.
- `/live/...` and `/natverk/korningar/{run_id}/forlopp` are server-sent event streams that do not end for a caller
  who may watch; `test_live_streams_refuse_with_problems` asks them the questions that do end.
- `/readyz` answers 503 by design here: no broker runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from samla_gateway.config import SERVICES
from tests.fuzz.checks import problem_failure
from tests.fuzz.gateway_schema import PROXIED_PATHS, document
from tests.fuzz.gateway_stack import RunningGateway, running_gateway
from tests.fuzz.page_checks import four_xx_is_a_problem_or_a_swedish_page

pytestmark = pytest.mark.integration

# The budget: examples per operation, each sent twice (anonymously and as an admin). About 110 operations.
EXAMPLES = 4
CHECKS = [not_a_server_error, four_xx_is_a_problem_or_a_swedish_page]
SKIP = r"^/(readyz|live/.*|natverk/korningar/\{run_id\}/forlopp)$"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningGateway]:
    with running_gateway(tmp_path_factory.mktemp("gateway-fuzz")) as running:
        yield running


def fuzz(schema: Any, gateway: RunningGateway) -> list[str]:
    """Runs every operation's generated cases as each caller; returns one line per failing operation."""
    failures, operations = [], 0
    admin = gateway.sign_in()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        if not gateway.still_signed_in(admin):  # the last operation signed the admin out (or in as someone else)
            admin = gateway.sign_in()
        try:
            fuzz_operation(operation, gateway.url, [{}, admin])
        except (Exception, BaseExceptionGroup) as exc:  # every failing operation is reported, not only the first
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert operations > 0, "the gateway's document offered nothing to fuzz"
    return failures


def fuzz_operation(operation: Any, base_url: str, callers: list[dict[str, str]]) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        for caller in callers:
            case.call_and_validate(base_url=base_url, headers={**(case.headers or {}), **caller}, checks=CHECKS,
                                   timeout=30)

    run()


def test_every_gateway_operation_answers_without_5xx_and_with_a_problem_or_a_swedish_page(
        gateway: RunningGateway) -> None:
    day = gateway.seed_event(gateway.sign_in())
    known = {"event_id": [day], "person_id": ["p-chef", "p-admin"]}
    schema = schemathesis.openapi.from_dict(document(gateway.app, known)).exclude(path_regex=SKIP)

    failures = fuzz(schema, gateway)

    if failures:
        pytest.fail(f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures), pytrace=False)


@pytest.mark.parametrize("path", ["/live/events/no%20such%20day/board", "/live/events/no%20such%20day/prompts",
                                  "/live/events/e-1/board", "/natverk/korningar/no-such-run/forlopp"])
def test_live_streams_refuse_with_problems(gateway: RunningGateway, path: str) -> None:
    """The streams' refusals end: anonymous callers and malformed ids get a problem (or a Swedish page)."""
    admin = gateway.sign_in()
    for headers in ({}, admin):
        if path.startswith("/live/") and headers and "%20" not in path:
            continue  # a signed-in caller with a well-formed id is served the stream, which does not end
        with httpx.stream("GET", f"{gateway.url}{path}", headers=headers, timeout=30) as resp:
            body = resp.read()
        assert 400 <= resp.status_code < 500 or resp.status_code == 303, f"{path}: {resp.status_code}"
        if resp.status_code != 303:
            content_type = resp.headers.get("content-type", "")
            failure = (problem_failure(resp.status_code, content_type, body) if path.startswith("/live/")
                       else None if content_type.startswith("text/html") else f"{path}: {content_type}")
            assert failure is None, failure


@pytest.mark.parametrize("path", ["/api/no-such-service/people", "/api/identity/people/%1Dx", "/scim/v2/Users%7F"])
def test_proxy_refuses_what_it_cannot_pass_on(gateway: RunningGateway, path: str) -> None:
    """Unknown services and control characters (which cannot be sent on) are refused with an actionable problem."""
    resp = httpx.get(f"{gateway.url}{path}", headers=gateway.sign_in(), timeout=30)

    assert resp.status_code in (400, 404), f"{path}: {resp.status_code} {resp.text[:200]}"
    assert problem_failure(resp.status_code, resp.headers.get("content-type", ""), resp.content) is None


def test_every_service_is_proxied_in_the_fuzz() -> None:
    assert set(PROXIED_PATHS) == set(SERVICES), "a service behind /api/ is missing from PROXIED_PATHS"
