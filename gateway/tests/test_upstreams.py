"""The proxy's per-service pools: a bounded number of requests in flight to each service, the rest wait in order."""

from __future__ import annotations

import asyncio

import pytest
from prometheus_client import REGISTRY

from samla_gateway.config import Settings
from samla_gateway.proxy import Upstreams

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_requests_beyond_the_slots_wait_in_order_and_give_up_at_the_timeout() -> None:
    upstreams = Upstreams(Settings(), slots=2)
    await upstreams.start()
    try:
        assert await upstreams.take_slot("feedback", timeout=1) and await upstreams.take_slot("feedback", timeout=1)
        refused = REGISTRY.get_sample_value("samla_gateway_upstream_busy_total", {"service": "feedback"}) or 0
        assert not await upstreams.take_slot("feedback", timeout=0.05)  # both taken: the caller answers 504
        assert REGISTRY.get_sample_value("samla_gateway_upstream_busy_total", {"service": "feedback"}) == refused + 1
        assert await upstreams.take_slot("events", timeout=0.05)  # another service has slots of its own

        served: list[str] = []

        async def waiter(name: str) -> None:
            assert await upstreams.take_slot("feedback", timeout=5)
            served.append(name)

        first = asyncio.create_task(waiter("first"))
        await asyncio.sleep(0.01)
        second = asyncio.create_task(waiter("second"))
        await asyncio.sleep(0.01)
        upstreams.give_slot("feedback")
        await first
        upstreams.give_slot("feedback")
        await second
        assert served == ["first", "second"]
        assert upstreams.session("feedback") is not upstreams.session("events")
    finally:
        await upstreams.aclose()
