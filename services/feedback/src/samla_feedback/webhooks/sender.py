"""The webhook sender: a background thread that claims due deliveries, posts them signed, and records the outcome.

A claim marks rows `sending` with a lease (`next_attempt_at` = now + timeout + margin) and commits before any
request goes out, so a slow receiver never holds a database lock and a sender that dies mid-send leaves rows that
fall due again when the lease runs out. On PostgreSQL `SKIP LOCKED` lets several replicas claim side by side.
A failed attempt waits backoff x 2^(attempt-1) (capped) before the next; after `max_attempts` the delivery is
`failed` and stays in the log until someone replays it. Delivery is at least once: receivers deduplicate by
`Samla-Delivery-Id`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_feedback.webhooks import service
from samla_feedback.webhooks.models import Attempt, Delivery, Subscription
from samla_feedback.webhooks.signing import DELIVERY_HEADER, SIGNATURE_HEADER, TYPE_HEADER, header

log = logging.getLogger(__name__)
LEASE_MARGIN = timedelta(seconds=30)


@dataclass(frozen=True)
class Claimed:
    id: str
    url: str
    secret: str
    event_type: str
    body: bytes
    attempts: int
    replays: int


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class Sender:
    def __init__(self, *, session_factory: sessionmaker[Session], timeout: float = 5.0, max_attempts: int = 8,
                 backoff: float = 5.0, backoff_max: float = 3600.0, concurrency: int = 16, poll: float = 0.5,
                 batch: int = 200) -> None:
        self.session_factory = session_factory
        self.timeout, self.max_attempts, self.batch, self.poll = timeout, max_attempts, batch, poll
        self.backoff, self.backoff_max = backoff, backoff_max
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="webhook")
        self._http = httpx.Client(timeout=timeout, follow_redirects=False,
                                  limits=httpx.Limits(max_connections=concurrency * 2))
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        service.add_listener(self.wake)
        self._thread = threading.Thread(target=self.run, name="webhook-sender", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        service.remove_listener(self.wake)
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=self.timeout + 5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._http.close()

    def wake(self) -> None:
        self._wake.set()

    def run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                sent = self.run_once()
                failures = 0
            except Exception:
                failures += 1
                log.exception("webhook sender pass failed")
                sent = 0
                self._stop.wait(min(30.0, 0.5 * 2 ** min(failures, 6)))
            if not sent:
                self._wake.wait(self.poll)
                self._wake.clear()

    def backoff_for(self, attempts: int) -> float:
        """Seconds to wait after the `attempts`-th failed attempt."""
        return float(min(self.backoff_max, self.backoff * 2 ** (attempts - 1)))

    def run_once(self) -> int:
        """Claims what is due, sends it concurrently and records the outcomes; returns how many were sent."""
        claimed = self._claim()
        if claimed:
            self._record(list(zip(claimed, self._pool.map(self._post, claimed), strict=True)))
        return len(claimed)

    def _claim(self) -> list[Claimed]:
        now = datetime.now(UTC)
        with unit_of_work(self.session_factory) as session:
            stmt = (select(Delivery, Subscription.url, Subscription.secret)
                    .join(Subscription, Subscription.id == Delivery.subscription_id)
                    .where(Subscription.active.is_(True), Delivery.next_attempt_at <= now,
                           or_(Delivery.status == "pending", Delivery.status == "sending"))
                    .order_by(Delivery.next_attempt_at, Delivery.id).limit(self.batch)
                    .with_for_update(of=Delivery, skip_locked=True))
            rows = list(session.execute(stmt).tuples())
            lease = now + timedelta(seconds=self.timeout) + LEASE_MARGIN
            out = []
            for delivery, url, secret in rows:
                delivery.status, delivery.next_attempt_at = "sending", lease
                out.append(Claimed(id=delivery.id, url=url, secret=secret, event_type=delivery.event_type,
                                   body=encode(delivery.body), attempts=delivery.attempts,
                                   replays=delivery.replays))
        return out

    def _post(self, item: Claimed) -> Outcome:
        headers = {"content-type": "application/json", DELIVERY_HEADER: item.id, TYPE_HEADER: item.event_type,
                   SIGNATURE_HEADER: header(item.secret, item.body), "user-agent": "Samla-Webhooks/1"}
        start = time.perf_counter()
        try:
            resp = self._http.post(item.url, content=item.body, headers=headers)
            return Outcome(resp.status_code, None if resp.is_success else f"HTTP {resp.status_code}",
                           _ms(start))
        except httpx.TimeoutException:
            return Outcome(None, f"no answer within {self.timeout:g} s", _ms(start))
        except httpx.HTTPError as exc:
            return Outcome(None, f"{type(exc).__name__}: {exc}"[:500], _ms(start))

    def _record(self, results: list[tuple[Claimed, Outcome]]) -> None:
        """Writes the outcomes of one pass in one transaction."""
        now = datetime.now(UTC)
        with unit_of_work(self.session_factory) as session:
            for item, outcome in results:
                delivery = session.get(Delivery, item.id)
                if delivery is None:  # the subscriber was removed meanwhile
                    continue
                session.add(Attempt(delivery_id=item.id, attempted_at=now, status_code=outcome.status_code,
                                    error=outcome.error, duration_ms=outcome.duration_ms, replay=item.replays > 0))
                delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
                delivery.attempts = item.attempts + 1
                if outcome.ok:
                    delivery.status, delivery.delivered_at = "delivered", now
                elif delivery.attempts >= self.max_attempts:
                    delivery.status = "failed"
                else:
                    delivery.status = "pending"
                    delivery.next_attempt_at = now + timedelta(seconds=self.backoff_for(delivery.attempts))


def encode(body: dict[str, Any]) -> bytes:
    """The bytes sent (and signed): the same for every attempt and replay of a delivery."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _ms(start: float) -> int:
    return int((time.perf_counter() - start) * 1000)


def start(app: Any) -> None:
    """The service's startup hook: runs a sender for the app's database until its engine is disposed (which the
    service's shutdown does last), so the thread never outlives the app it belongs to."""
    from sqlalchemy import event

    from samla_feedback.config import get_settings

    s = get_settings()
    if not s.webhook_sender_enabled:
        return
    sender = Sender(session_factory=app.state.session_factory, timeout=s.webhook_timeout_seconds,
                    max_attempts=s.webhook_max_attempts, backoff=s.webhook_backoff_seconds,
                    backoff_max=s.webhook_backoff_max_seconds, concurrency=s.webhook_concurrency,
                    poll=s.webhook_poll_seconds)
    app.state.webhook_sender = sender
    event.listen(app.state.engine, "engine_disposed", lambda _engine: sender.stop(), once=True)
    sender.start()
