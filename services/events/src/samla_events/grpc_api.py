"""gRPC `samla.events.v1.EventsService`: attendance for other services, and seating planned with progress."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import NoReturn

import grpc
from sqlalchemy.orm import Session, sessionmaker

from samla_common.auth import ADMIN, SERVICE, current_grpc_principal
from samla_common.config import ServiceSettings
from samla_common.db import unit_of_work
from samla_common.errors import DomainError
from samla_contracts.proto.samla.events.v1 import events_pb2 as pb
from samla_contracts.proto.samla.events.v1 import events_pb2_grpc as pb_grpc
from samla_events.checkin import service as checkin
from samla_events.localtime import utcnow
from samla_events.seating import SeatingPlan
from samla_events.seating.service import default_time_limit
from samla_events.seatingplans import service as seatingplans
from samla_events.seatingplans.inputs import SeatingRequest

# Planning reports up to this fraction; storing the plan and the final message take the rest.
PLANNING_SHARE = 0.95


class PlanningCancelled(Exception):
    """Raised from the progress callback when the caller has gone: the planner is pure, nothing is half-done."""


def _abort(context: grpc.ServicerContext, exc: DomainError) -> NoReturn:
    context.abort(exc.grpc_code, exc.detail)
    raise AssertionError("abort raises") from exc  # for type checkers: abort never returns


class EventsServicer(pb_grpc.EventsServiceServicer):
    """Attendance names people, so only services may ask; seating may also be planned by an admin."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def GetAttendance(self, request: pb.GetAttendanceRequest, context: grpc.ServicerContext) -> pb.Attendance:
        principal = current_grpc_principal.get()
        if principal is None or SERVICE not in principal.roles:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, "only Samla services may ask for attendance")
        with self.session_factory() as session:
            try:
                ids = checkin.attendance(session=session, event_id=request.event_id)
            except DomainError as exc:
                _abort(context, exc)
            return pb.Attendance(event_id=request.event_id, person_ids=ids)

    def PlanSeating(self, request: pb.PlanSeatingRequest,
                    context: grpc.ServicerContext) -> Iterator[pb.SeatingProgress]:
        """Streams the planner's progress and stores the plan (unpublished) when the caller is still there."""
        # Not a generator itself: the caller's principal is set only while this call runs, not while the
        # stream is iterated, so who calls and what to seat are settled here, before streaming starts.
        principal = current_grpc_principal.get()
        if principal is None or not principal.has_any([ADMIN, SERVICE]):
            context.abort(grpc.StatusCode.PERMISSION_DENIED, "only admins and Samla services may plan seating")
        assert principal is not None
        try:
            with self.session_factory() as session:
                wanted = seatingplans.request_for(session=session, event_id=request.event_id, now=utcnow())
        except DomainError as exc:
            _abort(context, exc)
        return self._plan_stream(event_id=request.event_id, wanted=wanted, by=principal.sub, context=context)

    def _plan_stream(self, *, event_id: str, wanted: SeatingRequest, by: str,
                     context: grpc.ServicerContext) -> Iterator[pb.SeatingProgress]:
        stop = threading.Event()
        context.add_callback(stop.set)  # runs when the call ends for any reason, a cancel included
        updates: queue.Queue[tuple[float, str] | SeatingPlan | BaseException] = queue.Queue()

        def progress(fraction: float, message: str) -> None:
            if stop.is_set():
                raise PlanningCancelled
            updates.put((fraction, message))

        def work() -> None:
            try:
                updates.put(seatingplans.make_plan(request=wanted, time_limit=_time_limit(context, len(wanted.people)),
                                                   progress=progress))
            except BaseException as exc:  # handed to the streaming thread, which decides
                updates.put(exc)

        threading.Thread(target=work, name="plan-seating", daemon=True).start()
        last, plan = -1.0, None
        while plan is None:
            try:
                item = updates.get(timeout=0.1)
            except queue.Empty:
                if not context.is_active():
                    stop.set()
                    return
                continue
            if isinstance(item, tuple):
                fraction = min(max(item[0], 0.0), 1.0) * PLANNING_SHARE
                if fraction > last:
                    last = fraction
                    yield pb.SeatingProgress(fraction=fraction, message=item[1])
            elif isinstance(item, PlanningCancelled):
                return
            elif isinstance(item, DomainError):
                _abort(context, item)
            elif isinstance(item, BaseException):
                raise item
            else:
                plan = item
        if not context.is_active():
            return  # cancelled while planning finished: the previous seating stays
        try:
            with unit_of_work(self.session_factory) as session:
                seatingplans.store(session=session, event_id=event_id, request=wanted, plan=plan, by=by,
                                   now=utcnow())
        except DomainError as exc:
            _abort(context, exc)
        yield pb.SeatingProgress(fraction=1.0, message="done", done=True)


def _time_limit(context: grpc.ServicerContext, people: int) -> float:
    """The planner's usual time, but at most half of what the caller's deadline leaves."""
    usual = default_time_limit(people=people)
    remaining = context.time_remaining()
    return usual if remaining is None else max(0.05, min(usual, remaining / 2))


def add_servicers(server: grpc.Server, session_factory: sessionmaker[Session], _: ServiceSettings) -> list[str]:
    pb_grpc.add_EventsServiceServicer_to_server(EventsServicer(session_factory), server)
    return [pb.DESCRIPTOR.services_by_name["EventsService"].full_name]
