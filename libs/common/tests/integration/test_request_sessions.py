"""Request sessions on SQLite under a burst: more writing requests than endpoint threads all commit.

FastAPI validates a sync endpoint's answer on an endpoint thread before the session dependency commits. If writers
waited for SQLite's write lock on those threads, a burst larger than the thread pool would leave the writer that
holds the lock waiting for a thread, while every thread waits for that writer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from samla_common.db import make_engine, make_session_factory, writer_turn
from samla_common.deps import SessionDep
from samla_common.errors import install_problem_handlers

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
metadata = MetaData()
answers = Table("answers", metadata, Column("id", Integer, primary_key=True), Column("text", String(50)))
ENDPOINT_THREADS = 4


class Receipt(BaseModel):
    stored: int


def burst_app(tmp_path: Path) -> FastAPI:
    engine = make_engine(f"sqlite:///{tmp_path / 'requests.db'}")
    metadata.create_all(engine)
    turn = writer_turn(engine)
    assert turn is not None
    turn.timeout = 3  # a deadlock shows as refused requests within seconds, not after the 30 s default

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = ENDPOINT_THREADS
        yield

    app = FastAPI(lifespan=lifespan)
    install_problem_handlers(app)
    app.state.session_factory = make_session_factory(engine)
    app.state.read_session_factory = make_session_factory(engine, read_only=True)

    @app.post("/answers", response_model=Receipt)
    def answer(session: SessionDep) -> Receipt:  # sync, as the services' endpoints are
        session.execute(insert(answers).values(text="ja"))
        return Receipt(stored=session.scalar(select(func.count()).select_from(answers)) or 0)

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

