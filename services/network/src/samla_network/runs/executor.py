"""Runs matching in worker threads: progress goes to the database (for polling) and to live listeners (gRPC).

A stop can come from any replica: the HTTP or gRPC stop marks the run in the database, and the worker reads
that mark each time it stores progress. A stop in this process also sets the worker's event at once.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_network.matching import MatchingInfeasible
from samla_network.runs import service
from samla_network.runs.solve import solve

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tick:
    fraction: float
    best_objective: float
    upper_bound: float | None
    done: bool = False


class Executor:
    """One per app: the runs this process is working on, their stop events and their listeners."""

    def __init__(self, *, write_every: float) -> None:
        self._factory: sessionmaker[Session] | None = None
        self.write_every = write_every
        self._lock = threading.Lock()
        self._stops: dict[str, threading.Event] = {}
        self._listeners: dict[str, list[queue.Queue[Tick]]] = {}

    def bind(self, session_factory: sessionmaker[Session]) -> None:
        """The app's session factory (it exists only once the app is created)."""
        self._factory = session_factory

    @property
    def session_factory(self) -> sessionmaker[Session]:
        if self._factory is None:
            raise RuntimeError("Executor.bind was not called")
        return self._factory

    def launch(self, run_id: str, listener: queue.Queue[Tick] | None = None) -> None:
        """Starts the worker for a run already marked running (service.start)."""
        stop = threading.Event()
        with self._lock:
            self._stops[run_id] = stop
            self._listeners[run_id] = [listener] if listener is not None else []
        threading.Thread(target=self._work, args=(run_id, stop), name=f"matching-{run_id[:8]}",
                         daemon=True).start()

    def stop(self, run_id: str) -> None:
        with self._lock:
            event = self._stops.get(run_id)
        if event is not None:
            event.set()

    def is_running_here(self, run_id: str) -> bool:
        with self._lock:
            return run_id in self._stops

    def _emit(self, run_id: str, tick: Tick) -> None:
        with self._lock:
            listeners = list(self._listeners.get(run_id, []))
        for listener in listeners:
            listener.put(tick)

    def _work(self, run_id: str, stop: threading.Event) -> None:
        last_write = 0.0
        best: dict[str, Any] = {"objective": None, "bound": None}

        def progress(fraction: float, objective: float, bound: float | None) -> None:
            nonlocal last_write
            best["objective"], best["bound"] = objective, bound if bound is not None else best["bound"]
            self._emit(run_id, Tick(fraction, objective, best["bound"]))
            now = time.monotonic()
            if now - last_write >= self.write_every:
                last_write = now
                with unit_of_work(self.session_factory) as session:
                    if service.record_progress(session=session, run_id=run_id, fraction=fraction,
                                               best_objective=objective, upper_bound=best["bound"]):
                        stop.set()

        try:
            with self.session_factory() as session:
                run = service.get(session=session, run_id=run_id)
                kind, inputs, parameters = run.kind, run.inputs, run.parameters
            try:
                result = solve(kind=kind, inputs=inputs, parameters=parameters, stop=stop, progress=progress)
                error = None
            except MatchingInfeasible as exc:
                result, error = None, service.infeasible_error(exc)
            except Exception as exc:
                log.exception("matching run %s failed", run_id)
                result, error = None, {"detail": f"The run failed unexpectedly ({type(exc).__name__}). "
                                                 "Try again; if it fails again, report it."}
            with unit_of_work(self.session_factory) as session:
                service.finish(session=session, run_id=run_id, result=result, error=error)
            final = result or {}
            self._emit(run_id, Tick(1.0, float(final.get("objective") or best["objective"] or 0.0),
                                    final.get("upper_bound", best["bound"]), done=True))
        finally:
            with self._lock:
                self._stops.pop(run_id, None)
                self._listeners.pop(run_id, None)
