"""gRPC `samla.events.v1.EventsService`: attendance for other services (PlanSeating belongs to seating)."""

from __future__ import annotations

import grpc
from sqlalchemy.orm import Session, sessionmaker

from samla_common.auth import SERVICE, current_grpc_principal
from samla_common.config import ServiceSettings
from samla_common.errors import NotFound
from samla_contracts.proto.samla.events.v1 import events_pb2 as pb
from samla_contracts.proto.samla.events.v1 import events_pb2_grpc as pb_grpc
from samla_events.checkin import service as checkin


class EventsServicer(pb_grpc.EventsServiceServicer):
    """Only service clients may call: attendance names people."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def GetAttendance(self, request: pb.GetAttendanceRequest, context: grpc.ServicerContext) -> pb.Attendance:
        principal = current_grpc_principal.get()
        if principal is None or SERVICE not in principal.roles:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, "only Samla services may ask for attendance")
        with self.session_factory() as session:
            try:
                ids = checkin.attendance(session=session, event_id=request.event_id)
            except NotFound as exc:
                context.abort(grpc.StatusCode.NOT_FOUND, exc.detail)
                raise AssertionError("abort raises") from exc  # for type checkers: abort never returns
            return pb.Attendance(event_id=request.event_id, person_ids=ids)


def add_servicers(server: grpc.Server, session_factory: sessionmaker[Session], _: ServiceSettings) -> list[str]:
    pb_grpc.add_EventsServiceServicer_to_server(EventsServicer(session_factory), server)
    return [pb.DESCRIPTOR.services_by_name["EventsService"].full_name]
