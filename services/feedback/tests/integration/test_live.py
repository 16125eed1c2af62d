"""The big-screen board, its change feed (long poll) and the gRPC results the gateway composes views from."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc
import pytest

from samla_contracts.proto.samla.feedback.v1 import feedback_pb2 as pb
from samla_contracts.proto.samla.feedback.v1 import feedback_pb2_grpc as pb_grpc

from .conftest import Feedback

pytestmark = pytest.mark.integration
FAC = "fac-1"


def open_scale(fb: Feedback, event_id: str, **extra: Any) -> str:
    prompt = fb.call("POST", f"/events/{event_id}/prompts", as_=FAC, role="facilitator", expect=201,
                     json={"kind": "scale", "title": "Hur tydlig är riktningen?", **extra}).json()
    fb.call("POST", f"/prompts/{prompt['id']}/open", as_=FAC, role="facilitator", expect=200)
    return str(prompt["id"])


def test_the_board_shows_k_protected_results_and_the_wall_with_a_cursor(feedback: Feedback, event_id: str) -> None:
    prompt_id = open_scale(feedback, event_id)
    for i in range(4):
        feedback.call("POST", f"/prompts/{prompt_id}/responses", as_=f"p-{i}", json={"scale": 4}, expect=201)
    question = feedback.call("POST", f"/events/{event_id}/questions", as_="p-1", expect=201,
                             json={"text": "Vad händer sen?", "anonymous": True}).json()["id"]
    feedback.call("POST", f"/questions/{question}/approve", as_=FAC, role="facilitator", expect=200)

    below_k = feedback.call("GET", f"/events/{event_id}/board", as_="p-1", expect=200).json()
    feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-4", json={"scale": 2}, expect=201)
    at_k = feedback.call("GET", f"/events/{event_id}/board", as_="p-1", expect=200).json()

    shown = below_k["prompts"][0]["results"]
    assert shown["respondents"] == 4 and shown["suppressed"] and shown["summary"] is None
    assert "Färre än 5" in shown["notice"]["sv"]
    results = at_k["prompts"][0]["results"]
    assert results["summary"]["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 4, "5": 0}
    assert results["summary"]["mean"] == 3.6
    assert [q["id"] for q in at_k["questions"]] == [question] and at_k["cursor"] > below_k["cursor"]


def test_the_change_feed_names_what_changed_in_commit_order_and_resets_unknown_cursors(feedback: Feedback,
                                                                                       event_id: str) -> None:
    start = feedback.call("GET", f"/events/{event_id}/board", as_="p-1", expect=200).json()["cursor"]
    prompt_id = open_scale(feedback, event_id)
    feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-1", json={"scale": 5}, expect=201)
    question = feedback.call("POST", f"/events/{event_id}/questions", as_="p-1", expect=201,
                             json={"text": "En fråga", "anonymous": False}).json()["id"]

    feed = feedback.call("GET", f"/events/{event_id}/board/changes?since={start}", as_="p-2", expect=200).json()
    after = feedback.call("GET", f"/events/{event_id}/board/changes?since={feed['cursor']}", as_="p-2").json()
    unknown = feedback.call("GET", f"/events/{event_id}/board/changes?since=999999", as_="p-2").json()

    assert [(c["kind"], c["id"]) for c in feed["changes"]] == [
        ("prompt", prompt_id), ("results", prompt_id), ("question", question)]
    assert [c["seq"] for c in feed["changes"]] == sorted(c["seq"] for c in feed["changes"])
    assert after["changes"] == [] and after["cursor"] == feed["cursor"]
    assert unknown["reset"] is True and unknown["cursor"] == feed["cursor"]


def test_a_long_poll_waits_while_nothing_changes_and_returns_when_something_does(feedback: Feedback,
                                                                                 event_id: str) -> None:
    prompt_id = open_scale(feedback, event_id)
    cursor = feedback.call("GET", f"/events/{event_id}/board", as_="p-1", expect=200).json()["cursor"]
    began = time.monotonic()
    quiet = feedback.call("GET", f"/events/{event_id}/board/changes?since={cursor}&wait=0.5", as_="screen").json()
    waited = time.monotonic() - began

    with ThreadPoolExecutor(max_workers=1) as pool:
        began = time.monotonic()
        waiting = pool.submit(feedback.call, "GET", f"/events/{event_id}/board/changes?since={cursor}&wait=20",
                              as_="screen")
        feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-1", json={"scale": 3}, expect=201)
        changed = waiting.result(timeout=20).json()
        elapsed = time.monotonic() - began

    assert quiet["changes"] == [] and quiet["cursor"] == cursor and waited >= 0.5
    assert [c["kind"] for c in changed["changes"]] == ["results"] and elapsed < 10


def test_grpc_get_prompt_results_returns_the_same_k_protected_json(feedback: Feedback, event_id: str) -> None:
    prompt_id = open_scale(feedback, event_id)
    for i in range(5):
        feedback.call("POST", f"/prompts/{prompt_id}/responses", as_=f"p-{i}", json={"scale": 5}, expect=201)
    token = feedback.token("samla-gateway", role="service")

    with grpc.insecure_channel(feedback.grpc_target) as channel:
        stub = pb_grpc.FeedbackServiceStub(channel)
        reply = stub.GetPromptResults(pb.GetPromptResultsRequest(prompt_id=prompt_id),
                                      metadata=[("authorization", f"Bearer {token}")], timeout=5)
        with pytest.raises(grpc.RpcError) as missing:
            stub.GetPromptResults(pb.GetPromptResultsRequest(prompt_id="nope"),
                                  metadata=[("authorization", f"Bearer {token}")], timeout=5)
        with pytest.raises(grpc.RpcError) as anonymous:
            stub.GetPromptResults(pb.GetPromptResultsRequest(prompt_id=prompt_id), timeout=5)

    http = feedback.call("GET", f"/prompts/{prompt_id}/results", as_="p-1", expect=200).json()
    assert json.loads(reply.json) == http and http["summary"]["mean"] == 5.0
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED
