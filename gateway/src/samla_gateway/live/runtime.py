"""The live updates of one gateway process: built and stopped by the app's lifespan (`start` / `stop`)."""

from __future__ import annotations

import asyncio
import logging
import resource
from dataclasses import dataclass

from fastapi import FastAPI

from samla_gateway.config import Settings
from samla_gateway.live.follow import ChangeSources
from samla_gateway.live.hub import Hub
from samla_gateway.live.kafka import KafkaChanges
from samla_gateway.live.upstream import Feedback

log = logging.getLogger(__name__)


@dataclass
class Live:
    hub: Hub
    sources: ChangeSources

    def start_sources(self) -> None:
        self.sources.start()


def start(app: FastAPI) -> Live:
    """Builds the hub on the app's HTTP client; nothing runs until someone opens a stream."""
    settings: Settings = app.state.settings
    raise_open_files_limit(settings.live_open_files)
    feedback = Feedback(base_url=settings.service_url("feedback"), http=app.state.http,
                        tokens=app.state.service_tokens)
    hub = Hub(fetch=feedback.fetch, min_interval=settings.live_min_interval_seconds)
    kafka = None
    if settings.live_kafka_enabled:
        loop = asyncio.get_running_loop()

        def notify(changes: dict[str, tuple[str, ...]]) -> None:  # on the consumer's thread
            loop.call_soon_threadsafe(_apply, hub, changes)

        kafka = KafkaChanges(bootstrap=settings.kafka_bootstrap_servers, options=settings.kafka_options(),
                             notify=notify)
    live = Live(hub=hub, sources=ChangeSources(hub=hub, feedback=feedback, kafka=kafka,
                                               bootstrap=settings.kafka_bootstrap_servers))
    app.state.live = live
    return live


async def stop(app: FastAPI) -> None:
    live: Live | None = getattr(app.state, "live", None)
    if live is None:
        return
    await live.hub.close()
    await live.sources.stop()


def of(app: FastAPI) -> Live:
    live: Live = app.state.live
    return live


def raise_open_files_limit(wanted: int) -> None:
    """Every held stream is a socket: lift the soft limit (often 1024) towards `wanted`, within the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        log.info("live: open files limit raised from %d to %d", soft, target)


def _apply(hub: Hub, changes: dict[str, tuple[str, ...]]) -> None:
    for event_id, streams in changes.items():
        hub.changed(event_id, streams)
