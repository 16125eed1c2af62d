"""Request sessions on SQLite under a burst: more writing requests than endpoint threads all commit.

FastAPI validates a sync endpoint's answer on an endpoint thread before the session dependency commits. If writers
waited for SQLite's write lock on those threads, a burst larger than the thread pool would leave the writer that
holds the lock waiting for a thread, while every thread waits for that writer.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, func, insert, select
from sqlalchemy.orm import Session

from samla_common import deps
from samla_common.db import make_engine, make_session_factory, writer_turn
from samla_common.deps import SessionDep, in_own_transaction
from samla_common.errors import Conflict, install_problem_handlers

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
metadata = MetaData()
answers = Table("answers", metadata, Column("id", Integer, primary_key=True), Column("text", String(50)))
threads = Table("threads", metadata, Column("id", Integer, primary_key=True),
               Column("answer_id", Integer, ForeignKey("answers.id", deferrable=True, initially="DEFERRED")))
ENDPOINT_THREADS = 4


class Receipt(BaseModel):
    stored: int


def burst_app(tmp_path: Path, **engine_options: Any) -> FastAPI:
    engine = make_engine(f"sqlite:///{tmp_path / 'requests.db'}", **engine_options)
    metadata.create_all(engine)
    turn = writer_turn(engine)
    assert turn is not None
    turn.timeout = 3  # a deadlock shows as refused requests within seconds, not after the 30 s default

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = ENDPOINT_THREADS
        yield

    app = FastAPI(lifespan=lifespan)
    app.state.engine = engine
    install_problem_handlers(app)
    app.state.session_factory = make_session_factory(engine)
    app.state.read_session_factory = make_session_factory(engine, read_only=True)

    @app.post("/answers", response_model=Receipt)
    def answer(session: SessionDep) -> Receipt:  # sync, as the services' endpoints are
        session.execute(insert(answers).values(text="ja"))
        return Receipt(stored=session.scalar(select(func.count()).select_from(answers)) or 0)

    @app.post("/quick-answers", response_model=Receipt)
    async def quick_answer(request: Request) -> Receipt:  # as the feedback service's answers are
        def work(session: Session) -> Receipt:
            session.execute(insert(answers).values(text="snabbt"))
            return Receipt(stored=session.scalar(select(func.count()).select_from(answers)) or 0)
        return await in_own_transaction(request, work)

    @app.post("/failing-answers", response_model=Receipt)
    def failing_answer(session: SessionDep) -> Receipt:
        session.execute(insert(answers).values(text="halvt"))
        raise Conflict("The answer was refused after it was written.")

    @app.post("/answers-failing-at-commit", response_model=Receipt)
    def answer_failing_at_commit(session: SessionDep) -> Receipt:
        session.execute(insert(answers).values(text="med en tråd"))
        session.execute(insert(threads).values(answer_id=10**9))  # a deferred check: fails only at commit
        return Receipt(stored=0)

    @app.get("/answers", response_model=Receipt)
    def count(session: SessionDep) -> Receipt:
        return Receipt(stored=session.scalar(select(func.count()).select_from(answers)) or 0)

    return app


async def test_a_burst_larger_than_the_thread_pool_all_commits(tmp_path: Path) -> None:
    app = burst_app(tmp_path)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://samla") as client:
            responses = await asyncio.gather(*(client.post("/answers") for _ in range(12 * ENDPOINT_THREADS)))
            stored = (await client.get("/answers")).json()["stored"]

    assert [r.status_code for r in responses] == [200] * 12 * ENDPOINT_THREADS
    assert stored == 12 * ENDPOINT_THREADS


async def test_own_transactions_and_request_sessions_mixed_in_a_burst_all_commit(tmp_path: Path) -> None:
    """Answers in their own transactions wait for the turn on threads of their own and before they take a
    connection: with fewer endpoint threads and pooled connections than waiting answers, a request session that
    holds the turn still gets the thread and the connection it needs."""
    app = burst_app(tmp_path, pool_size=2, max_overflow=0, pool_timeout=3)
    paths = ["/quick-answers", "/quick-answers", "/answers"] * 4 * ENDPOINT_THREADS
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://samla") as client:
            responses = await asyncio.gather(*(client.post(path) for path in paths))
            stored = (await client.get("/answers")).json()["stored"]

    assert [r.status_code for r in responses] == [200] * len(paths), {r.text for r in responses}
    assert stored == len(paths)


async def test_a_request_that_fails_or_whose_commit_fails_leaves_nothing_and_frees_what_it_held(
        tmp_path: Path) -> None:
    app = burst_app(tmp_path)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://samla") as client:
            refused = await client.post("/failing-answers")
            broken = await client.post("/answers-failing-at-commit")
            stored_after_failures = (await client.get("/answers")).json()["stored"]
            later = await client.post("/answers")  # the writer turn was given back

    assert refused.status_code == 409 and "refused after it was written" in refused.json()["detail"]
    assert broken.status_code == 500
    assert stored_after_failures == 0
    assert later.status_code == 200 and later.json()["stored"] == 1
    assert app.state.engine.pool.checkedout() == 0


async def test_a_request_cancelled_while_it_waits_to_commit_still_ends_its_transaction(tmp_path: Path) -> None:
    """The request is cancelled (a server that stops, a task group) just as its endpoint is done: the transaction
    still ends, and the connection and SQLite's write lock are given back instead of waiting for the garbage
    collector. Driven through the dependency itself: an in-process transport runs the app outside the caller's
    cancel scope."""
    app = burst_app(tmp_path)
    request = Request({"type": "http", "method": "POST", "path": "/answers", "app": app, "headers": [],
                       "query_string": b""})
    finishing = deps._FINISHING
    holders = [object() for _ in range(int(finishing.total_tokens))]
    async with app.router.lifespan_context(app):
        dependency = deps.get_session(request)
        session = await dependency.__anext__()
        session.execute(insert(answers).values(text="klart"))  # the endpoint's work, done
        for holder in holders:  # every finishing thread is busy: the request waits right before its commit
            await finishing.acquire_on_behalf_of(holder)
        scope = anyio.CancelScope()

        async def finish() -> None:
            with scope, contextlib.suppress(StopAsyncIteration):
                await dependency.__anext__()

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(finish)
            while finishing.statistics().tasks_waiting == 0:
                await anyio.sleep(0.01)
            scope.cancel()
            await anyio.sleep(0.05)
            for holder in holders:
                finishing.release_on_behalf_of(holder)
        connections_held = app.state.engine.pool.checkedout()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://samla") as client:
            later = await client.post("/answers")

    assert scope.cancel_called
    assert connections_held == 0
    assert later.status_code == 200 and later.json()["stored"] == 2  # the endpoint had finished: its answer counts
