"""The authorization matrix: every endpoint against every role (DESIGN §7). Allowed callers get past the role
check (to a 404 or 422 for the made-up ids used here); everyone else gets a 403; nobody unsigned."""

from __future__ import annotations

import pytest

from .conftest import Network

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("network", ["sqlite"], indirect=True)]
R, G = "/runs/00000000-0000-4000-8000-000000000000", "/groups/00000000-0000-4000-8000-000000000001"
PU = "/pulses/00000000-0000-4000-8000-000000000002"
ROLES = {"manager", "facilitator", "admin", "leader", "service"}
PEOPLE = ROLES - {"service"}  # person endpoints refuse client-credentials tokens
ADMIN = {"admin"}
# Group endpoints open to members check membership after the role: an unknown group is 404 for any person.
MATRIX: list[tuple[str, str, set[str]]] = [
    ("POST", "/runs", ADMIN), ("GET", "/runs", ADMIN), ("GET", R, ADMIN), ("POST", f"{R}/start", ADMIN),
    ("GET", f"{R}/status", ADMIN), ("POST", f"{R}/stop", ADMIN), ("POST", f"{R}/swaps/preview", ADMIN),
    ("POST", f"{R}/swaps", ADMIN), ("POST", f"{R}/publish", ADMIN),
    ("GET", "/groups", ADMIN), ("GET", G, PEOPLE), ("GET", f"{G}/meetings", PEOPLE),
    ("POST", f"{G}/meetings", PEOPLE), ("PUT", f"{G}/check-ins/mine", PEOPLE), ("POST", f"{G}/leave", PEOPLE),
    ("POST", f"{G}/remove", ADMIN), ("POST", f"{G}/dissolve", ADMIN), ("POST", f"{G}/merge", ADMIN),
    ("GET", "/me/networks", PEOPLE), ("GET", "/me/profile", PEOPLE), ("PUT", "/me/profile", PEOPLE),
    ("GET", "/profile/options", PEOPLE), ("POST", "/leadership-draws", ADMIN), ("GET", "/leadership-draws", ADMIN),
    ("GET", "/health-view", ADMIN), ("POST", "/pulses", ADMIN), ("GET", "/pulses", ADMIN), ("GET", PU, ADMIN),
    ("POST", f"{PU}/close", ADMIN), ("GET", "/me/pulses", PEOPLE),
]
IDS = {"{run_id}": R.rsplit("/", 1)[1], "{group_id}": G.rsplit("/", 1)[1], "{pulse_id}": PU.rsplit("/", 1)[1]}


def test_the_matrix_covers_every_endpoint_in_the_openapi_document(network: Network) -> None:
    document = network.client.get("/openapi.json").json()
    endpoints = set()
    for template, operations in document["paths"].items():
        if template in ("/healthz", "/readyz", "/metrics"):
            continue
        for placeholder, value in IDS.items():
            template = template.replace(placeholder, value)
        endpoints |= {(method.upper(), template) for method in operations}
    covered = {(m, p) for m, p, _ in MATRIX}

    assert endpoints == covered and len(MATRIX) == len(covered)
    summaries = [op["summary"] for ops in document["paths"].values() for op in ops.values()]
    assert [s for s in summaries if not any(w in s for w in ("Roles:", "Any signed-in person", "Anyone"))] == []


@pytest.mark.parametrize(("method", "path", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_each_role_is_let_through_or_refused_as_the_endpoint_states(network: Network, method: str, path: str,
                                                                   allowed: set[str]) -> None:
    body: dict[str, object] | None = {} if method in ("POST", "PUT") else None
    assert network.client.request(method, path, json=body).status_code == 401
    for role in sorted(ROLES):
        response = network.call(method, path, as_=f"authz-{role}", role="" if role == "manager" else role,
                                 json=body)
        assert (response.status_code == 403) == (role not in allowed), f"{role}: {response.status_code} {response.text}"
        assert response.status_code != 401
