"""Many people answering at once for the last seats: the day is never overbooked (PostgreSQL and SQLite), and two
doors checking in the same person at once count them once."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_events.checkin import service as checkin
from samla_events.chefsdag.states import State
from samla_events.registrations import service as registrations
from samla_events.registrations.models import Registration
from services.events.tests.support.factories import BEFORE, ON_THE_DAY, POLICY, answer, make_event, outbox, people

pytestmark = pytest.mark.integration
RACERS = 24
SEATS = 3


def test_concurrent_registrations_for_the_last_seats_never_overbook(factory: sessionmaker[Session]) -> None:
    crowd = people(RACERS)
    event_id = make_event(factory, invited=crowd, capacity=SEATS)
    start = threading.Barrier(RACERS)

    def register(pid: str) -> str:
        start.wait()
        with unit_of_work(factory) as s:
            return registrations.respond(session=s, event_id=event_id, person_id=pid, attending=True, needs=None,
                                         now=BEFORE, policy=POLICY).status

    with ThreadPoolExecutor(RACERS) as pool:
        results = list(pool.map(register, [p.id for p in crowd]))

    assert Counter(results) == {"registered": SEATS, "waitlisted": RACERS - SEATS}
    with factory() as s:
        rows = s.query(Registration).filter_by(event_id=event_id).all()
    assert sorted(r.waitlist_position for r in rows if r.status == "waitlisted") == list(range(1, RACERS - SEATS + 1))
    assert sorted(r.number for r in rows) == list(range(1, RACERS + 1))
    events = outbox(factory, event_id)
    assert len(events) == RACERS and [e["seq"] for e in events] == list(range(1, RACERS + 1))


def test_seats_freed_while_others_register_still_never_overbook(factory: sessionmaker[Session]) -> None:
    holders, crowd = people(SEATS), people(RACERS)
    event_id = make_event(factory, invited=holders + crowd, capacity=SEATS)
    for p in holders:
        answer(factory, event_id, p.id)
    start = threading.Barrier(RACERS + SEATS)

    def act(pid: str, attending: bool) -> None:
        start.wait()
        with unit_of_work(factory) as s:
            registrations.respond(session=s, event_id=event_id, person_id=pid, attending=attending, needs=None,
                                  now=BEFORE + timedelta(minutes=1), policy=POLICY)

    with ThreadPoolExecutor(RACERS + SEATS) as pool:
        jobs = [pool.submit(act, p.id, False) for p in holders] + [pool.submit(act, p.id, True) for p in crowd]
        for job in jobs:
            job.result()

    with factory() as s:
        rows = s.query(Registration).filter_by(event_id=event_id).all()
    held = [r for r in rows if r.status in ("registered", "offered")]
    assert len(held) == SEATS
    assert all(r.status == "cancelled" for r in rows if r.person_id in {p.id for p in holders})


def test_two_doors_checking_in_the_same_person_at_once_count_them_once(factory: sessionmaker[Session]) -> None:
    crowd = people(1)
    event_id = make_event(factory, invited=crowd, capacity=5)
    answer(factory, event_id, crowd[0].id)
    from services.events.tests.support.factories import move_to

    move_to(factory, event_id, State.ONGOING)
    doors = 8
    start = threading.Barrier(doors)

    def scan(door: int) -> bool:
        start.wait()
        with unit_of_work(factory) as s:
            return checkin.check_in(session=s, event_id=event_id, key=b"k" * 32, by=f"door-{door}", now=ON_THE_DAY,
                                    person_id=crowd[0].id, entrance=f"Entré {door}").already

    with ThreadPoolExecutor(doors) as pool:
        already = list(pool.map(scan, range(doors)))

    assert already.count(False) == 1
    assert [e["type"] for e in outbox(factory, event_id)].count("se.samla.events.registration.checked_in.v1") == 1
