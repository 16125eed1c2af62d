"""The live hub's logic with a fake feedback service: fan-out, coalescing, unwatched streams, leaving subscribers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from samla_gateway.live import frames
from samla_gateway.live.frames import Frame
from samla_gateway.live.hub import BOARD, PROMPTS, Hub, StreamKey
from samla_gateway.live.kafka import PROMPT_CHANGED, changes_in
from samla_gateway.live.upstream import prompts_frame

BOARD_E = StreamKey(BOARD, "chefsdag")


class FakeFeedback:
    """Counts fetches; each fetch of a stream sees the current version of it."""

    def __init__(self) -> None:
        self.fetches: dict[StreamKey, int] = {}
        self.version = 0
        self.failing = False

    async def fetch(self, key: StreamKey) -> Frame:
        self.fetches[key] = self.fetches.get(key, 0) + 1
        if self.failing:
            raise ConnectionError("feedback is down")
        return Frame(key.stream, str(self.version), json.dumps({"version": self.version}).encode())


async def until(check: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.005)


def run(scenario: Callable[[Hub, FakeFeedback], Awaitable[None]], *, min_interval: float = 0.01) -> None:
    async def main() -> None:
        feedback = FakeFeedback()
        hub = Hub(fetch=feedback.fetch, min_interval=min_interval)
        try:
            await scenario(hub, feedback)
        finally:
            await hub.close()

    asyncio.run(main())


def test_one_fetch_reaches_every_subscriber_of_a_board() -> None:
    async def scenario(hub: Hub, feedback: FakeFeedback) -> None:
        subscribers = [hub.subscribe(BOARD_E) for _ in range(200)]
        received = await asyncio.gather(*(s.next(5) for s in subscribers))
        assert {f.id if f else None for f in received} == {"0"}
        assert feedback.fetches == {BOARD_E: 1}

    run(scenario)


def test_a_late_subscriber_gets_the_current_board_without_a_new_fetch() -> None:
    async def scenario(hub: Hub, feedback: FakeFeedback) -> None:
        first = hub.subscribe(BOARD_E)
        await first.next(5)
        late = hub.subscribe(BOARD_E)
        frame = await late.next(5)
        assert frame is not None and frame.id == "0"
        assert feedback.fetches[BOARD_E] == 1

    run(scenario)


def test_many_changes_within_one_interval_make_one_fetch_and_one_frame() -> None:
    async def scenario(hub: Hub, feedback: FakeFeedback) -> None:
        subscriber = hub.subscribe(BOARD_E)
        await subscriber.next(5)
        for version in range(1, 1001):  # a burst of answers, all before the ticker runs again
            feedback.version = version
            hub.changed("chefsdag")
        frame = await subscriber.next(5)
        assert frame is not None and frame.id == "1000"
        assert feedback.fetches[BOARD_E] == 2

    run(scenario, min_interval=0.2)


def test_an_unchanged_board_is_not_sent_again() -> None:
    async def scenario(hub: Hub, feedback: FakeFeedback) -> None:
        subscriber = hub.subscribe(BOARD_E)
        await subscriber.next(5)
        hub.changed("chefsdag")  # e.g. the same change heard from Kafka and from the change feed
        await until(lambda: feedback.fetches[BOARD_E] == 2, "the second fetch")
        assert await subscriber.next(0.05) is None

    run(scenario)


def test_a_board_nobody_watches_is_not_fetched() -> None:
    async def scenario(hub: Hub, feedback: FakeFeedback) -> None:
        hub.changed("nobody-watches")
        watched = hub.subscribe(BOARD_E)
        await watched.next(5)
        hub.unsubscribe(BOARD_E, watched)
        hub.changed("chefsdag")
        await asyncio.sleep(0.05)
        assert feedback.fetches == {BOARD_E: 1}
        assert hub.stream_count == 0 and hub.watched_events() == set()

    run(scenario)


def test_a_subscriber_that_leaves_is_forgotten_and_the_stream_goes_on_for_the_others() -> None:
    async def scenario(hub: Hub, feedback: FakeFeedback) -> None:
        leaving, staying = hub.subscribe(BOARD_E), hub.subscribe(BOARD_E)
        hub.unsubscribe(BOARD_E, leaving)
        assert leaving.closed
        assert hub.subscriber_count(BOARD_E) == 1
        frame = await staying.next(5)
        assert frame is not None

    run(scenario)


def test_prompt_changes_refetch_both_streams_and_answers_only_the_board() -> None:
    async def scenario(hub: Hub, feedback: FakeFeedback) -> None:
        prompts_key = StreamKey(PROMPTS, "chefsdag")
        board, prompts = hub.subscribe(BOARD_E), hub.subscribe(prompts_key)
        await board.next(5), await prompts.next(5)
        feedback.version = 1
        hub.changed("chefsdag", (BOARD,))
        await until(lambda: feedback.fetches[BOARD_E] == 2, "the board refetched")
        await asyncio.sleep(0.05)
        assert feedback.fetches[prompts_key] == 1

    run(scenario)


def test_a_failed_fetch_is_retried_and_subscribers_keep_waiting() -> None:
    async def scenario(hub: Hub, feedback: FakeFeedback) -> None:
        feedback.failing = True
        subscriber = hub.subscribe(BOARD_E)
        await until(lambda: feedback.fetches.get(BOARD_E, 0) >= 1, "a first attempt")
        assert await subscriber.next(0.05) is None
        feedback.failing = False
        frame = await subscriber.next(5)  # the retry comes after the back-off (2 s)
        assert frame is not None and frame.id == "0"

    run(scenario)


def test_frames_put_each_json_line_on_its_own_data_line() -> None:
    frame = Frame("board", "41", b'{"a": 1,\n "b": "x"}')
    assert frames.encode(frame) == b'event: board\nid: 41\ndata: {"a": 1,\ndata:  "b": "x"}\n\n'
    assert frames.encode(Frame("board", "4\n2", b"{}")).startswith(b"event: board\nid: 42\n")


@dataclass
class Record:
    topic: str
    value: bytes
    headers: list[tuple[str, bytes]]


def test_kafka_records_name_the_event_and_which_streams_changed() -> None:
    def record(ce_type: str, data: Any) -> Record:
        return Record("feedback.response.v1", json.dumps(data).encode(), [("ce_type", ce_type.encode())])

    changes = changes_in([
        record("se.samla.feedback.response.recorded.v1", {"event_id": "a", "prompt_id": "p"}),
        record(PROMPT_CHANGED, {"event_id": "b", "id": "p2"}),
        record("se.samla.feedback.question.changed.v1", {"event_id": "a"}),
        Record("feedback.question.v1", b"not json", []),
    ])
    assert changes == {"a": (BOARD,), "b": (BOARD, PROMPTS)}


def test_the_prompts_frame_lists_open_prompts_without_results_and_names_its_content() -> None:
    opened = {"id": "p1", "title": "Hur mår du?", "kind": "scale", "section": "dialogue", "status": "open",
              "options": [], "k": 5}
    closed = {**opened, "id": "p2", "status": "closed"}
    frame = prompts_frame([opened, closed])
    body = json.loads(frame.data)
    assert [p["id"] for p in body["open"]] == ["p1"]
    assert body["open"][0]["title"] == body["open"][0]["text"] == "Hur mår du?"
    assert "k" not in body["open"][0]
    assert prompts_frame([opened]).id == frame.id != prompts_frame([]).id


def test_a_gateway_stops_cleanly_when_nobody_ever_watched_a_stream() -> None:
    from samla_gateway.live.follow import ChangeSources
    from samla_gateway.live.kafka import KafkaChanges
    from samla_gateway.live.upstream import Feedback

    async def main() -> None:
        hub = Hub(fetch=FakeFeedback().fetch)
        kafka = KafkaChanges(bootstrap="127.0.0.1:9", options={}, notify=lambda changes: None)
        sources = ChangeSources(hub=hub, feedback=Feedback(base_url="http://127.0.0.1:9", http=None,  # type: ignore[arg-type]
                                                           tokens=None),  # type: ignore[arg-type]
                                kafka=kafka, bootstrap="127.0.0.1:9")
        await sources.stop()
        await hub.close()

    asyncio.run(main())
