"""Seating wired into the events service on SQLite and PostgreSQL: a plan for the day's people that keeps every
rule, publication as one valid event per round, late changes that move few people, swaps that do what their
preview said, clear refusals, tables on badges and in "my day", and planning over gRPC with progress."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from itertools import combinations
from typing import Any

import grpc
import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from samla_common.auth import ServiceTokenSource
from samla_common.db import unit_of_work
from samla_common.directory import register_person_handlers
from samla_common.grpc_server import authed_channel
from samla_common.messaging.consumer import HandlerRegistry
from samla_common.messaging.envelope import Envelope
from samla_contracts.proto.samla.events.v1 import events_pb2 as pb
from samla_contracts.proto.samla.events.v1 import events_pb2_grpc as pb_grpc
from samla_contracts.schemas import _validator
from samla_events.chefsdag.schemas import Tables
from samla_events.db import people as people_table
from samla_events.directory.org_units import register_org_unit_handlers
from samla_events.registrations.service import Needs
from samla_events.seatingplans import service as seatingplans
from services.events.tests.conftest import Api
from services.events.tests.support import pdf
from services.events.tests.support.factories import answer, make_event, outbox, person
from services.events.tests.support.issuer import SERVICE_SECRET, LocalIssuer

pytestmark = pytest.mark.integration
ROUND_PUBLISHED = "se.samla.events.seating.round_published.v1"
AGENDA = {"items": [
    {"kind": "opening", "title": "Välkomna", "starts_at": "08:30", "ends_at": "09:00"},
    {"kind": "dialogue", "title": "Dialogrunda 1", "starts_at": "09:00", "ends_at": "09:45", "round_no": 1},
    {"kind": "dialogue", "title": "Dialogrunda 2", "starts_at": "10:15", "ends_at": "11:00", "round_no": 2},
    {"kind": "dialogue", "title": "Dialogrunda 3", "starts_at": "13:00", "ends_at": "13:45", "round_no": 3}]}
ADMINISTRATIONS = ("utb", "soc", "sbk")  # three förvaltningar, each with an avdelning below it
LEVELS = ("enhetschef", "avdelningschef", "forvaltningschef")


class Directory:
    """identity.person.v1 and identity.orgunit.v1 delivered through the service's own handlers."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory, self.registry, self.seq = factory, HandlerRegistry(), 0
        register_person_handlers(self.registry, people_table)
        register_org_unit_handlers(self.registry)

    def deliver(self, event_type: str, data: dict[str, Any]) -> None:
        handler = self.registry.get(event_type)
        assert handler is not None
        self.seq += 1
        env = Envelope(id=str(uuid.uuid4()), type=event_type, source="/samla/identity", subject=data["id"],
                       time=datetime.now(UTC), data=data, sequence=self.seq)
        with unit_of_work(self.factory) as session:
            handler(session, env)

    def unit(self, unit_id: str, kind: str, parent_id: str | None) -> None:
        self.deliver("se.samla.identity.orgunit.upserted.v1", {"id": unit_id, "name": f"Enhet {unit_id}",
                                                               "kind": kind, "parent_id": parent_id})

    def person(self, pid: str, unit: str, level: str, manager_id: str | None = None) -> None:
        self.deliver("se.samla.identity.person.upserted.v1", {
            "id": pid, "name": f"Chef {pid}", "org_unit_id": unit, "level": level, "manager_id": manager_id,
            "active": True, "updated_at": "2026-11-01T08:00:00Z"})


