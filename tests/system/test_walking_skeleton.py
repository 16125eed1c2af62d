"""The walking skeleton (issue 2 §8) on the stack as `make run` starts it, plus its trace across every boundary."""

from __future__ import annotations

import time

import grpc
import httpx
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from deploy.local.demo import service_token
from deploy.local.stack import SERVICES, Stack
from tests.support.otlp import OtlpReceiver

pytestmark = pytest.mark.system

SPAN_SERVER, SPAN_CLIENT, SPAN_PRODUCER, SPAN_CONSUMER = 2, 3, 4, 5


def wait_for(fn, timeout: float = 30, what: str = "condition"):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = fn()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_readyz_reports_every_service_and_the_broker(stack: Stack) -> None:
    body = httpx.get(f"{stack.gateway_url}/readyz").json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {*SERVICES, "broker", "database"}  # database: the gateway's session store


def test_every_service_serves_the_grpc_health_protocol(stack: Stack) -> None:
    for svc in SERVICES:
        with grpc.insecure_channel(f"127.0.0.1:{stack.ports.grpc(svc)}") as channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=5)
            assert reply.status == health_pb2.HealthCheckResponse.SERVING, svc


def test_a_person_created_at_identity_reaches_events_through_kafka_in_one_trace(stack: Stack,
                                                                               otlp: OtlpReceiver) -> None:
    token = service_token(stack)
    headers = {"authorization": f"Bearer {token}"}
    person = {"id": "p-skeleton", "name": "Åsa Öberg", "email": "asa.oberg@exempelstad.se", "level": "enhetschef"}
    created = httpx.put(f"{stack.gateway_url}/api/identity/people/p-skeleton", json=person, headers=headers)
    assert created.status_code == 201, created.text

    def read_back() -> dict[str, object] | None:
        r = httpx.get(f"{stack.gateway_url}/api/events/people/p-skeleton", headers=headers)
        return r.json() if r.status_code == 200 else None

    known = wait_for(read_back, what="events to learn about the person")
    assert known["name"] == "Åsa Öberg" and known["level"] == "enhetschef"

    # One trace: gateway (server) → identity (server) → relay (producer) → events consumer (process).
    def skeleton_trace() -> list | None:  # type: ignore[type-arg]
        consumer = [s for s in otlp.spans if s.service == "events" and s.name == "identity.person.v1 process"]
        if not consumer:
            return None
        spans = otlp.trace(consumer[-1].trace_id)
        return spans if any(s.service == "gateway" for s in spans) else None

    spans = wait_for(skeleton_trace, what="the whole trace to be exported")
    by_id = {s.span_id: s for s in spans}

    def parent_chain(span) -> list[str]:  # type: ignore[no-untyped-def]
        chain = []
        while span is not None:
            chain.append(f"{span.service}:{span.name}")
            span = by_id.get(span.parent_span_id)
        return chain

    consumer = next(s for s in spans if s.service == "events" and s.kind == SPAN_CONSUMER)
    chain = parent_chain(consumer)
    services_in_order = [c.split(":")[0] for c in chain]
    assert services_in_order[0] == "events"
    assert "identity" in services_in_order and services_in_order[-1] == "gateway", chain
    producer = by_id[consumer.parent_span_id]
    assert producer.service == "identity" and producer.kind == SPAN_PRODUCER
    assert consumer.attributes["messaging.destination.name"] == "identity.person.v1"


def test_a_request_without_a_token_is_refused_by_the_service_behind_the_gateway(stack: Stack) -> None:
    r = httpx.get(f"{stack.gateway_url}/api/events/people/p-skeleton")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "bearer token" in r.json()["detail"]


def test_a_stopped_service_gives_a_clear_503_and_readyz_turns_503(stack: Stack) -> None:
    headers = {"authorization": f"Bearer {service_token(stack)}"}
    stack.stop_service("network")
    try:
        r = httpx.get(f"{stack.gateway_url}/api/network/anything", headers=headers)
        assert r.status_code == 503 and "network service cannot be reached" in r.json()["detail"]
        ready = httpx.get(f"{stack.gateway_url}/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["network"]["status"] == "down"
    finally:
        stack.start_service("network")
        stack.wait_ready(60)
