"""Chooses where changes come from: Kafka while it works, the feedback service's long-poll change feed otherwise.

A supervisor looks once a second. While the Kafka consumer is assigned and the broker answers, Kafka is the
source. Otherwise one long poll per watched event follows `GET /events/{id}/board/changes` from feedback, so
boards keep updating with the broker down. Whenever the source switches, every watched stream fetches again:
whatever happened in between is then on screen.
"""

from __future__ import annotations

import asyncio
import logging
import sys

import httpx

from samla_common.health import broker_check
from samla_gateway.live import metrics
from samla_gateway.live.hub import BOARD, STREAMS, Hub
from samla_gateway.live.kafka import KafkaChanges
from samla_gateway.live.upstream import Feedback

log = logging.getLogger(__name__)

LOOK_SECONDS = 1.0
LONG_POLL_SECONDS = 20.0
ERROR_BACKOFF_SECONDS = 2.0
# A `since` beyond any cursor: feedback answers "reset" with the head, the place to follow from.
HEAD = sys.maxsize


class ChangeSources:
    def __init__(self, *, hub: Hub, feedback: Feedback, kafka: KafkaChanges | None, bootstrap: str) -> None:
        self.hub = hub
        self.feedback = feedback
        self.kafka = kafka
        self._broker_reachable = broker_check(bootstrap)
        self._followers: dict[str, asyncio.Task[None]] = {}
        self._supervisor: asyncio.Task[None] | None = None
        self._using_kafka = False

    def start(self) -> None:
        """Starts on the first watched stream, so a gateway nobody watches holds no consumer."""
        if self._supervisor is not None:
            return
        if self.kafka is not None:
            self.kafka.start()
        self._supervisor = asyncio.create_task(self._supervise(), name="live sources")

    async def stop(self) -> None:
        tasks = [t for t in (self._supervisor, *self._followers.values()) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._followers.clear()
        if self.kafka is not None:
            await asyncio.to_thread(self.kafka.stop)

    async def _supervise(self) -> None:
        while True:
            use_kafka = await self._kafka_usable()
            if use_kafka != self._using_kafka:
                log.info("live: changes now come from %s", "Kafka" if use_kafka else "the long-poll change feed")
                self._using_kafka = use_kafka
                metrics.KAFKA_ACTIVE.set(1 if use_kafka else 0)
                self.hub.changed_everywhere()
            wanted = set() if use_kafka else self.hub.watched_events()
            for event_id in set(self._followers) - wanted:
                self._followers.pop(event_id).cancel()
            for event_id in wanted - set(self._followers):
                self._followers[event_id] = asyncio.create_task(self._follow(event_id),
                                                                name=f"live follow {event_id}")
            await asyncio.sleep(LOOK_SECONDS)

    async def _kafka_usable(self) -> bool:
        if self.kafka is None or not self.kafka.active:
            return False
        try:
            await asyncio.to_thread(self._broker_reachable)
        except ConnectionError:
            return False
        return True

    async def _follow(self, event_id: str) -> None:
        cursor = HEAD
        while True:
            try:
                resp = await self.feedback.get(f"/events/{event_id}/board/changes",
                                               params={"since": cursor, "wait": LONG_POLL_SECONDS},
                                               timeout=LONG_POLL_SECONDS + 10)
            except httpx.HTTPError as exc:
                log.warning("live: the change feed of %s did not answer: %s", event_id, exc)
                await asyncio.sleep(ERROR_BACKOFF_SECONDS)
                continue
            body = resp.json()
            kinds = {change["kind"] for change in body["changes"]}
            if body["reset"] and cursor != HEAD:
                self.hub.changed(event_id)  # the feed lost our place: refetch rather than miss something
            elif kinds:
                self.hub.changed(event_id, STREAMS if "prompt" in kinds else (BOARD,))
            cursor = int(body["cursor"])