def a_day(api: Api, factory: sessionmaker[Session], *, n: int = 30, extra: int = 0, accessible_needs: int = 2,
          tables: Tables | None = None, agenda: dict[str, Any] = AGENDA) -> tuple[str, list[str], dict[str, str]]:
    """A day with n registered managers across three administrations (every fifth reports to the one before) and
    `extra` invited but not registered; returns (event id, registered ids, person → administration unit)."""
    tag = uuid.uuid4().hex[:6]
    directory = Directory(factory)
    directory.unit(f"k-{tag}", "kommunkoncern", None)
    for a in ADMINISTRATIONS:
        directory.unit(f"{a}-{tag}", "forvaltning", f"k-{tag}")
        directory.unit(f"{a}-{tag}-avd", "avdelning", f"{a}-{tag}")
    ids = [f"s{tag}-{i:02d}" for i in range(n + extra)]
    admin_of = {}
    for i, pid in enumerate(ids):
        a = ADMINISTRATIONS[i % 3]
        admin_of[pid] = f"{a}-{tag}"
        manager = ids[i - 3] if i % 5 == 4 else None  # i - 3 is in the same administration
        directory.person(pid, f"{a}-{tag}-avd" if i % 2 else f"{a}-{tag}", LEVELS[i % 3], manager)
    event_id = make_event(factory, invited=[person(pid, unit=f"{ADMINISTRATIONS[i % 3]}-{tag}-avd")
                                            for i, pid in enumerate(ids)],
                          capacity=n + extra, tables=tables or Tables(count=6, seats_per_table=6, accessible=1))
    assert api.call("PUT", f"/events/{event_id}/agenda", json=agenda).status_code == 200
    for i, pid in enumerate(ids[:n]):
        answer(factory, event_id, pid, needs=Needs(needs_accessible_seat=i < accessible_needs))
    return event_id, ids[:n], admin_of


def seats(plan: dict[str, Any]) -> dict[int, dict[str, str]]:
    """round → person → table."""
    return {r["round"]: {p: t["table_id"] for t in r["tables"] for p in t["person_ids"]} for r in plan["rounds"]}


def test_a_plan_seats_every_registered_person_once_per_round_and_keeps_every_rule(
        api: Api, factory: sessionmaker[Session]) -> None:
    event_id, ids, admin_of = a_day(api, factory)

    response = api.call("POST", f"/events/{event_id}/seating", json={"seed": 3})

    assert response.status_code == 200, response.text
    plan = response.json()
    assert plan["report"]["hard_violations"] == 0 and plan["report"]["violations"] == []
    assert plan["report"]["people"] == 30 and plan["report"]["rounds"] == 3 and not plan["published"]
    for r in plan["rounds"]:
        seated = [p for t in r["tables"] for p in t["person_ids"]]
        assert sorted(seated) == sorted(ids), r["round"]  # everyone, once
        assert all(len(t["person_ids"]) <= 6 for t in r["tables"])
    by_round = seats(plan)
    for i in range(4, 30, 5):  # a manager never shares a table with a direct report
        assert all(by_round[r][ids[i]] != by_round[r][ids[i - 3]] for r in (1, 2, 3))
    assert all(by_round[r][ids[0]] == by_round[r][ids[1]] == "1" for r in (1, 2, 3))  # the accessible table
    mix = plan["rounds"][0]["tables"][0]
    assert sum(a["count"] for a in mix["administrations"]) == len(mix["person_ids"])
    assert {a["id"] for t in plan["rounds"][0]["tables"] for a in t["administrations"]} == set(admin_of.values())
    assert {a["name"] for a in mix["administrations"]} <= {f"Enhet {u}" for u in admin_of.values()}
    assert sum(lv["count"] for lv in mix["levels"]) == len(mix["person_ids"])
    assert api.call("GET", f"/events/{event_id}/seating", roles=["samla-facilitator"]).json() == plan
    assert outbox(factory, event_id, topic="events.seating.v1") == []  # nothing is published before publishing


