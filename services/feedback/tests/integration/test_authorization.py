"""The authorization matrix: every endpoint against every role (DESIGN §7). Allowed callers get past the role
check (to a 404 or 422 for the made-up ids used here); everyone else gets the role problem; nobody unsigned."""

from __future__ import annotations

import pytest

from samla_common.auth import NOT_A_PERSON

from .conftest import Feedback
from .process_support import integration_headers

# Who may call what does not depend on the database, so the matrix runs on SQLite only.
pytestmark = [pytest.mark.integration, pytest.mark.parametrize("feedback", ["sqlite"], indirect=True)]
E, P, Q, T = "/events/ev-authz", "/prompts/00000000-0000-4000-8000-000000000000", \
    "/questions/00000000-0000-4000-8000-000000000000", "/themes/00000000-0000-4000-8000-000000000000"
ANY = {"manager", "facilitator", "admin", "leader"}  # people; client-credentials callers are refused
CLIENTS = {"service", "integration"}
LIVE_VIEW = ANY | {"service"}  # the gateway fetches the shared live views once with its service token
FAC = {"facilitator", "admin"}
MATRIX: list[tuple[str, str, set[str]]] = [
    ("POST", f"{E}/prompts", FAC), ("GET", f"{E}/prompts", LIVE_VIEW), ("GET", P, ANY),
    ("POST", f"{P}/open", FAC), ("POST", f"{P}/close", FAC),
    ("POST", f"{E}/evaluation", FAC), ("POST", f"{E}/evaluation/open", FAC), ("POST", f"{E}/evaluation/close", FAC),
    ("POST", f"{P}/responses", ANY), ("GET", f"{P}/responses/mine", ANY), ("GET", f"{P}/texts", FAC | {"leader"}),
    ("GET", f"{P}/results", ANY), ("GET", f"{E}/board", LIVE_VIEW), ("GET", f"{E}/board/changes", LIVE_VIEW),
    ("POST", f"{E}/questions", ANY), ("GET", f"{E}/questions", ANY), ("GET", f"{E}/questions/queue", FAC),
    ("GET", f"{E}/moderation-log", ANY), ("GET", Q, ANY), ("POST", f"{Q}/votes", ANY), ("DELETE", f"{Q}/votes", ANY),
    ("POST", f"{Q}/approve", FAC), ("POST", f"{Q}/hide", FAC), ("POST", f"{Q}/merge", FAC),
    ("POST", f"{Q}/answer", FAC | {"leader"}), ("PUT", f"{Q}/assignee", FAC | {"leader"}),
    ("PUT", f"{Q}/follow-up", {"admin", "leader"}),
    ("GET", f"{E}/themes/suggestions", FAC), ("POST", f"{E}/themes", FAC), ("GET", f"{E}/themes", ANY),
    ("GET", T, ANY), ("PUT", f"{T}/responses", FAC), ("POST", f"{T}/publish", FAC),
    ("GET", f"{E}/anonymity", ANY), ("PUT", f"{E}/anonymity", {"admin"}),
    ("POST", f"{E}/eligibility-tokens", {"admin", "service"}), ("POST", f"{E}/eligibility-tokens/mine", ANY),
    ("POST", f"{E}/retention/run", {"admin"}), ("GET", f"{E}/retention/runs", {"admin"}),
    ("PUT", f"{E}/tables/T1/members", FAC | {"service"}), ("GET", f"{E}/tables", FAC), ("GET", f"{E}/me", ANY),
    ("GET", f"{E}/report", FAC | {"leader"}), ("GET", f"{E}/report.pdf", FAC | {"leader"}),
    ("GET", f"{E}/report/charts/{P.rsplit('/', 1)[1]}.svg", FAC | {"leader"}),
]
PR, W, STAFF = "/processes/proc-authz", "/webhooks/00000000-0000-4000-8000-000000000001", FAC | {"leader"}
INSIGHTS = {"service", "integration"}  # the integration client holds insights:read
PROCESSES: list[tuple[str, str, set[str]]] = [
    ("POST", "/processes", {"admin"}), ("GET", "/processes", ANY), ("GET", PR, ANY), ("PUT", PR, {"admin"}),
    ("GET", f"{PR}/input", STAFF), ("GET", f"{PR}/input/compare", STAFF), ("GET", f"{PR}/trend", STAFF),
    ("PUT", f"{PR}/decisions/skola", {"leader"}), ("GET", f"{PR}/follow-up", ANY), ("GET", f"{PR}/report", STAFF),
    ("GET", f"{PR}/report.pdf", STAFF), ("GET", "/me/notifications", ANY),
    ("POST", "/me/notifications/00000000-0000-4000-8000-000000000002/read", ANY),
    ("POST", "/webhooks", {"admin"}), ("GET", "/webhooks", {"admin"}), ("DELETE", W, {"admin"}),
    ("GET", f"{W}/deliveries", {"admin"}),
    ("POST", f"{W}/deliveries/00000000-0000-4000-8000-000000000003/replay", {"admin"}),
    ("GET", "/integration/processes", INSIGHTS), ("GET", "/integration/processes/proc-authz/insights", INSIGHTS),
    ("GET", "/integration/processes/proc-authz/input", INSIGHTS),
    ("GET", "/integration/processes/proc-authz/export", INSIGHTS),
]
MATRIX += PROCESSES
PU = "/pulses/pulse-authz"  # network pulses: the network service's token, or an admin
MATRIX += [("PUT", PU, {"admin", "service"}), ("POST", f"{PU}/close", {"admin", "service"}),
           ("GET", f"{PU}/results", {"admin", "service"})]


