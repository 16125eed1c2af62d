"""SQLite under a burst: writers take turns instead of giving up, and readers do not wait for writers."""

from __future__ import annotations

import threading
import time
import warnings
from pathlib import Path
from typing import Any

import anyio
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, event, func, insert, select

from samla_common.db import make_engine, make_session_factory

pytestmark = pytest.mark.integration
metadata = MetaData()
answers = Table("answers", metadata, Column("id", Integer, primary_key=True), Column("text", String(50)))


def engine_without_busy_wait(tmp_path: Path) -> Any:
    """An engine as services get it, but SQLite gives up at once on a lock: only the writer turn can serialise."""
    engine = make_engine(f"sqlite:///{tmp_path / 'burst.db'}")

    @event.listens_for(engine, "connect")
    def _no_busy_wait(dbapi_conn: Any, _: Any) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=0")

    metadata.create_all(engine)
    return engine


def test_a_burst_of_concurrent_writers_all_commit(tmp_path: Path) -> None:
    engine = engine_without_busy_wait(tmp_path)
    sessions = make_session_factory(engine)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(15):
                with sessions() as session:
                    session.execute(insert(answers).values(text=f"{worker}-{n}"))
                    time.sleep(0.001)  # hold the transaction a little, so writers overlap
                    session.commit()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(answers))
    assert errors == [] and stored == 12 * 15
    engine.dispose()


def test_a_reading_session_reads_while_a_writer_holds_its_transaction(tmp_path: Path) -> None:
    engine = engine_without_busy_wait(tmp_path)
    writing, reading = make_session_factory(engine), make_session_factory(engine, read_only=True)
    with writing() as session:
        session.execute(insert(answers).values(text="committed"))
        session.commit()

    with writing() as writer:
        writer.execute(insert(answers).values(text="not yet committed"))  # holds the write lock and the turn
        with reading() as reader:
            seen = reader.scalars(select(answers.c.text)).all()
        writer.commit()

    assert seen == ["committed"]
    engine.dispose()


def test_a_failed_transaction_gives_the_turn_back(tmp_path: Path) -> None:
    engine = engine_without_busy_wait(tmp_path)
    sessions = make_session_factory(engine)

    with pytest.raises(RuntimeError), sessions() as session:
        session.execute(insert(answers).values(text="rolled back"))
        raise RuntimeError("the request failed")

    with sessions() as session:  # would wait for a turn nobody gives back, then fail
        session.execute(insert(answers).values(text="next"))
        session.commit()
        assert session.scalars(select(answers.c.text)).all() == ["next"]
    engine.dispose()


def test_a_writer_that_waits_too_long_is_told_which_request_holds_the_turn(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from sqlalchemy.exc import OperationalError

    from samla_common.db import writer_turn

    engine = engine_without_busy_wait(tmp_path)
    turn = writer_turn(engine)
    assert turn is not None
    turn.timeout = 0.2
    assert turn.acquire_for_request("POST /prompts/p-1/responses")  # a request holds the turn
    try:
        with caplog.at_level("ERROR", logger="samla_common.db"), pytest.raises(OperationalError), \
                make_session_factory(engine)() as session:
            session.execute(insert(answers).values(text="waits"))
    finally:
        turn.release_for_request()
    assert "belongs to the request POST /prompts/p-1/responses" in caplog.text
    engine.dispose()


def test_returning_a_connection_to_the_pool_warns_nothing(tmp_path: Path) -> None:
    """A pool listener SQLAlchemy could not match to the event's signature warned on every request."""
    engine = make_engine(f"sqlite:///{tmp_path / 'quiet.db'}")
    metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # the pool catches what a listener raises, so record instead of raise
        with sessions() as session:
            session.execute(insert(answers).values(text="ett svar"))
            session.commit()
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(answers)) == 1
    assert [str(w.message) for w in caught] == []


async def _worker_threads() -> int:
    return int(anyio.to_thread.current_default_thread_limiter().total_tokens)


def test_a_second_burst_as_wide_as_the_worker_threads_opens_no_new_connections(tmp_path: Path) -> None:
    """Opening a SQLite connection costs more CPU than a short request: the pool keeps what a burst opened."""
    engine = make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    metadata.create_all(engine)
    readers = make_session_factory(engine, read_only=True)  # readers run side by side; writers take turns
    opened: list[int] = []
    event.listen(engine, "connect", lambda *_: opened.append(1))
    width = anyio.run(_worker_threads)  # as many requests as can run at once

    errors: list[BaseException] = []

    def burst() -> None:
        together = threading.Barrier(width)

        def read() -> None:
            try:
                with readers() as session:
                    session.execute(select(func.count()).select_from(answers)).scalar()
                    together.wait(timeout=30)  # every connection is out of the pool at the same moment
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=read) for _ in range(width)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    try:
        burst()
        first = len(opened)
        burst()
    finally:
        engine.dispose()
    assert errors == []
    assert first >= width - 1  # the burst really held that many at once (one came from create_all)
    assert len(opened) == first
