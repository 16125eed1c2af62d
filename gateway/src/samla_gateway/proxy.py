"""`/api/<service>/...` → the service, and `/scim/v2/...` → identity, for verified callers only, with timeouts,
bounded retries for idempotent requests and clear 502/503/504 problem responses when a service is down.

Bearer callers' tokens are verified by the entrance middleware and forwarded as they came; a browser session's
access token is attached here (`request.state.access_token`). Services verify the token again themselves.
"""

from __future__ import annotations

import asyncio
import logging
import re
from urllib.parse import quote, urlsplit

import aiohttp
from fastapi import APIRouter, Request, Response
from opentelemetry import propagate
from prometheus_client import Counter
from yarl import URL

from samla_common.errors import problem
from samla_gateway.auth import cookies, csrf
from samla_gateway.auth.access import ApiCaller
from samla_gateway.config import SERVICES, Settings
from samla_gateway.http_client import KEEPALIVE_SECONDS

log = logging.getLogger(__name__)
router = APIRouter(tags=["proxy"])

IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
SAFE = {"GET", "HEAD", "OPTIONS"}
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
# Hop-by-hop headers (RFC 9110 §7.6.1) and those the gateway sets itself are not forwarded.
DROP_REQUEST_HEADERS = {"host", "connection", "keep-alive", "proxy-authorization", "te", "trailer",
                        "transfer-encoding", "upgrade", "content-length", "cookie", "x-forwarded-for",
                        "x-forwarded-host", "x-forwarded-proto", "forwarded", csrf.HEADER}
DROP_RESPONSE_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding",
                         "server", "date", "set-cookie"}


# Cannot go into a request line (httpx refused them; aiohttp would send them on).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# Characters a path segment may hold as they are (RFC 3986 pchar and "/"); everything else is percent-encoded.
PATH_SAFE = "/:@!$&'()*+,;=~"
# Requests one service gets at once through the proxy; more wait their turn here (Upstreams).
UPSTREAM_SLOTS = 64
SENT = Counter("samla_gateway_upstream_requests_total", "API requests sent on to a service (each retry counts)",
               ["service"])
BUSY_REFUSALS = Counter("samla_gateway_upstream_busy_total",
                        "API requests refused because they waited too long for a slot to the service", ["service"])


class Upstreams:
    """The API proxy's connections: an aiohttp session per service, with at most UPSTREAM_SLOTS requests in flight
    to each; more wait their turn on a semaphore, which costs nothing per waiter, in arrival order.

    aiohttp rather than httpx, which the rest of the gateway uses: every API request passes here, and httpx spent
    several times aiohttp's CPU per request, more with many in flight (httpcore walks its pool for every request
    joining or leaving; figures in docs/bench.md, "The gateway's proxy client"). Under a burst the gateway is
    CPU-bound, so that was most of its work per request.
    """

    def __init__(self, settings: Settings, slots: int = UPSTREAM_SLOTS) -> None:
        self._settings = settings
        self._slots = slots
        self._sessions: dict[str, aiohttp.ClientSession] = {}
        self._free = {service: asyncio.Semaphore(slots) for service in SERVICES}

    async def start(self) -> None:
        """Opens the sessions (aiohttp wants the running event loop for that)."""
        timeout = aiohttp.ClientTimeout(total=None, connect=self._settings.upstream_connect_timeout_seconds,
                                        sock_read=self._settings.upstream_timeout_seconds)
        for service in SERVICES:
            connector = aiohttp.TCPConnector(limit=self._slots, keepalive_timeout=KEEPALIVE_SECONDS)
            # No cookie jar: a session must never carry one caller's cookies to the next. No Content-Type of its
            # own either: aiohttp would add application/octet-stream to a body the caller sent without one.
            self._sessions[service] = aiohttp.ClientSession(connector=connector, timeout=timeout,
                                                            cookie_jar=aiohttp.DummyCookieJar(),
                                                            skip_auto_headers={"Content-Type"})

    def session(self, service: str) -> aiohttp.ClientSession:
        return self._sessions[service]

    async def take_slot(self, service: str, timeout: float) -> bool:
        """Waits up to `timeout` seconds for a slot to `service`; False (and counted) when none came free."""
        try:
            async with asyncio.timeout(timeout):
                await self._free[service].acquire()
        except TimeoutError:
            BUSY_REFUSALS.labels(service).inc()
            return False
        return True

    def give_slot(self, service: str) -> None:
        self._free[service].release()

    async def aclose(self) -> None:
        for session in self._sessions.values():
            await session.close()


async def proxy(service: str, path: str, request: Request, viewer: ApiCaller) -> Response:
    if service not in SERVICES:
        return problem(404, "Not found", f"There is no service called {service!r}. "
                       f"Services: {', '.join(SERVICES)}.")
    return await forward(request, service, path)


