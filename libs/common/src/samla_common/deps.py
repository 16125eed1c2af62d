"""FastAPI dependency aliases shared by the services (STYLE: full-stack-fastapi-template)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Annotated, Any, TypeVar

import anyio
from anyio import CapacityLimiter
from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import TURN_HELD, unit_of_work, writer_turn
from samla_common.errors import BUSY, Unavailable

T = TypeVar("T")
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
            raise Unavailable(BUSY)
        open_session = _turn_held_factory(state, factory)
    session = open_session()
    succeeded = False
    try:
        yield session
        succeeded = True
    finally:
        # Shielded: a request cancelled here (its caller left, the server stops) still ends its transaction and
        # closes the session; unshielded, the hop would be refused before it starts, and on SQLite the abandoned
        # transaction would keep the database's write lock until the garbage collector found it.
        try:
            with anyio.CancelScope(shield=True):
                await anyio.to_thread.run_sync(_finish, session, succeeded, limiter=_FINISHING)
        finally:
            if turn is not None:
                turn.release_for_request()


def _finish(session: Session, commit: bool) -> None:
    """Ends the request's transaction (commit, or roll back when the request failed or the commit did) and closes
    the session, in one hand-over to a thread: each hand-over costs the event loop a wake-up, on every request."""
    try:
        if commit:
            try:
                session.commit()
            except BaseException:
                session.rollback()
                raise
        else:
            session.rollback()
    finally:
        session.close()


def _turn_held_factory(state: Any, factory: sessionmaker[Session]) -> Callable[[], Session]:
    """Sessions of `factory` whose transactions begin without taking the turn (the request holds it). Same factory,
    so its listeners (the relay's wake-up on commit) see them too."""
    held: Engine | None = getattr(state, "turn_held_bind", None)
    if held is None:
        held = factory.kw["bind"].execution_options(**{TURN_HELD: True})
        state.turn_held_bind = held
    return partial(factory, bind=held)


async def in_own_transaction(request: Request, work: Callable[[Session], T]) -> T:
    """Runs `work` in one transaction on one thread, for the hottest writes of the day (answers, votes).

    With `SessionDep` a writing request holds SQLite's writer turn from before its endpoint until the dependency
    commits, across several hand-overs between threads and the event loop; under a burst each hand-over waits
    behind hundreds of other requests on the loop, and the turn (and with it every other writer) waits that long.
    Here one thread waits for the turn, does the work, commits and gives the turn back, without the loop: the turn
    covers the database work only. The thread comes from the waiting pool, not the endpoints' pool, and waits for
    the turn before it takes a connection, so neither endpoint threads nor pooled connections can run out while a
    request that holds the turn needs one. Call it from an `async def` endpoint; `work` must not keep the session.
    """
    factory: sessionmaker[Session] = request.app.state.session_factory
    label = f"{request.method} {request.url.path}"

    def run() -> T:
        turn = writer_turn(factory.kw["bind"])
        if turn is None:
            with unit_of_work(factory) as session:
                return work(session)
        if not turn.acquire_for_request(label):
            raise Unavailable(BUSY)
        try:
            with unit_of_work(_turn_held_factory(request.app.state, factory)) as session:
                return work(session)
        finally:
            turn.release_for_request()

    return await anyio.to_thread.run_sync(run, limiter=_WAITING)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
