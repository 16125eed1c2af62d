"""Live updates through the real stack: broker, identity, events, feedback, network and the gateway as processes.

A participant's answer goes in through the gateway's API and comes out on the board's Server-Sent Events stream;
the same holds for a gateway that cannot reach the broker (it follows feedback's long-poll change feed instead).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from deploy.local.stack import Ports, Stack, wait_for_port
from gateway.tests.live.support import Listener, Tokens, bearer, metric
from gateway.tests.support import PEOPLE, UNITS, free_port

pytestmark = pytest.mark.system

EVENT = "chefsdag-live"
PARTICIPANTS = [f"p-live-{n:02d}" for n in range(30)]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var = tmp_path_factory.mktemp("live")
    s = Stack(var_dir=var, ports=Ports.free(), color=False, log_file=Path(var) / "stack.log")
    try:
        s.start_all(ready_timeout=120)
        yield s
    finally:
        s.stop_all()


@pytest.fixture(scope="module")
def tokens(stack: Stack) -> Tokens:
    t = Tokens(stack)
    with httpx.Client(base_url=t.identity, headers=bearer(t.service()), timeout=10) as client:
        for unit in UNITS:
            client.put(f"/org-units/{unit['id']}", json=unit).raise_for_status()
    t.add_people([p for p in PEOPLE if p["id"] != "p-gone"]
                 + [{"id": pid, "name": f"Deltagare {pid[-2:]}", "org_unit_id": "ou-skola"} for pid in PARTICIPANTS])
    return t


@pytest.fixture(scope="module")
def gateway_without_broker(stack: Stack) -> Iterator[str]:
    """A second gateway on the same services whose broker address leads nowhere."""
    ports = dataclasses.replace(stack.ports, gateway=free_port())
    other = Stack(var_dir=stack.var_dir, ports=ports, color=False, log_file=stack.var_dir / "gateway-2.log",
                  extra_env={"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{free_port()}"})
    try:
        other.start_service("gateway")
        wait_for_port(ports.gateway, timeout=60)
        yield other.gateway_url
    finally:
        other.stop_all()


def create_prompt(stack: Stack, tokens: Tokens, title: str, *, open_it: bool = True) -> str:
    headers = bearer(tokens.person("p-facilitator"))
    base = f"{stack.gateway_url}/api/feedback"
    resp = httpx.post(f"{base}/events/{EVENT}/prompts", headers=headers, timeout=10,
                      json={"kind": "scale", "title": title, "scale": {"min": 1, "max": 5}})
    resp.raise_for_status()
    prompt_id = str(resp.json()["id"])
    if open_it:
        httpx.post(f"{base}/prompts/{prompt_id}/open", headers=headers, timeout=10).raise_for_status()
    return prompt_id


def respondents(board: dict[str, Any], prompt_id: str) -> int:
    return next(int(p["results"]["respondents"]) for p in board["prompts"] if p["prompt"]["id"] == prompt_id)


async def answer(client: httpx.AsyncClient, base: str, token: str, prompt_id: str, value: int) -> None:
    resp = await client.post(f"{base}/api/feedback/prompts/{prompt_id}/responses", json={"scale": value},
                             headers=bearer(token))
    assert resp.status_code in (200, 201), resp.text


async def wait_for_kafka(client: httpx.AsyncClient, base: str) -> None:
    """Kafka becomes the source once the gateway's consumer has joined its group (a few seconds)."""
    async with asyncio.timeout(60):
        while metric((await client.get(f"{base}/metrics")).text, "samla_gateway_live_kafka_active") != 1:
            await asyncio.sleep(0.2)


def test_an_answer_given_through_the_gateway_appears_on_the_board_stream(stack: Stack, tokens: Tokens) -> None:
    prompt_id = create_prompt(stack, tokens, "Hur väl känner du till budgetprocessen?")
    base = stack.gateway_url

    async def scenario() -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=60)) as client:
            url = f"{base}/live/events/{EVENT}/board"
            async with Listener(client, url, bearer(tokens.person("p-chef"))) as board:
                assert board.status == 200 and board.content_type.startswith("text/event-stream")
                first = await board.wait_for(lambda e: e.get("event") == "board", what="the board")
                assert respondents(board.named("board")[0], prompt_id) == 0
                assert first["id"] == str(board.named("board")[0]["cursor"])
                assert any("retry" in e for e in board.events)
                await wait_for_kafka(client, base)

                await answer(client, base, tokens.person(PARTICIPANTS[0]), prompt_id, 4)
                await board.wait_for(lambda e: e.get("event") == "board" and
                                     respondents(json_of(e), prompt_id) == 1, what="the answer")

    asyncio.run(scenario())


