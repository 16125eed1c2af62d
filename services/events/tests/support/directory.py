"""A real gRPC server speaking identity's IdentityService from an in-memory directory, with real token checks."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field

import grpc

from samla_common.auth import SERVICE, TokenVerifier, current_grpc_principal
from samla_common.grpc_server import start_grpc_server
from samla_contracts.proto.samla.identity.v1 import identity_pb2 as pb
from samla_contracts.proto.samla.identity.v1 import identity_pb2_grpc as pb_grpc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Directory:
    people: dict[str, pb.Person] = field(default_factory=dict)
    units: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (name, parent id)
    calls: list[str] = field(default_factory=list)

    def add_person(self, pid: str, name: str, *, unit: str = "", level: str = "enhetschef", email: str | None = None,
                   active: bool = True) -> None:
        self.people[pid] = pb.Person(id=pid, name=name, email=email if email is not None else f"{pid}@kommun.example",
                                     org_unit_id=unit, level=level, active=active, title="Chef")

    def subtree(self, roots: list[str]) -> set[str]:
        found, stack = set(), list(roots)
        while stack:
            unit = stack.pop()
            if unit not in found:
                found.add(unit)
                stack.extend(u for u, (_, parent) in self.units.items() if parent == unit)
        return found


class FakeIdentity(pb_grpc.IdentityServiceServicer):
    def __init__(self, directory: Directory) -> None:
        self.d = directory

    def _guard(self, context: grpc.ServicerContext, method: str) -> None:
        principal = current_grpc_principal.get()
        if principal is None or SERVICE not in principal.roles:
            context.abort(grpc.StatusCode.PERMISSION_DENIED, "services only")
        self.d.calls.append(method)

    def GetPerson(self, request: pb.GetPersonRequest, context: grpc.ServicerContext) -> pb.Person:
        self._guard(context, "GetPerson")
        if request.id not in self.d.people:
            context.abort(grpc.StatusCode.NOT_FOUND, "no such person")
        return self.d.people[request.id]

    def ResolveAudience(self, request: pb.ResolveAudienceRequest,
                        context: grpc.ServicerContext) -> pb.ResolveAudienceResponse:
        self._guard(context, "ResolveAudience")
        units = self.d.subtree(list(request.org_unit_ids)) if request.org_unit_ids else None
        picked = set(request.person_ids)
        filtered = bool(request.org_unit_ids or request.levels or request.roles)
        out = []
        for p in sorted(self.d.people.values(), key=lambda p: p.name):
            if not p.active:
                continue
            matches = (units is None or p.org_unit_id in units) and (not request.levels or p.level in request.levels)
            if p.id in picked or (filtered and matches) or (not filtered and not picked):
                out.append(p)
        return pb.ResolveAudienceResponse(people=out)

    def GetOrgTree(self, request: pb.GetOrgTreeRequest, context: grpc.ServicerContext) -> pb.OrgTree:
        self._guard(context, "GetOrgTree")
        return pb.OrgTree(units=[pb.OrgUnit(id=u, name=name, kind="forvaltning", parent_id=parent)
                                 for u, (name, parent) in self.d.units.items()])


def start_fake_identity(issuer_url: str, directory: Directory) -> tuple[grpc.Server, str]:
    port = free_port()
    server, _ = start_grpc_server(
        port=port, verifier=TokenVerifier(issuer=issuer_url, audience="samla"),
        add_servicers=lambda srv: (pb_grpc.add_IdentityServiceServicer_to_server(FakeIdentity(directory), srv),
                                   ["samla.identity.v1.IdentityService"])[1])
    return server, f"127.0.0.1:{port}"