def test_publishing_writes_one_valid_event_per_round_and_tables_reach_badges_and_my_day(
        api: Api, factory: sessionmaker[Session]) -> None:
    event_id, ids, _ = a_day(api, factory, n=12, tables=Tables(count=3, seats_per_table=5, accessible=1))
    plan = api.call("POST", f"/events/{event_id}/seating").json()
    assert api.call("GET", f"/me/events/{event_id}", sub=ids[5], roles=[]).json()["tables"] == []  # not yet

    published = api.call("POST", f"/events/{event_id}/seating/publish")

    assert published.status_code == 200 and published.json()["published"]
    events = outbox(factory, event_id, topic="events.seating.v1")
    assert [(e["type"], e["data"]["round"]) for e in events] == [(ROUND_PUBLISHED, r) for r in (1, 2, 3)]
    validator = Draft202012Validator(_validator(ROUND_PUBLISHED).schema, format_checker=FormatChecker())
    for e in events:
        validator.validate(e["data"])
        assert e["data"]["event_id"] == event_id
    assert {e["data"]["round"]: {p: t["table_id"] for t in e["data"]["tables"] for p in t["person_ids"]}
            for e in events} == seats(plan)
    mine = api.call("GET", f"/me/events/{event_id}", sub=ids[5], roles=[]).json()["tables"]
    assert mine == [{"round_no": r, "table": seats(plan)[r][ids[5]]} for r in (1, 2, 3)]
    text = pdf.drawn_text(api.call("GET", f"/events/{event_id}/exports/badges.pdf").content)
    by_round = seats(plan)
    assert text.count("Bord: runda 1:") == 12
    assert f"Bord: runda 1: {by_round[1][ids[0]]}  runda 2: {by_round[2][ids[0]]}  runda 3: {by_round[3][ids[0]]}" \
        in text


def test_my_day_reads_the_published_plan_once_until_it_changes(api: Api, factory: sessionmaker[Session]) -> None:
    """Every phone opens "my day" when tables are published: the plan is parsed once per publication, not per read."""
    event_id, ids, _ = a_day(api, factory, n=20, accessible_needs=0)
    plan = api.call("POST", f"/events/{event_id}/seating").json()
    api.call("POST", f"/events/{event_id}/seating/publish")
    plan_reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "published_rounds" in statement:
            plan_reads.append(statement)

    def my_tables(pid: str) -> dict[int, str]:
        body = api.call("GET", f"/me/events/{event_id}", sub=pid, roles=[]).json()
        return {t["round_no"]: t["table"] for t in body["tables"]}

    sa_event.listen(Engine, "before_cursor_execute", count)
    try:
        first = [my_tables(p) for p in ids]
        reads_before_the_change = len(plan_reads)
        round2 = seats(plan)[2]
        for a, b in ((a, b) for a, b in combinations(ids, 2) if round2[a] != round2[b]):
            swap = {"round_no": 2, "person_a": a, "person_b": b}
            if api.call("POST", f"/events/{event_id}/seating/swap", json=swap).status_code == 200:
                break  # (a swap that would break a rule is refused; the next pair is tried)
        else:
            raise AssertionError("no swap was possible")
        plan_reads.clear()
        after = my_tables(a), my_tables(b), my_tables(a)
    finally:
        sa_event.remove(Engine, "before_cursor_execute", count)

    assert first == [{r: seats(plan)[r][p] for r in (1, 2, 3)} for p in ids]
    assert reads_before_the_change == 1  # twenty phones, one parse
    assert after[0][2] == round2[b] and after[1][2] == round2[a] and after[2] == after[0]
    assert after[0][1] == first[ids.index(a)][1]
    assert len(plan_reads) == 1  # the swap republished round 2: read again once


