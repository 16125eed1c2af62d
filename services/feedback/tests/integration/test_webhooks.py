"""Webhooks against real HTTP receivers on loopback: signed deliveries queued with the change and sent by the
service's background sender, retries with growing waits, timeouts, the delivery log and replay."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from samla_feedback.webhooks.signing import verify

from .conftest import Feedback
from .process_support import ADMIN, LEADER, chefsdag, process

pytestmark = pytest.mark.integration
SECRET = "receiver-secret-0123456789"
TIMEOUT = 0.5


@pytest.fixture(scope="module", autouse=True)
def fast_sender() -> Iterator[None]:
    """Short waits for the service's own sender (set before the module's app starts)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SAMLA_FEEDBACK_WEBHOOK_POLL_SECONDS", "0.05")
        env.setenv("SAMLA_FEEDBACK_WEBHOOK_TIMEOUT_SECONDS", str(TIMEOUT))
        env.setenv("SAMLA_FEEDBACK_WEBHOOK_BACKOFF_SECONDS", "0.3")
        env.setenv("SAMLA_FEEDBACK_WEBHOOK_MAX_ATTEMPTS", "4")
        yield


@dataclass
class Received:
    at: float
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A receiver that answers each request with what `behaviour(n)` says (n = requests so far)."""

    behaviour: Callable[[int], tuple[int, float]]
    got: list[Received] = field(default_factory=list)
    url: str = ""

    def handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.got.append(Received(time.monotonic(), {k.lower(): v for k, v in self.headers.items()},
                                             body))
                status, delay = receiver.behaviour(len(receiver.got))
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.end_headers()
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[int], tuple[int, float]]], Receiver]]:
    servers: list[ThreadingHTTPServer] = []

    def start(behaviour: Callable[[int], tuple[int, float]]) -> Receiver:
        receiver = Receiver(behaviour)
        server = ThreadingHTTPServer(("127.0.0.1", 0), receiver.handler())
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def wait_for(condition: Callable[[], Any], seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def subscribe(fb: Feedback, url: str, process_id: str) -> str:
    return str(fb.call("POST", "/webhooks", as_=ADMIN, role="admin", expect=201, json={
        "url": url, "secret": SECRET, "process_id": process_id,
        "event_types": ["se.samla.feedback.theme.status_changed.v1"]}).json()["id"])


def deliveries(fb: Feedback, hook: str) -> list[dict[str, Any]]:
    return list(fb.call("GET", f"/webhooks/{hook}/deliveries", as_=ADMIN, role="admin", expect=200).json())


def change(fb: Feedback, process_id: str, status: str = "under_consideration") -> None:
    fb.call("PUT", f"/processes/{process_id}/decisions/skola", as_=LEADER, role="leader", expect=200,
            json={"status": status, "response": "Vi bereder det."})


def a_process(fb: Feedback) -> str:
    day = chefsdag(fb, f"ev-{uuid.uuid4().hex[:8]}", soc=0, utb=5)
    return str(process(fb, f"budget-{uuid.uuid4().hex[:8]}", [day])["id"])


def test_a_status_change_is_delivered_signed_and_a_replay_sends_the_same_id(feedback: Feedback, serve: Any) -> None:
    receiver = serve(lambda n: (204, 0.0))
    process_id = a_process(feedback)
    hook = subscribe(feedback, receiver.url, process_id)

    change(feedback, process_id)
    first = wait_for(lambda: receiver.got)[0]
    log = wait_for(lambda: [d for d in deliveries(feedback, hook) if d["status"] == "delivered"])[0]

    assert verify(SECRET, first.headers["samla-signature"], first.body)
    assert not verify("another-secret-0123456789", first.headers["samla-signature"], first.body)
    body = json.loads(first.body)
    assert body["type"] == "se.samla.feedback.theme.status_changed.v1" and body["data"]["status"] == \
        "under_consideration" and body["data"]["process_id"] == process_id
    assert first.headers["samla-delivery-id"] == log["id"] and log["attempts"] == 1
    assert log["log"][0]["status_code"] == 204

    feedback.call("POST", f"/webhooks/{hook}/deliveries/{log['id']}/replay", as_=ADMIN, role="admin", expect=202)
    second = wait_for(lambda: receiver.got[1:])[0]

    assert second.headers["samla-delivery-id"] == first.headers["samla-delivery-id"] and second.body == first.body
    assert verify(SECRET, second.headers["samla-signature"], second.body)
    replayed = wait_for(lambda: [d for d in deliveries(feedback, hook) if len(d["log"]) == 2])[0]
    assert replayed["replays"] == 1 and replayed["log"][1]["replay"] is True


def test_a_failing_receiver_is_retried_with_growing_waits_until_it_answers(feedback: Feedback, serve: Any) -> None:
    receiver = serve(lambda n: (500, 0.0) if n <= 2 else (200, 0.0))
    process_id = a_process(feedback)
    hook = subscribe(feedback, receiver.url, process_id)

    change(feedback, process_id)
    wait_for(lambda: len(receiver.got) >= 3)
    done = wait_for(lambda: [d for d in deliveries(feedback, hook) if d["status"] == "delivered"])[0]

    gaps = [b.at - a.at for a, b in zip(receiver.got, receiver.got[1:], strict=False)]
    assert len({r.headers["samla-delivery-id"] for r in receiver.got}) == 1  # the same delivery each time
    assert gaps[0] >= 0.3 and gaps[1] >= 0.6 and gaps[1] > gaps[0] * 1.4
    assert done["attempts"] == 3 and [a["status_code"] for a in done["log"]] == [500, 500, 200]


def test_a_slow_receiver_times_out_and_one_that_never_answers_ends_failed(feedback: Feedback, serve: Any) -> None:
    slow = serve(lambda n: (200, TIMEOUT + 1.0))
    broken = serve(lambda n: (503, 0.0))
    process_id = a_process(feedback)
    slow_hook, broken_hook = subscribe(feedback, slow.url, process_id), subscribe(feedback, broken.url, process_id)

    change(feedback, process_id)
    timed_out = wait_for(lambda: [d for d in deliveries(feedback, slow_hook) if d["log"]])[0]
    failed = wait_for(lambda: [d for d in deliveries(feedback, broken_hook) if d["status"] == "failed"])[0]

    assert timed_out["log"][0]["status_code"] is None and "no answer within 0.5 s" in timed_out["log"][0]["error"]
    assert timed_out["status"] in ("pending", "sending", "failed")
    assert failed["attempts"] == 4 and len(broken.got) == 4


def test_a_refused_change_queues_nothing(feedback: Feedback, serve: Any) -> None:
    receiver = serve(lambda n: (200, 0.0))
    process_id = a_process(feedback)
    hook = subscribe(feedback, receiver.url, process_id)

    refused = feedback.call("PUT", f"/processes/{process_id}/decisions/skola", as_=LEADER, role="leader",
                            json={"status": "implemented"})

    assert refused.status_code == 409 and deliveries(feedback, hook) == []