def test_board_changes_are_batched_to_at_most_two_events_a_second(stack: Stack, tokens: Tokens) -> None:
    prompt_id = create_prompt(stack, tokens, "Hur trivs du i din roll?")
    base = stack.gateway_url
    people = [tokens.person(pid) for pid in PARTICIPANTS]

    async def scenario() -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(30, read=60)) as client:
            url = f"{base}/live/events/{EVENT}/board"
            async with Listener(client, url, bearer(tokens.person("p-chef"))) as board:
                await board.wait_for(lambda e: e.get("event") == "board", what="the board")
                await wait_for_kafka(client, base)
                before = len(board.named("board"))
                started = time.monotonic()
                for value in (1, 2, 3):  # every participant answers, then changes their mind twice: 90 changes
                    await asyncio.gather(*(answer(client, base, token, prompt_id, value) for token in people))
                await board.wait_for(lambda e: e.get("event") == "board" and
                                     respondents(json_of(e), prompt_id) == len(people), what="every answer")
                # Nothing new may arrive later than a last tick after the final answer.
                await asyncio.sleep(1.5)
                elapsed = time.monotonic() - started
                events = len(board.named("board")) - before
                assert 1 <= events <= 2 * elapsed + 2, (events, elapsed)
                assert events < 90
                last = board.named("board")[-1]
                assert respondents(last, prompt_id) == len(people)

    asyncio.run(scenario())


def test_a_newly_opened_prompt_reaches_the_phones_without_reloading(stack: Stack, tokens: Tokens) -> None:
    base = stack.gateway_url

    async def scenario() -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=60)) as client:
            url = f"{base}/live/events/{EVENT}/prompts"
            async with Listener(client, url, bearer(tokens.person(PARTICIPANTS[1]))) as phone:
                await phone.wait_for(lambda e: e.get("event") == "prompts", what="the open prompts")
                assert "results" not in str(phone.named("prompts")[0])
                prompt_id = await asyncio.to_thread(create_prompt, stack, tokens, "Vad ger dig energi?")
                opened = await phone.wait_for(lambda e: e.get("event") == "prompts" and
                                              prompt_id in ids_of(e), what="the new prompt")
                shown = next(p for p in json_of(opened)["open"] if p["id"] == prompt_id)
                assert shown["title"] == "Vad ger dig energi?" and shown["kind"] == "scale"
                assert shown["section"] == "dialogue"
                seen = len(phone.events)
                closed = await client.post(f"{base}/api/feedback/prompts/{prompt_id}/close",
                                           headers=bearer(tokens.person("p-facilitator")))
                assert closed.status_code == 200, closed.text
                await phone.wait_for(lambda e: e.get("event") == "prompts" and prompt_id not in ids_of(e),
                                     since=seen, what="the prompt closing")

    asyncio.run(scenario())


def test_the_live_streams_refuse_anonymous_callers(stack: Stack) -> None:
    for stream in ("board", "prompts"):
        resp = httpx.get(f"{stack.gateway_url}/live/events/{EVENT}/{stream}", timeout=10)
        assert resp.status_code == 401
        assert resp.headers["content-type"].startswith("application/problem+json")
        assert "Sign in" in resp.json()["detail"]
    resp = httpx.get(f"{stack.gateway_url}/live/events/{EVENT}/board", headers=bearer("not-a-token"), timeout=10)
    assert resp.status_code == 401


def test_an_unreadable_event_id_is_refused_with_a_problem(stack: Stack, tokens: Tokens) -> None:
    resp = httpx.get(f"{stack.gateway_url}/live/events/bad%20id!/board", headers=bearer(tokens.person("p-chef")),
                     timeout=10)
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("application/problem+json")


def test_closed_streams_leave_the_gateway_and_an_unwatched_board_is_dropped(stack: Stack, tokens: Tokens) -> None:
    base = stack.gateway_url
    event = "chefsdag-leaving"

    async def gauges(client: httpx.AsyncClient) -> tuple[float, float]:
        text = (await client.get(f"{base}/metrics")).text
        return (metric(text, "samla_gateway_live_connections", stream="board"),
                metric(text, "samla_gateway_live_streams", stream="board"))

    async def scenario() -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=60)) as client:
            held_before, streams_before = await gauges(client)
            url = f"{base}/live/events/{event}/board"
            listeners = [Listener(client, url, bearer(tokens.person(pid))) for pid in PARTICIPANTS[:3]]
            for listener in listeners:
                await listener.__aenter__()
            assert await gauges(client) == (held_before + 3, streams_before + 1)
            for listener in listeners:
                await listener.close()
            async with asyncio.timeout(30):
                while await gauges(client) != (held_before, streams_before):
                    await asyncio.sleep(0.1)

    asyncio.run(scenario())


def test_a_gateway_that_cannot_reach_the_broker_follows_the_change_feed(
        stack: Stack, tokens: Tokens, gateway_without_broker: str) -> None:
    prompt_id = create_prompt(stack, tokens, "Hur väl fungerar samverkan?")
    base = gateway_without_broker

    async def scenario() -> None:
        async with httpx.AsyncClient(timeout=httpx.Timeout(10, read=60)) as client:
            url = f"{base}/live/events/{EVENT}/board"
            async with Listener(client, url, bearer(tokens.person("p-chef"))) as board:
                await board.wait_for(lambda e: e.get("event") == "board", what="the board")
                await answer(client, base, tokens.person(PARTICIPANTS[2]), prompt_id, 5)
                await board.wait_for(lambda e: e.get("event") == "board" and
                                     respondents(json_of(e), prompt_id) == 1, what="the answer")
                text = (await client.get(f"{base}/metrics")).text
                assert metric(text, "samla_gateway_live_kafka_active") == 0

    asyncio.run(scenario())


def json_of(event: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(event["data"])
    return body


def ids_of(event: dict[str, str]) -> set[str]:
    return {p["id"] for p in json_of(event)["open"]}
