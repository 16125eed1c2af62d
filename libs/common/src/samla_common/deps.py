"""FastAPI dependency aliases shared by the services (STYLE: full-stack-fastapi-template)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Annotated, Any

import anyio
from anyio import CapacityLimiter
from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import TURN_HELD, writer_turn
from samla_common.errors import Unavailable

READING_METHODS = ("GET", "HEAD")
# Threads of their own for waiting and finishing, apart from the pool that runs endpoints: a request holding
# SQLite's writer turn must never wait for an endpoint thread that is itself waiting for the turn.
_WAITING = CapacityLimiter(2000)
_FINISHING = CapacityLimiter(200)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, committed before the response is sent (scope="function").

    Reading requests get a read-only session (SQLite: they read beside writers instead of queueing). On SQLite a
    writing request first waits for the engine's writer turn, off the endpoint threads, and keeps it until its
    transaction ends: FastAPI validates a sync endpoint's answer on an endpoint thread before the dependency
    commits, so a writer that took the turn inside the endpoint could wait for a thread that waits for it.
    """
    state = request.app.state
    reading = request.method in READING_METHODS and hasattr(state, "read_session_factory")
    factory: sessionmaker[Session] = state.read_session_factory if reading else state.session_factory
    turn = None if reading else writer_turn(factory.kw["bind"])
    open_session: Callable[[], Session] = factory
    if turn is not None:
        if not await anyio.to_thread.run_sync(turn.acquire_for_request, f"{request.method} {request.url.path}",
                                              limiter=_WAITING):
            raise Unavailable("The service is too busy to save this right now. Nothing was saved; try again "
                                     "in a moment.")
        open_session = _turn_held_factory(state, factory)
    session = open_session()
    try:
        try:
            yield session
            await anyio.to_thread.run_sync(session.commit, limiter=_FINISHING)
        except BaseException:
            await anyio.to_thread.run_sync(session.rollback, limiter=_FINISHING)
            raise
        finally:
            await anyio.to_thread.run_sync(session.close, limiter=_FINISHING)
    finally:
        if turn is not None:
            turn.release_for_request()


def _turn_held_factory(state: Any, factory: sessionmaker[Session]) -> Callable[[], Session]:
    """Sessions of `factory` whose transactions begin without taking the turn (the request holds it). Same factory,
    so its listeners (the relay's wake-up on commit) see them too."""
    held: Engine | None = getattr(state, "turn_held_bind", None)
    if held is None:
        held = factory.kw["bind"].execution_options(**{TURN_HELD: True})
        state.turn_held_bind = held
    return partial(factory, bind=held)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
