"""The generated gRPC code works end to end: a unary call and a server stream over a real local channel."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent import futures

import grpc
import pytest

from samla_contracts.proto.samla.events.v1 import events_pb2, events_pb2_grpc
from samla_contracts.proto.samla.identity.v1 import identity_pb2, identity_pb2_grpc


class FakeEvents(events_pb2_grpc.EventsServiceServicer):
    def PlanSeating(self, request: events_pb2.PlanSeatingRequest,
                    context: grpc.ServicerContext) -> Iterator[events_pb2.SeatingProgress]:
        for step in range(1, 4):
            yield events_pb2.SeatingProgress(fraction=step / 3, message=f"round {step}", done=step == 3)


class FakeIdentity(identity_pb2_grpc.IdentityServiceServicer):
    def GetPerson(self, request: identity_pb2.GetPersonRequest,
                  context: grpc.ServicerContext) -> identity_pb2.Person:
        return identity_pb2.Person(id=request.id, name="Karin Lindqvist", languages=["sv", "en"], active=True)


@pytest.fixture
def channel() -> Iterator[grpc.Channel]:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    events_pb2_grpc.add_EventsServiceServicer_to_server(FakeEvents(), server)
    identity_pb2_grpc.add_IdentityServiceServicer_to_server(FakeIdentity(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    with grpc.insecure_channel(f"127.0.0.1:{port}") as chan:
        yield chan
    server.stop(grace=None)


def test_a_unary_call_round_trips_a_person(channel: grpc.Channel) -> None:
    person = identity_pb2_grpc.IdentityServiceStub(channel).GetPerson(
        identity_pb2.GetPersonRequest(id="p-1"), timeout=5)

    assert (person.id, person.name, list(person.languages), person.active) == (
        "p-1", "Karin Lindqvist", ["sv", "en"], True)


def test_seating_progress_streams_until_done(channel: grpc.Channel) -> None:
    stream = events_pb2_grpc.EventsServiceStub(channel).PlanSeating(
        events_pb2.PlanSeatingRequest(event_id="e-1"), timeout=5)

    progress = [(round(p.fraction, 2), p.done) for p in stream]

    assert progress == [(0.33, False), (0.67, False), (1.0, True)]


def test_an_unimplemented_method_answers_unimplemented(channel: grpc.Channel) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        events_pb2_grpc.EventsServiceStub(channel).GetAttendance(
            events_pb2.GetAttendanceRequest(event_id="e-1"), timeout=5)

    assert raised.value.code() == grpc.StatusCode.UNIMPLEMENTED


def test_get_org_tree_root_id_has_presence() -> None:
    assert not identity_pb2.GetOrgTreeRequest().HasField("root_id")
    assert identity_pb2.GetOrgTreeRequest(root_id="").HasField("root_id")
