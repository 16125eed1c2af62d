"""Runs left "running" by a process that is gone are marked `interrupted`, with a message, so an admin can start
them again instead of waiting on a progress bar that never moves.

A run's worker is a thread of the process that started it and dies with that process. Other replicas may be
working on runs of their own, so a run counts as lost only when it is not running in this process and is past
its time budget plus a grace period: the budget bounds the search, so no live worker runs that long. The check
runs once when the service starts (runs from before a crash are marked before the first request is served) and
then every `run_watchdog_seconds` (a run lost by another replica, or started just before a quick restart).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from samla_common.db import unit_of_work
from samla_network.config import Settings
from samla_network.runs.models import INTERRUPTED, RUNNING, MatchingRun
from samla_network.topics import iso, utcnow

log = logging.getLogger(__name__)

INTERRUPTED_DETAIL = ("The service stopped while this run was running, so it did not finish. Start it again; "
                      "its population and parameters are kept.")


def _deadline(run: MatchingRun, *, grace: float) -> datetime:
    started = run.started_at or run.created_at
    if started.tzinfo is None:  # SQLite hands back naive datetimes; they were stored in UTC
        started = started.replace(tzinfo=UTC)
    budget = float(run.parameters.get("time_budget_seconds", 5.0))
    return started + timedelta(seconds=budget + grace)


def interrupt_lost(*, session: Session, now: datetime, grace: float,
                   running_here: Callable[[str], bool]) -> list[str]:
    """Marks running runs no live worker can still be working on as interrupted; returns their ids."""
    lost = []
    for run in session.scalars(select(MatchingRun).where(MatchingRun.status == RUNNING).with_for_update()):
        if running_here(run.id) or now < _deadline(run, grace=grace):
            continue
        run.status, run.stop_requested, run.finished_at = INTERRUPTED, False, now
        run.error = {"detail": INTERRUPTED_DETAIL, "interrupted_at": iso(now)}
        lost.append(run.id)
    return lost


def start(app: FastAPI) -> None:
    """on_startup hook: marks lost runs at once, then keeps watching until the app's engine is disposed."""
    settings: Settings = app.state.settings
    executor = getattr(app.state, "executor", None)
    running_here: Callable[[str], bool] = executor.is_running_here if executor is not None else (lambda _: False)

    def check() -> None:
        with unit_of_work(app.state.session_factory) as session:
            lost = interrupt_lost(session=session, now=utcnow(), grace=settings.run_grace_seconds,
                                  running_here=running_here)
        if lost:
            log.warning("matching runs interrupted (their worker is gone): %s", ", ".join(lost))

    check()
    stop = threading.Event()
    event.listen(app.state.engine, "engine_disposed", lambda _engine: stop.set(), once=True)

    def loop() -> None:
        while not stop.wait(settings.run_watchdog_seconds):
            try:
                check()
            except Exception:
                log.exception("checking for interrupted matching runs failed; retrying")

    threading.Thread(target=loop, name="network-run-watchdog", daemon=True).start()
