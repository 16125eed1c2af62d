"""Hostile input against every service (issue 9): oversized and chunked bodies, deep JSON, invalid UTF-8, and names
that try to break out of a header or a path. Each must end in a 4xx problem a person can act on, never a 5xx."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from services.events.tests.support.issuer import LocalIssuer
from tests.fuzz.checks import problem_failure

pytestmark = pytest.mark.integration

MiB = 2**20


def json_write(client: TestClient) -> tuple[str, str]:
    """The service's first operation that takes a JSON body (its path parameters filled in)."""
    for path, operations in client.app.openapi()["paths"].items():  # type: ignore[attr-defined]
        for method, operation in operations.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                return method.upper(), re.sub(r"\{\w+\}", "x-1", path)
    raise AssertionError("no operation takes a JSON body")


@pytest.fixture
def admin(fuzz_issuer: LocalIssuer) -> dict[str, str]:
    token = fuzz_issuer.token(sub="p-hostile-admin", roles=["samla-admin"], azp="samla-gateway")
    return {"authorization": f"Bearer {token}", "content-type": "application/json"}


def assert_problem(response: object, *statuses: int) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    assert status in statuses, (status, response.text[:300])  # type: ignore[attr-defined]
    failure = problem_failure(status, response.headers.get("content-type", ""), response.content)  # type: ignore[attr-defined]
    assert failure is None, failure


def test_a_body_over_the_limit_is_refused_with_a_413_problem(service: tuple[str, TestClient],
                                                             admin: dict[str, str]) -> None:
    _, client = service
    method, path = json_write(client)

    response = client.request(method, path, content=b"x" * (2 * MiB + 1), headers=admin)

    assert_problem(response, 413)
    assert "larger than 2 MB" in response.json()["detail"]


def test_a_chunked_body_that_declares_no_length_is_cut_off_at_the_limit(service: tuple[str, TestClient],
                                                                        admin: dict[str, str]) -> None:
    _, client = service
    method, path = json_write(client)

    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * (64 * 1024)  # 2.5 MB in all, never announced

    response = client.request(method, path, content=chunks(), headers=admin)

    assert_problem(response, 413)


def test_a_body_just_under_the_limit_reaches_the_endpoint(service: tuple[str, TestClient],
                                                          admin: dict[str, str]) -> None:
    _, client = service
    method, path = json_write(client)

    response = client.request(method, path, content=b'{"x": "' + b"a" * (MiB) + b'"}', headers=admin)

    assert response.status_code != 413 and response.status_code < 500, response.text[:300]


def test_deeply_nested_json_is_a_4xx_problem(service: tuple[str, TestClient], admin: dict[str, str]) -> None:
    _, client = service
    method, path = json_write(client)

    response = client.request(method, path, content=b"[" * 50_000 + b"]" * 50_000, headers=admin)

    assert_problem(response, 400, 405, 422)


def test_invalid_utf8_is_a_4xx_problem(service: tuple[str, TestClient], admin: dict[str, str]) -> None:
    _, client = service
    method, path = json_write(client)

    response = client.request(method, path, content=b'{"name": "\xff\xfe\xc3("}', headers=admin)

    assert_problem(response, 400, 405, 422)


@pytest.mark.parametrize("evil", ['a"\r\nSet-Cookie: x=1', "../../etc/passwd", "a%0d%0aX-Injected: 1"])
def test_ids_that_end_up_in_file_names_cannot_break_out_of_a_header_or_a_path(
        service: tuple[str, TestClient], admin: dict[str, str], evil: str) -> None:
    """Export file names are built from event and process ids; an id with a quote, CR/LF or a slash is refused
    before any file or header is made."""
    name, client = service
    evil = quote(evil, safe="")  # as a browser or proxy would send it; the service sees it decoded
    paths = {"events": [f"/events/{evil}/exports/participants.csv", f"/events/{evil}/exports/dietary.xlsx"],
             "feedback": [f"/processes/{evil}/report.pdf", f"/integration/processes/{evil}/export?format=csv",
                          f"/events/{evil}/report.pdf"],
             "identity": [f"/people/{evil}/export"], "network": []}[name]
    for path in paths:
        response = client.get(path, headers=admin)
        assert response.status_code in (400, 403, 404, 422), (path, response.status_code, response.text[:300])
        assert "set-cookie" not in response.headers and "x-injected" not in response.headers
        assert "\r" not in response.headers.get("content-disposition", "")
