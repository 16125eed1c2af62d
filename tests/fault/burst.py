"""A live burst through the gateway: new managers appear in the directory, are invited, register, are checked in
at a door, answer the open prompt and vote for a question, while a fault is injected.

Each client retries what the system says is temporary (no answer, 502/503/504, 429 after Retry-After), as the
web page and the door app do, and writes every acknowledged (2xx) operation into the day's ledger.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from tests.fault.day import OPTIONS, Day, bearer, staff_token
from tests.fault.ledger import Refusal

TEMPORARY = {0, 502, 503, 504}
BATCH = 3  # people invited together, as an admin invites a few late names at a time


class Stopped(Exception):
    """The burst ended while a step was still being retried."""


class Burst:
    def __init__(self, day: Day, tag: str, clients: int = 8) -> None:
        self.day = day
        self.tag = tag
        self.clients = clients
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []
        self.refusals: list[Refusal] = []  # list.append is atomic: clients share it without a lock

    def start(self) -> Burst:
        for n in range(self.clients):
            t = threading.Thread(target=self._client, args=(n,), name=f"burst-{self.tag}-{n}", daemon=True)
            t.start()
            self.threads.append(t)
        return self

    def stop(self) -> None:
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in self.threads), "a burst client hangs"
        assert not self.errors, f"burst clients failed: {self.errors!r}"

    def wait_for_acknowledged(self, more: int, timeout: float = 60) -> None:
        """Lets the burst get `more` operations acknowledged (the fault then lands in the middle of it)."""
        target = self.day.ledger.count() + more
        deadline = time.monotonic() + timeout
        while self.day.ledger.count() < target:
            assert time.monotonic() < deadline, f"the burst got no {more} operations through in {timeout:.0f}s"
            assert not self.errors, f"burst clients failed: {self.errors!r}"
            time.sleep(0.1)

    # ---- one client --------------------------------------------------------------------------------------
    def _client(self, n: int) -> None:
        try:
            with httpx.Client(timeout=15) as client:
                door = bearer(self._retry("staff", lambda: staff_token(self.day, f"door-{self.tag}-{n}")))
                batch_no = 0
                while not self.stop_event.is_set():
                    batch_no += 1
                    self._participants(client, door, [f"fp-{self.tag}-{n}-{batch_no}-{i}" for i in range(BATCH)])
        except Stopped:
            return
        except BaseException as exc:
            self.errors.append(exc)

    def _participants(self, c: httpx.Client, door: dict[str, str], ids: list[str]) -> None:
        day, ledger = self.day, self.day.ledger
        for pid in ids:
            self._call("person", lambda pid=pid: day.person(pid, f"Deltagare {pid}", client=c))  # type: ignore[misc]
            ledger.acknowledged("person", pid, f"Deltagare {pid}")
        self._call("invite", lambda: c.post(f"{day.api}/events/events/{day.event_id}/invitations", headers=door,
                                            json={"person_ids": ids}))
        for pid in ids:
            me = bearer(self._retry("sign-in", lambda pid=pid: day.sign_in(pid, c)))  # type: ignore[misc]
            self._call("registration", lambda me=me: c.put(  # type: ignore[misc]
                f"{day.api}/events/me/events/{day.event_id}/registration", headers=me, json={"attending": True}))
            ledger.acknowledged("registration", pid)
            self._call("checkin", lambda pid=pid: c.post(  # type: ignore[misc]
                f"{day.api}/events/events/{day.event_id}/check-in", headers=door,
                json={"person_id": pid, "client_id": f"door-{pid}"}))
            ledger.acknowledged("checkin", pid)
            option = OPTIONS[zlib.crc32(pid.encode()) % len(OPTIONS)]
            self._call("answer", lambda me=me, option=option: c.post(  # type: ignore[misc]
                f"{day.api}/feedback/prompts/{day.prompt_id}/responses", headers=me, json={"choice": option}))
            ledger.acknowledged("answer", pid, option)
            question = day.question_ids[zlib.crc32(pid[::-1].encode()) % len(day.question_ids)]
            self._call("vote", lambda me=me, question=question: c.post(  # type: ignore[misc]
                f"{day.api}/feedback/questions/{question}/votes", headers=me))
            ledger.acknowledged("vote", pid, question)
        # A correction in the directory: the newer name must win everywhere, whatever order events arrive in.
        renamed = f"Deltagare {ids[0]} (ny)"
        self._call("person", lambda: day.person(ids[0], renamed, client=c))
        ledger.acknowledged("person", ids[0], renamed)

    def _call(self, operation: str, send: Callable[[], httpx.Response]) -> httpx.Response:
        """Sends until acknowledged; temporary refusals are recorded and retried, anything else fails the burst."""
        while True:
            if self.stop_event.is_set():
                raise Stopped
            try:
                resp = send()
            except httpx.TransportError as exc:
                self.refusals.append(Refusal(operation, 0, "", repr(exc)))
                time.sleep(0.2)
                continue
            if resp.is_success:
                return resp
            if resp.status_code == 429:
                time.sleep(min(float(resp.headers.get("retry-after", "1")), 2))
                continue
            refusal = Refusal(operation, resp.status_code, resp.headers.get("content-type", ""), resp.text[:300])
            self.refusals.append(refusal)
            if resp.status_code not in TEMPORARY:
                raise AssertionError(f"{operation} refused for good: {refusal}")
            time.sleep(0.2)

    def _retry(self, operation: str, fn: Callable[[], str]) -> str:
        while True:
            if self.stop_event.is_set():
                raise Stopped
            try:
                return fn()
            except httpx.HTTPError as exc:
                answer = exc.response if isinstance(exc, httpx.HTTPStatusError) else None
                status = answer.status_code if answer is not None else 0
                content_type = answer.headers.get("content-type", "") if answer is not None else ""
                self.refusals.append(Refusal(operation, status, content_type, repr(exc)[:300]))
                if status not in TEMPORARY:
                    raise
                time.sleep(0.2)


@contextmanager
def burst(day: Day, tag: str, *, warm_up: int = 20, clients: int = 8) -> Iterator[Burst]:
    """Runs a burst around the block; the block starts once `warm_up` operations were acknowledged."""
    b = Burst(day, tag, clients).start()
    try:
        b.wait_for_acknowledged(warm_up)
        yield b
        b.wait_for_acknowledged(warm_up)  # and the burst goes on after the fault until it is through again
    finally:
        b.stop()
