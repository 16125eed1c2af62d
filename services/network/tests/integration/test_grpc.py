"""gRPC NetworkService: RunMatching streams progress to the end; StopMatching ends a run keeping its best."""

from __future__ import annotations

import threading

import grpc
import pytest

from samla_contracts.proto.samla.network.v1 import network_pb2 as pb
from samla_contracts.proto.samla.network.v1 import network_pb2_grpc as pb_grpc

from .conftest import Network
from .test_runs import give_varied_challenges

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("network", ["sqlite"], indirect=True)]


def _metadata(network: Network, role: str) -> list[tuple[str, str]]:
    return [("authorization", f"Bearer {network.token('grpc-caller', role)}")]


def _run(network: Network, ids: list[str], budget: float) -> str:
    return str(network.call("POST", "/runs", expect=201, json={
        "name": "grpc", "population": {"kind": "people", "person_ids": ids},
        "parameters": {"time_budget_seconds": budget}}).json()["id"])


def test_run_matching_streams_progress_and_ends_with_the_stored_result(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=4, per_administration=5)
    run_id = _run(network, ids, 0.5)
    with grpc.insecure_channel(network.grpc_target) as channel:
        messages = list(pb_grpc.NetworkServiceStub(channel).RunMatching(
            pb.RunMatchingRequest(run_id=run_id), metadata=_metadata(network, "admin"), timeout=60))

    stored = network.call("GET", f"/runs/{run_id}", expect=200).json()
    assert len(messages) >= 2 and messages[-1].done and not any(m.done for m in messages[:-1])
    assert [m.fraction for m in messages] == sorted(m.fraction for m in messages)
    assert messages[-1].best_objective == pytest.approx(stored["result"]["objective"])
    assert messages[-1].upper_bound == pytest.approx(stored["result"]["upper_bound"])
    assert stored["status"] == "done"


def test_stop_matching_ends_the_stream_and_keeps_the_best_grouping(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=6, per_administration=10)
    give_varied_challenges(network, ids)
    run_id = _run(network, ids, 60)
    received: list[pb.MatchingProgress] = []
    with grpc.insecure_channel(network.grpc_target) as channel:
        stub = pb_grpc.NetworkServiceStub(channel)
        first = threading.Event()

        def read() -> None:
            for message in stub.RunMatching(pb.RunMatchingRequest(run_id=run_id),
                                            metadata=_metadata(network, "admin"), timeout=120):
                received.append(message)
                if message.best_objective > 0:
                    first.set()

        reader = threading.Thread(target=read)
        reader.start()
        assert first.wait(60)
        stub.StopMatching(pb.StopMatchingRequest(run_id=run_id), metadata=_metadata(network, "admin"), timeout=10)
        reader.join(60)

    stored = network.call("GET", f"/runs/{run_id}", expect=200).json()
    assert received[-1].done and stored["result"]["stopped"] is True
    assert sorted(m["person_id"] for g in stored["result"]["groups"] for m in g["members"]) == sorted(ids)
    assert received[-1].best_objective == pytest.approx(stored["result"]["objective"])


def test_a_manager_may_not_run_matching(network: Network, tag: str) -> None:
    ids = network.municipality(tag, administrations=2, per_administration=4)
    run_id = _run(network, ids, 0.2)
    with grpc.insecure_channel(network.grpc_target) as channel, pytest.raises(grpc.RpcError) as refused:
        list(pb_grpc.NetworkServiceStub(channel).RunMatching(pb.RunMatchingRequest(run_id=run_id),
                                                              metadata=_metadata(network, ""), timeout=10))

    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