def test_no_shows_and_walk_ins_move_few_people_and_republish_what_changed(
        api: Api, factory: sessionmaker[Session]) -> None:
    event_id, ids, _ = a_day(api, factory, n=24, extra=1)
    before = seats(api.call("POST", f"/events/{event_id}/seating").json())
    api.call("POST", f"/events/{event_id}/seating/publish")
    walk_in = f"{ids[0].rsplit('-', 1)[0]}-24"
    answer(factory, event_id, walk_in)

    response = api.call("POST", f"/events/{event_id}/seating/changes",
                        json={"no_shows": [ids[7], ids[12]], "walk_ins": [walk_in]})

    assert response.status_code == 200, response.text
    changed = response.json()
    after = seats(changed["plan"])
    assert len(changed["moves"]) <= 3  # out of 24 people × 3 rounds
    assert sorted((m["round_no"], m["person_id"]) for m in changed["placed"]) == sorted(
        [(r, p) for r in (1, 2, 3) for p in (ids[7], ids[12], walk_in)])
    moved = {(m["round_no"], m["person_id"]) for m in changed["moves"]}
    for r in (1, 2, 3):
        assert ids[7] not in after[r] and ids[12] not in after[r] and walk_in in after[r]
        assert all(after[r][p] == before[r][p] for p in after[r] if p != walk_in and (r, p) not in moved)
    assert changed["plan"]["report"]["hard_violations"] == 0 and changed["plan"]["report"]["people"] == 23
    events = outbox(factory, event_id, topic="events.seating.v1")
    assert [e["data"]["round"] for e in events] == [1, 2, 3, 1, 2, 3]  # every round lost two and gained one
    assert walk_in in {p for t in events[-1]["data"]["tables"] for p in t["person_ids"]}
    refused = api.call("POST", f"/events/{event_id}/seating/changes", json={"walk_ins": [ids[0]]})
    assert refused.status_code == 422 and "already seated" in refused.text


def test_a_swap_does_what_its_preview_said(api: Api, factory: sessionmaker[Session]) -> None:
    event_id, ids, _ = a_day(api, factory, n=20, accessible_needs=0)
    plan = api.call("POST", f"/events/{event_id}/seating").json()
    report_before = plan["report"]
    round2 = seats(plan)[2]
    preview: dict[str, Any] = {}
    for a, b in combinations(ids, 2):
        if round2[a] == round2[b]:
            continue
        body = {"round_no": 2, "person_a": a, "person_b": b}
        preview = api.call("POST", f"/events/{event_id}/seating/swap/preview", json=body).json()
        if not preview["new_violations"] and preview["same_administration_pairs_delta"] != 0:
            break
    assert preview and api.call("GET", f"/events/{event_id}/seating").json()["version"] == plan["version"]

    done = api.call("POST", f"/events/{event_id}/seating/swap", json=body)

    assert done.status_code == 200, done.text
    assert done.json()["consequences"] == preview
    after = done.json()["plan"]
    assert seats(after)[2][a] == round2[b] and seats(after)[2][b] == round2[a]
    assert seats(after)[1] == seats(plan)[1] and seats(after)[3] == seats(plan)[3]
    report = after["report"]
    assert report["repeated_pairs"] - report_before["repeated_pairs"] == \
        len(preview["new_repeated_pairs"]) - len(preview["resolved_repeated_pairs"])
    assert report["per_round"][1]["same_administration_pairs"] - \
        report_before["per_round"][1]["same_administration_pairs"] == preview["same_administration_pairs_delta"]
    assert report["per_round"][1]["same_level_pairs"] - report_before["per_round"][1]["same_level_pairs"] == \
        preview["same_level_pairs_delta"]
    boss, report_of = ids[1], ids[4]  # ids[1] manages ids[4]: seating them together is refused
    mate = next(p for p, t in seats(after)[2].items() if t == seats(after)[2][boss] and p != boss)
    refused = api.call("POST", f"/events/{event_id}/seating/swap",
                       json={"round_no": 2, "person_a": report_of, "person_b": mate})
    assert refused.status_code == 422 and "manager and direct report" in refused.text
    assert api.call("GET", f"/events/{event_id}/seating").json()["version"] == after["version"]


def test_an_impossible_request_is_a_422_listing_every_reason(api: Api, factory: sessionmaker[Session]) -> None:
    event_id, _, _ = a_day(api, factory, n=6, tables=Tables(count=2, seats_per_table=3, accessible=0))
    api.call("PATCH", f"/events/{event_id}", json={"facilitator_ids": ["fac-1"]})  # a host, and one seat too few

    response = api.call("POST", f"/events/{event_id}/seating")

    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Seating is not possible"
    assert [e["message"] for e in body["errors"]] == [
        "Fler deltagare (7) än platser (6) / More people (7) than seats (6)",
        "2 personer behöver tillgänglig plats men det finns 0 / 2 people need an accessible seat but there are only 0"]
    assert "More people (7) than seats (6)" in body["detail"]
    assert api.call("GET", f"/events/{event_id}/seating").status_code == 404