IDS = {"{event_id}": "ev-authz", "{prompt_id}": P.rsplit("/", 1)[1], "{question_id}": Q.rsplit("/", 1)[1],
       "{theme_id}": T.rsplit("/", 1)[1], "{table_id}": "T1", "{action}": "open", "{process_id}": "proc-authz",
       "{subject_id}": "skola", "{notification_id}": "00000000-0000-4000-8000-000000000002",
       "{webhook_id}": W.rsplit("/", 1)[1], "{delivery_id}": "00000000-0000-4000-8000-000000000003"}
IDS["{pulse_id}"] = "pulse-authz"


def test_the_matrix_covers_every_endpoint_in_the_openapi_document(feedback: Feedback) -> None:
    document = feedback.client.get("/openapi.json").json()
    endpoints = set()
    for template, operations in document["paths"].items():
        if template in ("/healthz", "/readyz", "/metrics"):
            continue
        for placeholder, value in IDS.items():
            template = template.replace(placeholder, value)
        endpoints |= {(method.upper(), template) for method in operations}
    covered = {(m, p) for m, p, _ in MATRIX}

    assert endpoints - covered == set() and len(MATRIX) == len(covered)
    summaries = [op["summary"] for ops in document["paths"].values() for op in ops.values()]
    assert [s for s in summaries if not any(w in s for w in ("Roles:", "Any signed-in person", "Anyone"))] == []


@pytest.mark.parametrize(("method", "path", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_each_role_is_let_through_or_refused_as_the_endpoint_states(feedback: Feedback, method: str, path: str,
                                                                   allowed: set[str]) -> None:
    body: dict[str, object] | None = {} if method in ("POST", "PUT") else None
    assert feedback.client.request(method, path, json=body).status_code == 401
    for role in sorted(ANY | CLIENTS):
        if role == "integration":
            response = feedback.client.request(method, path, headers=integration_headers(feedback), json=body)
        else:
            response = feedback.call(method, path, as_=f"authz-{role}", role="" if role == "manager" else role,
                                     json=body)
        refused = response.status_code == 403 and response.json()["detail"].startswith(
            ("This needs one of the roles", "This needs the scope", NOT_A_PERSON,
             "Integration clients may call only"))
        assert refused == (role not in allowed), f"{role}: {response.status_code} {response.text}"
        assert response.status_code != 401


@pytest.mark.parametrize(("method", "path", "allowed"), PROCESSES, ids=[f"{m} {p}" for m, p, _ in PROCESSES])
def test_an_integration_client_is_let_into_the_integration_api_and_nowhere_else_of_processes(
        feedback: Feedback, method: str, path: str, allowed: set[str]) -> None:
    response = feedback.client.request(method, path, headers=integration_headers(feedback), json={})

    assert (response.status_code != 403) == path.startswith("/integration/"), response.text
    assert response.status_code != 401
