"""gRPC `samla.network.v1.NetworkService`: run a prepared matching run with streamed progress, or stop it."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import NoReturn

import grpc
from sqlalchemy.orm import Session, sessionmaker

from samla_common.auth import ADMIN, SERVICE, current_grpc_principal
from samla_common.config import ServiceSettings
from samla_common.db import unit_of_work
from samla_common.errors import DomainError
from samla_contracts.proto.samla.network.v1 import network_pb2 as pb
from samla_contracts.proto.samla.network.v1 import network_pb2_grpc as pb_grpc
from samla_network.runs import service as runs
from samla_network.runs.executor import Executor, Tick


def _abort(context: grpc.ServicerContext, exc: DomainError) -> NoReturn:
    context.abort(exc.grpc_code, exc.detail)
    raise AssertionError("abort raises") from exc


def _allowed(context: grpc.ServicerContext) -> None:
    principal = current_grpc_principal.get()
    if principal is None or not principal.has_any([ADMIN, SERVICE]):
        context.abort(grpc.StatusCode.PERMISSION_DENIED, "only admins and Samla services may run matching")


class NetworkServicer(pb_grpc.NetworkServiceServicer):
    def __init__(self, session_factory: sessionmaker[Session], executor: Executor) -> None:
        self.session_factory = session_factory
        self.executor = executor

    def RunMatching(self, request: pb.RunMatchingRequest,
                    context: grpc.ServicerContext) -> Iterator[pb.MatchingProgress]:
        """Starts the run and streams its progress. A caller that goes away does not stop the run: it finishes
        within its time budget and its result is stored (StopMatching or HTTP stop ends it early)."""
        # Settled here, not in the generator: the caller's principal is set only while this call runs.
        _allowed(context)
        try:
            with unit_of_work(self.session_factory) as session:
                runs.start(session=session, run_id=request.run_id)
        except DomainError as exc:
            _abort(context, exc)
        ticks: queue.Queue[Tick] = queue.Queue()
        self.executor.launch(request.run_id, listener=ticks)
        return self._stream(ticks, context)

    def _stream(self, ticks: queue.Queue[Tick], context: grpc.ServicerContext) -> Iterator[pb.MatchingProgress]:
        while True:
            try:
                tick = ticks.get(timeout=0.2)
            except queue.Empty:
                if not context.is_active():
                    return
                continue
            yield pb.MatchingProgress(fraction=tick.fraction, best_objective=tick.best_objective,
                                      upper_bound=tick.upper_bound or 0.0, done=tick.done)
            if tick.done:
                return

    def StopMatching(self, request: pb.StopMatchingRequest,
                     context: grpc.ServicerContext) -> pb.StopMatchingResponse:
        _allowed(context)
        try:
            with unit_of_work(self.session_factory) as session:
                runs.request_stop(session=session, run_id=request.run_id)
        except DomainError as exc:
            _abort(context, exc)
        self.executor.stop(request.run_id)
        return pb.StopMatchingResponse()


def servicers(executor: Executor):
    """ServiceSpec.add_servicers bound to the app's executor (one executor per process)."""

    def add(server: grpc.Server, session_factory: sessionmaker[Session], _: ServiceSettings) -> list[str]:
        pb_grpc.add_NetworkServiceServicer_to_server(NetworkServicer(session_factory, executor), server)
        return [pb.DESCRIPTOR.services_by_name["NetworkService"].full_name]

    return add
