"""GDPR plumbing every service shares: the `PersonDataService` gRPC servicer (export of what a service holds
about a person). What to export is each service's own business: it passes an `export` function."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import grpc
from sqlalchemy import FromClause
from sqlalchemy.orm import Session, sessionmaker

from samla_common.auth import SERVICE, current_grpc_principal
from samla_contracts.proto.samla.common.v1 import privacy_pb2 as pb
from samla_contracts.proto.samla.common.v1 import privacy_pb2_grpc as pb_grpc

Export = Callable[[Session, str], dict[str, Any]]


def rows_about(session: Session, table: FromClause, column: str, person_id: str) -> list[dict[str, Any]]:
    """Every row of `table` whose `column` is the person (a building block for export functions)."""
    return [dict(r) for r in session.execute(table.select().where(table.c[column] == person_id)).mappings()]


class PersonDataServicer(pb_grpc.PersonDataServiceServicer):
    """Answers ExportPersonData for one service. Only Samla services may ask."""

    def __init__(self, *, service: str, session_factory: sessionmaker[Session], export: Export) -> None:
        self.service = service
        self.session_factory = session_factory
        self.export = export

    def ExportPersonData(self, request: pb.ExportPersonDataRequest,
                         context: grpc.ServicerContext) -> pb.PersonDataExport:
        principal = current_grpc_principal.get()
        if principal is None or SERVICE not in principal.roles:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, "only Samla services may export personal data")
        with self.session_factory() as session:
            data = self.export(session, request.person_id)
        return pb.PersonDataExport(service=self.service, json=json.dumps(data, default=_json_default,
                                                                         ensure_ascii=False, sort_keys=True))


def add_person_data_servicer(server: grpc.Server, *, service: str, session_factory: sessionmaker[Session],
                             export: Export) -> str:
    pb_grpc.add_PersonDataServiceServicer_to_server(
        PersonDataServicer(service=service, session_factory=session_factory, export=export), server)
    return str(pb.DESCRIPTOR.services_by_name["PersonDataService"].full_name)


def _json_default(value: object) -> str:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)
