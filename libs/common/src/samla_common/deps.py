"""FastAPI dependency aliases shared by the services (STYLE: full-stack-fastapi-template)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

READING_METHODS = ("GET", "HEAD")


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request, committed before the response is sent (scope="function"). Reading requests
    get a read-only session when the app has one (SQLite: they then read beside writers instead of queueing)."""
    state = request.app.state
    reading = request.method in READING_METHODS and hasattr(state, "read_session_factory")
    session: Session = (state.read_session_factory if reading else state.session_factory)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