def test_a_day_with_nobody_to_seat_is_a_422_saying_so(api: Api, factory: sessionmaker[Session]) -> None:
    event_id, _, _ = a_day(api, factory, n=0, extra=4, accessible_needs=0)

    response = api.call("POST", f"/events/{event_id}/seating")

    assert response.status_code == 422
    assert "Nobody to seat yet" in response.json()["detail"]
    assert api.call("GET", f"/events/{event_id}/seating").status_code == 404


def test_planning_over_grpc_streams_growing_progress_and_ends_done(
        api: Api, factory: sessionmaker[Session], issuer: LocalIssuer) -> None:
    event_id, ids, _ = a_day(api, factory, n=18, tables=Tables(count=4, seats_per_table=5, accessible=1))
    target = f"127.0.0.1:{api.app.state.settings.grpc_port}"
    tokens = ServiceTokenSource(issuer=issuer.url, client_id="samla-gateway", client_secret=SERVICE_SECRET)

    with authed_channel(target, tokens) as channel:
        updates = list(pb_grpc.EventsServiceStub(channel).PlanSeating(pb.PlanSeatingRequest(event_id=event_id),
                                                                      timeout=30))

    fractions = [u.fraction for u in updates]
    assert len(updates) >= 3 and fractions == sorted(set(fractions)) and 0 <= fractions[0] < 1
    assert updates[-1].done and updates[-1].fraction == 1.0 and not any(u.done for u in updates[:-1])
    stored = api.call("GET", f"/events/{event_id}/seating").json()
    assert stored["report"]["hard_violations"] == 0 and stored["report"]["people"] == 18
    with grpc.insecure_channel(target) as channel, pytest.raises(grpc.RpcError) as person:
        list(pb_grpc.EventsServiceStub(channel).PlanSeating(
            pb.PlanSeatingRequest(event_id=event_id), timeout=5,
            metadata=[("authorization", f"Bearer {issuer.token(sub=ids[0], roles=[])}")]))
    assert person.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_a_cancelled_grpc_plan_stops_the_planner_and_keeps_the_previous_seating(
        api: Api, factory: sessionmaker[Session], issuer: LocalIssuer, monkeypatch: pytest.MonkeyPatch) -> None:
    event_id, _, _ = a_day(api, factory, n=20)
    previous = api.call("POST", f"/events/{event_id}/seating").json()
    stopped: list[str] = []
    real_planner = seatingplans.make_plan

    def a_big_hall(*, request: Any, progress: Any, **options: Any) -> Any:
        """Plans as a hall of thousands would: it keeps reporting progress for seconds before it has a plan."""
        until = time.monotonic() + 10
        while time.monotonic() < until:
            try:
                progress(0.5, "improving round 2")
            except Exception as exc:
                stopped.append(type(exc).__name__)
                raise
            time.sleep(0.01)
        return real_planner(request=request, progress=progress, **options)

    monkeypatch.setattr(seatingplans, "make_plan", a_big_hall)
    target = f"127.0.0.1:{api.app.state.settings.grpc_port}"
    tokens = ServiceTokenSource(issuer=issuer.url, client_id="samla-gateway", client_secret=SERVICE_SECRET)

    channel = authed_channel(target, tokens)
    first = next(iter(pb_grpc.EventsServiceStub(channel).PlanSeating(pb.PlanSeatingRequest(event_id=event_id),
                                                                     timeout=30)))
    channel.close()  # cancels the call: the client has gone
    deadline = time.monotonic() + 8  # well before the slow planner would finish by itself
    while not stopped and time.monotonic() < deadline:
        time.sleep(0.02)

    assert not first.done
    assert stopped == ["PlanningCancelled"]
    assert api.call("GET", f"/events/{event_id}/seating").json() == previous
