"""FastAPI dependencies of the events service: the identity client, the registration policy, the QR key."""

from __future__ import annotations

from typing import Annotated

import anyio.to_thread
from fastapi import Depends, Request

from samla_events.checkin.keys import CheckinKey
from samla_events.directory.identity import IdentityClient
from samla_events.policy import Policy


async def get_identity(request: Request) -> IdentityClient:
    client: IdentityClient = request.app.state.identity
    return client


async def get_policy(request: Request) -> Policy:
    return Policy.from_settings(request.app.state.settings)


async def get_checkin_key(request: Request) -> bytes:
    source: CheckinKey = request.app.state.checkin_key
    # The first use reads (or makes) the key file, off the event loop; every later one is a memory read.
    return source.get() if source.loaded else await anyio.to_thread.run_sync(source.get)


IdentityDep = Annotated[IdentityClient, Depends(get_identity)]
PolicyDep = Annotated[Policy, Depends(get_policy)]
CheckinKeyDep = Annotated[bytes, Depends(get_checkin_key)]
