"""FastAPI dependencies of the events service: the identity client, the registration policy, the QR key."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from samla_events.directory.identity import IdentityClient
from samla_events.policy import Policy


async def get_identity(request: Request) -> IdentityClient:
    client: IdentityClient = request.app.state.identity
    return client


async def get_policy(request: Request) -> Policy:
    return Policy.from_settings(request.app.state.settings)


async def get_checkin_key(request: Request) -> bytes:
    key: bytes = request.app.state.checkin_key.get()
    return key


IdentityDep = Annotated[IdentityClient, Depends(get_identity)]
PolicyDep = Annotated[Policy, Depends(get_policy)]
CheckinKeyDep = Annotated[bytes, Depends(get_checkin_key)]
