"""Asking identity (gRPC) who an invitation reaches and who a deputy or walk-in is.

Calls carry this service's client-credentials token and a deadline. A directory that does not answer becomes
a 503 problem for the admin ("try again"), never a half-written invitation: callers ask before they write.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import grpc
import httpx

from samla_common.auth import ServiceTokenSource
from samla_common.errors import Unavailable
from samla_common.grpc_server import authed_channel
from samla_contracts.proto.samla.identity.v1 import identity_pb2 as pb
from samla_contracts.proto.samla.identity.v1 import identity_pb2_grpc as pb_grpc

ORG_TREE_TTL = 300.0  # seconds; unit names change rarely
T = TypeVar("T")


@dataclass(frozen=True)
class DirectoryPerson:
    id: str
    name: str
    email: str | None
    title: str | None
    level: str | None
    org_unit_id: str | None
    org_unit_name: str | None
    active: bool


@dataclass(frozen=True)
class Audience:
    """Whole group (nothing given), administrations and below, levels, roles, and hand-picked people."""

    org_unit_ids: Sequence[str] = ()
    levels: Sequence[str] = ()
    roles: Sequence[str] = ()
    person_ids: Sequence[str] = ()


class IdentityClient:
    def __init__(self, *, target: str, tokens: ServiceTokenSource, deadline: float) -> None:
        self.target = target
        self.tokens = tokens
        self.deadline = deadline
        self._channel: grpc.Channel | None = None
        self._lock = threading.Lock()
        self._units: tuple[float, dict[str, str]] = (0.0, {})

    def _stub(self) -> pb_grpc.IdentityServiceStub:
        with self._lock:
            if self._channel is None:
                self._channel = authed_channel(self.target, self.tokens)
            return pb_grpc.IdentityServiceStub(self._channel)

    def resolve_audience(self, audience: Audience) -> list[DirectoryPerson]:
        """The active people an invitation reaches, each once."""
        request = pb.ResolveAudienceRequest(org_unit_ids=list(audience.org_unit_ids), levels=list(audience.levels),
                                            roles=list(audience.roles), person_ids=list(audience.person_ids))
        reply = self._call(lambda stub: stub.ResolveAudience(request, timeout=self.deadline))
        units = self.unit_names()
        return [_person(p, units) for p in reply.people]

    def get_person(self, person_id: str) -> DirectoryPerson | None:
        """One person, or None when identity does not know them."""
        try:
            reply = self._call(lambda stub: stub.GetPerson(pb.GetPersonRequest(id=person_id), timeout=self.deadline),
                               not_found_ok=True)
        except _NotFoundError:
            return None
        return _person(reply, self.unit_names())

    def unit_names(self) -> dict[str, str]:
        """Org unit id → name, cached for a few minutes."""
        fetched_at, names = self._units
        if time.monotonic() - fetched_at < ORG_TREE_TTL and names:
            return names
        tree = self._call(lambda stub: stub.GetOrgTree(pb.GetOrgTreeRequest(), timeout=self.deadline))
        names = {u.id: u.name for u in tree.units}
        self._units = (time.monotonic(), names)
        return names

    def close(self) -> None:
        with self._lock:
            if self._channel is not None:
                self._channel.close()
                self._channel = None

    def _call(self, fn: Callable[[pb_grpc.IdentityServiceStub], T], *, not_found_ok: bool = False) -> T:
        try:
            return fn(self._stub())
        except grpc.RpcError as exc:
            code = exc.code() if isinstance(exc, grpc.Call) else None
            if not_found_ok and code == grpc.StatusCode.NOT_FOUND:
                raise _NotFoundError from exc
            raise Unavailable(f"The directory (identity service) did not answer ({code.name if code else 'error'}: "
                              f"{exc.details() if isinstance(exc, grpc.Call) else exc}). Try again shortly.") from exc
        except (httpx.HTTPError, KeyError, ValueError) as exc:  # the token endpoint failed or answered oddly
            raise Unavailable(f"Could not get a token to ask the directory: {exc}. Try again shortly.") from exc


class _NotFoundError(Exception):
    pass


def _person(p: pb.Person, units: dict[str, str]) -> DirectoryPerson:
    return DirectoryPerson(id=p.id, name=p.name, email=p.email or None, title=p.title or None,
                           level=p.level or None, org_unit_id=p.org_unit_id or None,
                           org_unit_name=units.get(p.org_unit_id) if p.org_unit_id else None, active=p.active)
