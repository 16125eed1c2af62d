"""Unexpected failures answer as problems too: a bug says little, a database that is away says when to retry."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError, OperationalError, PendingRollbackError

from samla_common.errors import CLIENT_CLOSED, PROBLEM_JSON, install_problem_handlers


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/bug")
    def bug() -> None:
        raise RuntimeError("Karin Lindqvist p-199001011234")

    @app.get("/database-away")
    def database_away() -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))

    @app.get("/session-ended")
    def session_ended() -> None:
        raise PendingRollbackError("Can't reconnect until invalid transaction is rolled back")

    @app.get("/constraint")
    def constraint() -> None:
        raise IntegrityError("INSERT INTO people VALUES (?)", ("Karin Lindqvist",), Exception("unique"))

    return TestClient(app, raise_server_exceptions=False)


def test_a_bug_answers_a_500_problem_without_what_the_exception_held(client: TestClient) -> None:
    response = client.get("/bug")

    assert (response.status_code, response.headers["content-type"]) == (500, PROBLEM_JSON)
    assert "Karin" not in response.text and "p-1990" not in response.text


@pytest.mark.parametrize("path", ["/database-away", "/session-ended"])
def test_a_database_that_refuses_or_drops_connections_answers_503_with_retry_after(client: TestClient,
                                                                                  path: str) -> None:
    response = client.get(path)

    assert (response.status_code, response.headers["retry-after"]) == (503, "5")
    assert "try again" in response.json()["detail"]


def test_another_database_error_is_a_500_without_the_sql_or_its_values(client: TestClient) -> None:
    response = client.get("/constraint")

    assert response.status_code == 500
    assert "INSERT" not in response.text and "Karin" not in response.text


def test_an_unknown_address_or_method_says_what_to_check(client: TestClient) -> None:
    missing, wrong_method = client.get("/no-such-thing"), client.post("/bug")

    assert missing.status_code == 404 and "/no-such-thing" in missing.json()["detail"]
    assert wrong_method.status_code == 405 and "does not accept POST" in wrong_method.json()["detail"]


def test_no_free_database_connection_answers_a_503_to_try_again(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{tmp_path / 'busy.db'}", pool_size=1, max_overflow=0, pool_timeout=0.1)
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/save")
    def save() -> None:
        with engine.connect() as conn:  # the pool's only connection is taken: a real pool timeout
            conn.execute(text("SELECT 1"))

    held = engine.connect()
    try:
        response = TestClient(app, raise_server_exceptions=False).get("/save")
    finally:
        held.close()
        engine.dispose()

    assert (response.status_code, response.headers["content-type"]) == (503, PROBLEM_JSON)
    assert response.headers["retry-after"] == "5" and "Nothing was saved" in response.json()["detail"]


def test_a_caller_that_leaves_before_its_body_arrives_is_a_499_and_no_error(caplog: pytest.LogCaptureFixture) -> None:
    """Under a burst phones give up mid-request; that is nobody's error (it used to be a logged 500 each)."""
    app = FastAPI()
    install_problem_handlers(app)
    read: list[bytes] = []

    @app.post("/answers")
    async def answer(request: Request) -> None:
        read.append(await request.body())

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}  # the body never comes

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/answers", "raw_path": b"/answers", "query_string": b"", "root_path": "",
             "headers": [(b"content-length", b"100")], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}

    asyncio.run(app(scope, receive, send))

    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [CLIENT_CLOSED] and not read
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")]
