"""gRPC `samla.identity.v1.IdentityService`: lookups other services make synchronously."""

from __future__ import annotations

import grpc
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from samla_common.auth import SERVICE, current_grpc_principal
from samla_common.config import ServiceSettings
from samla_contracts.proto.samla.identity.v1 import identity_pb2 as pb
from samla_contracts.proto.samla.identity.v1 import identity_pb2_grpc as pb_grpc
from samla_identity.orgunits import service as orgunits
from samla_identity.people import audience
from samla_identity.people.models import OrgUnit, Person


def to_proto(p: Person) -> pb.Person:
    return pb.Person(id=p.id, name=p.name, email=p.email or "", title=p.title or "", level=p.level or "",
                     org_unit_id=p.org_unit_id or "", manager_id=p.manager_id or "", location=p.location or "",
                     languages=list(p.languages or []), active=p.active, roles=list(p.roles or []))


class IdentityServicer(pb_grpc.IdentityServiceServicer):
    """Only service clients may call these: they return directory data about anyone."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    def _guard(self, context: grpc.ServicerContext) -> None:
        principal = current_grpc_principal.get()
        if principal is None or SERVICE not in principal.roles:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, "only Samla services may call the identity API")

    def GetPerson(self, request: pb.GetPersonRequest, context: grpc.ServicerContext) -> pb.Person:
        self._guard(context)
        with self.session_factory() as session:
            person = session.get(Person, request.id)
            if person is None:
                context.abort(grpc.StatusCode.NOT_FOUND, f"no person with id {request.id!r}")
                raise AssertionError("abort raises")  # for type checkers: abort never returns
            return to_proto(person)

    def GetPeople(self, request: pb.GetPeopleRequest, context: grpc.ServicerContext) -> pb.GetPeopleResponse:
        self._guard(context)
        if len(request.ids) > 10_000:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "ask for at most 10,000 people per call")
        with self.session_factory() as session:
            people = session.scalars(select(Person).where(Person.id.in_(list(request.ids)))).all()
            return pb.GetPeopleResponse(people=[to_proto(p) for p in people])

    def ResolveAudience(self, request: pb.ResolveAudienceRequest,
                        context: grpc.ServicerContext) -> pb.ResolveAudienceResponse:
        self._guard(context)
        with self.session_factory() as session:
            people = audience.resolve(session=session, org_unit_ids=request.org_unit_ids, levels=request.levels,
                                      roles=request.roles, person_ids=request.person_ids,
                                      include_inactive=request.include_inactive)
            return pb.ResolveAudienceResponse(people=[to_proto(p) for p in people])

    def GetOrgTree(self, request: pb.GetOrgTreeRequest, context: grpc.ServicerContext) -> pb.OrgTree:
        self._guard(context)
        with self.session_factory() as session:
            units = orgunits.list_all(session=session)
            if request.HasField("root_id"):
                keep = audience.subtree(session=session, roots=[request.root_id])
                if request.root_id not in keep or session.get(OrgUnit, request.root_id) is None:
                    context.abort(grpc.StatusCode.NOT_FOUND, f"no org unit with id {request.root_id!r}")
                units = [u for u in units if u.id in keep]
            return pb.OrgTree(units=[pb.OrgUnit(id=u.id, name=u.name, kind=u.kind, parent_id=u.parent_id or "")
                                     for u in units])


def add_servicers(server: grpc.Server, session_factory: sessionmaker[Session], _: ServiceSettings) -> list[str]:
    pb_grpc.add_IdentityServiceServicer_to_server(IdentityServicer(session_factory), server)
    return [pb.DESCRIPTOR.services_by_name["IdentityService"].full_name]
