"""`proxy-client`: the gateway's CPU per proxied request, with the HTTP client its API proxy uses (aiohttp, in
`proxy.Upstreams`) against httpx (`http_client.make_client`, the client its pages and sign-in use) as the baseline.

Both send the same small POST (a bearer header and an answer's JSON body, as a phone's answer) to a bare FastAPI
endpoint in its own process, with 1, 8 and 32 requests in flight (a quiet moment, a busy one, a burst), and the
benchmark reports CPU milliseconds of this process per request, that is the client's own work. Under a burst the
gateway is CPU-bound, so a cheaper client is more requests per second from the same core.

    python -m bench.proxy_client           (or: make bench ONLY=proxy-client)
"""

from __future__ import annotations

import argparse
import asyncio
import resource
from collections.abc import Awaitable, Callable

import uvloop

from bench.harness import Report
from bench.live_burst import start_bare
from deploy.local.stack import Ports
from samla_gateway.config import Settings
from samla_gateway.http_client import make_client
from samla_gateway.proxy import Upstreams

IN_FLIGHT = (1, 8, 32)
WARM_UP = 100
BODY = b'{"scale": 3}'
HEADERS = {"authorization": "Bearer " + "x" * 600, "content-type": "application/json"}  # a JWT's length


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def cpu_ms_per_request(send: Callable[[], Awaitable[int]], requests: int, in_flight: int) -> float:
    for _ in range(WARM_UP):
        assert await send() == 200
    slots = asyncio.Semaphore(in_flight)

    async def one() -> None:
        async with slots:
            status = await send()
            assert status == 200, f"the bare endpoint answered {status}"

    began = cpu_seconds()
    await asyncio.gather(*(one() for _ in range(requests)))
    return (cpu_seconds() - began) / requests * 1000


async def measure(url: str, requests: int) -> dict[tuple[str, int], float]:
    settings = Settings()
    httpx_client = make_client(settings)
    upstreams = Upstreams(settings)
    await upstreams.start()
    session = upstreams.session("feedback")

    async def by_httpx() -> int:
        return (await httpx_client.post(url, content=BODY, headers=HEADERS)).status_code

    async def by_aiohttp() -> int:
        async with session.post(url, data=BODY, headers=HEADERS) as resp:
            await resp.read()
            return resp.status

    figures: dict[tuple[str, int], float] = {}
    try:
        for in_flight in IN_FLIGHT:
            figures[("httpx", in_flight)] = await cpu_ms_per_request(by_httpx, requests, in_flight)
            figures[("aiohttp", in_flight)] = await cpu_ms_per_request(by_aiohttp, requests, in_flight)
    finally:
        await httpx_client.aclose()
        await upstreams.aclose()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench proxy-client", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=3000, help="requests per client and level (default 3000)")
    args, _ = parser.parse_known_args(argv)
    report = Report(name="proxy-client")
    port = Ports.free().gateway
    bare = start_bare(port)
    try:
        figures = uvloop.run(measure(f"http://127.0.0.1:{port}/answer", args.requests))
    finally:
        bare.terminate()
        bare.wait(timeout=10)
    for in_flight in IN_FLIGHT:
        baseline = figures[("httpx", in_flight)]
        value = figures[("aiohttp", in_flight)]
        report.add(f"CPU per proxied request, {in_flight} in flight (ref: httpx)", value, "ms", reference=baseline,
                   target="below httpx's", meets=value < baseline)
        print(f"{in_flight:3d} in flight: aiohttp {value:.3f} ms, httpx {baseline:.3f} ms of CPU per request "
              f"(×{value / baseline:.2f})", flush=True)
    report.write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
