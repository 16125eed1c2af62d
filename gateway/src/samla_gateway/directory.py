"""The gateway's composed views ask identity over gRPC with the gateway's own service token (DESIGN §3):
the dev sign-in list of demo people and the name of a person's manager on "Min profil"."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TypeVar

import grpc
import httpx

from samla_common.auth import ServiceTokenSource
from samla_common.grpc_server import DEFAULT_DEADLINE, authed_channel
from samla_contracts.proto.samla.identity.v1 import identity_pb2 as pb
from samla_contracts.proto.samla.identity.v1 import identity_pb2_grpc as pb_grpc
from samla_gateway.errors import IdentityUnavailable

T = TypeVar("T")


class Directory:
    def __init__(self, *, target: str, tokens: ServiceTokenSource) -> None:
        self.target = target
        self.tokens = tokens
        self._stub: pb_grpc.IdentityServiceStub | None = None
        self._channel: grpc.Channel | None = None
        self._lock = threading.Lock()

    async def everyone(self) -> list[pb.Person]:
        """Every active person (an audience with no filter is the whole group of companies)."""
        reply = await self._call(lambda s: s.ResolveAudience(pb.ResolveAudienceRequest(), timeout=DEFAULT_DEADLINE))
        return list(reply.people)

    async def org_tree(self) -> list[pb.OrgUnit]:
        reply = await self._call(lambda s: s.GetOrgTree(pb.GetOrgTreeRequest(), timeout=DEFAULT_DEADLINE))
        return list(reply.units)

    async def person(self, person_id: str) -> pb.Person | None:
        try:
            return await self._call(lambda s: s.GetPerson(pb.GetPersonRequest(id=person_id),
                                                          timeout=DEFAULT_DEADLINE))
        except grpc.RpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise

    def close(self) -> None:
        with self._lock:
            if self._channel is not None:
                self._channel.close()
            self._channel = self._stub = None

    async def _call(self, fn: Callable[[pb_grpc.IdentityServiceStub], T]) -> T:
        try:
            return await asyncio.to_thread(fn, self._get_stub())
        except httpx.HTTPError as exc:  # the service token could not be fetched
            raise IdentityUnavailable(f"service token: {exc}") from exc
        except grpc.RpcError as exc:
            if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED,
                              grpc.StatusCode.UNAUTHENTICATED):
                raise IdentityUnavailable(f"gRPC {exc.code().name}") from exc
            raise

    def _get_stub(self) -> pb_grpc.IdentityServiceStub:
        with self._lock:
            if self._stub is None:
                self._channel = authed_channel(self.target, self.tokens)
                self._stub = pb_grpc.IdentityServiceStub(self._channel)
            return self._stub