async def scim(path: str, request: Request, viewer: ApiCaller) -> Response:
    return await forward(request, "identity", f"scim/v2/{path}")


# One route per method, so each has its own operation in the OpenAPI document.
for _method in METHODS:
    router.add_api_route("/api/{service}/{path:path}", proxy, methods=[_method], name=f"proxy_{_method.lower()}",
                         summary="Proxy to a service. Any verified caller (bearer token or session); the service "
                                 "then applies the roles it states for the endpoint.")
    router.add_api_route("/scim/v2/{path:path}", scim, methods=[_method], name=f"scim_{_method.lower()}",
                         summary="SCIM 2.0 provisioning, served by identity. Any verified caller; identity "
                                 "decides (provisioning clients and samla-admin).")


async def forward(request: Request, service: str, path: str) -> Response:
    """Sends the request on to `service` at `path` (decoded, as routed here) with the caller's query string."""
    settings: Settings = request.app.state.settings
    if CONTROL_CHARACTERS.search(path):
        return problem(400, "Bad request", "The address holds control characters; remove them and try again.")
    session_token: str = request.state.access_token
    if session_token and request.method not in SAFE and not csrf.check_header(request):
        # A cookie rides along on cross-site requests; a header the page had to read cannot.
        return problem(403, "Not allowed", f"Writes with a browser session need the {csrf.HEADER} header.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_body_bytes:
        return problem(413, "Request too large", f"The body may be at most {settings.max_body_bytes} bytes.")
    body = await request.body()  # a caller that leaves first is a 499 (samla_common.errors), nothing is sent on
    if len(body) > settings.max_body_bytes:
        return problem(413, "Request too large", f"The body may be at most {settings.max_body_bytes} bytes.")
    headers = {k: v for k, v in request.headers.items() if k.lower() not in DROP_REQUEST_HEADERS}
    if session_token and "authorization" not in {k.lower() for k in headers}:
        headers["authorization"] = f"Bearer {session_token}"
    # Where the caller really was and which public address they used (SCIM's meta.location, for example).
    public = urlsplit(cookies.base_url(request))
    headers["x-forwarded-for"] = request.client.host if request.client else ""
    headers["x-forwarded-proto"] = public.scheme
    headers["x-forwarded-host"] = public.netloc
    propagate.inject(headers)  # the service's spans join this request's trace
    # The query string as it came: the gateway's HTTP parser let it through, so the service's (the same) will.
    query = request.scope["query_string"].decode("latin-1")
    url = URL(f"{settings.service_url(service)}/{quote(path, safe=PATH_SAFE)}{'?' + query if query else ''}",
              encoded=True)
    upstreams: Upstreams = request.app.state.upstreams
    if not await upstreams.take_slot(service, settings.upstream_timeout_seconds):
        return problem(504, "Gateway timeout", f"The {service} service is too busy to take this now. Nothing was "
                       "sent to it; try again in a moment.")
    try:
        return await _send(request, service, url, body, headers, upstreams.session(service))
    finally:
        upstreams.give_slot(service)


async def _send(request: Request, service: str, url: URL, body: bytes, headers: dict[str, str],
                session: aiohttp.ClientSession) -> Response:
    settings: Settings = request.app.state.settings
    attempts = 1 + (settings.upstream_retries if request.method in IDEMPOTENT else 0)
    for attempt in range(1, attempts + 1):
        SENT.labels(service).inc()
        try:
            async with session.request(request.method, url, data=body or None, headers=headers,
                                       allow_redirects=False) as upstream:
                content = await upstream.read()
        except aiohttp.ClientConnectorError:
            if attempt < attempts:
                await asyncio.sleep(0.05 * attempt)
                continue
            return problem(503, "Service unavailable",
                           f"The {service} service cannot be reached right now. Try again in a moment.",
                           headers={"Retry-After": "5"})
        except TimeoutError:  # aiohttp's connect and read timeouts are TimeoutErrors too
            if attempt < attempts:  # only idempotent requests have more than one attempt
                continue
            return problem(504, "Gateway timeout", f"The {service} service did not answer in time.")
        except aiohttp.ClientError as exc:
            log.warning("proxy error to %s: %s", service, exc)
            return problem(502, "Bad gateway", f"The {service} service gave an invalid answer.")
        if upstream.status in (502, 503) and attempt < attempts:
            await asyncio.sleep(0.05 * attempt)
            continue
        response = Response(content, status_code=upstream.status)
        for name, value in upstream.headers.items():  # a header sent twice (Link, Vary) is passed on twice
            if name.lower() not in DROP_RESPONSE_HEADERS:
                response.headers.append(name, value)
        return response
    return problem(503, "Service unavailable", f"The {service} service is not available.")
