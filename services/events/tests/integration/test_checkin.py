"""Check-in at the doors on SQLite and PostgreSQL: codes that are refused, offline queues replayed without double
check-ins, walk-ins while the hall has room, undo, and counts per entrance."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_common.errors import Conflict
from samla_events.checkin import service as checkin
from samla_events.checkin import tokens
from samla_events.checkin.service import OfflineOp
from samla_events.chefsdag.schemas import Tables
from samla_events.chefsdag.states import NotAllowedNow, State
from samla_events.registrations import service as registrations
from services.events.tests.support.factories import (
    ON_THE_DAY,
    POLICY,
    answer,
    make_event,
    move_to,
    outbox,
    people,
    person,
)

pytestmark = pytest.mark.integration
KEY = b"k" * 32


def day_with(factory: sessionmaker[Session], n: int, *, capacity: int = 10, tables: Tables | None = None,
             start: bool = True) -> tuple[str, list[str], list[str]]:
    """A day with n registered people; returns (event id, person ids, their check-in codes)."""
    crowd = people(n)
    event_id = make_event(factory, invited=crowd, capacity=capacity, tables=tables)
    for p in crowd:
        answer(factory, event_id, p.id)
    if start:
        move_to(factory, event_id, State.ONGOING)
    with factory() as s:
        regs = [registrations.get(session=s, event_id=event_id, person_id=p.id) for p in crowd]
    expires = POLICY.token_expiry(ON_THE_DAY.date(), ON_THE_DAY.time())
    codes = [tokens.sign(key=KEY, event_id=event_id, number=r.number, expires_at=expires) for r in regs if r]
    return event_id, [p.id for p in crowd], codes


def scan(factory: sessionmaker[Session], event_id: str, code: str, **kwargs: Any) -> checkin.Arrival:
    with unit_of_work(factory) as s:
        return checkin.check_in(session=s, event_id=event_id, key=KEY, by="door-a", now=ON_THE_DAY, token=code,
                                **kwargs)


def test_a_scanned_code_checks_the_right_person_in_once(factory: sessionmaker[Session]) -> None:
    event_id, ids, codes = day_with(factory, 3)

    first = scan(factory, event_id, codes[1], entrance="Entré A")
    again = scan(factory, event_id, codes[1], entrance="Entré B")

    assert first.registration.person_id == ids[1] and not first.already
    assert again.already and again.registration.checked_in_entrance == "Entré A"
    assert [e["type"] for e in outbox(factory, event_id)].count("se.samla.events.registration.checked_in.v1") == 1


def test_forged_expired_and_other_day_codes_are_refused(factory: sessionmaker[Session]) -> None:
    event_id, _, codes = day_with(factory, 1)
    other_day, _, other_codes = day_with(factory, 1)
    expired = tokens.sign(key=KEY, event_id=event_id, number=1, expires_at=ON_THE_DAY - timedelta(minutes=1))
    forged = tokens.sign(key=b"not-our-key", event_id=event_id, number=1, expires_at=ON_THE_DAY + timedelta(hours=9))

    with pytest.raises(tokens.ForgedToken):
        scan(factory, event_id, forged)
    with pytest.raises(tokens.ExpiredToken):
        scan(factory, event_id, expired)
    with pytest.raises(tokens.OtherEventToken):
        scan(factory, event_id, other_codes[0])
    assert not scan(factory, other_day, other_codes[0]).already  # the same code is fine at its own day
    with factory() as s:
        assert checkin.counts(session=s, event_id=event_id).checked_in == 0
    assert scan(factory, event_id, codes[0]).registration.checked_in_at == ON_THE_DAY


def test_people_without_a_seat_are_not_checked_in_but_can_walk_in(factory: sessionmaker[Session]) -> None:
    crowd = people(2)
    event_id = make_event(factory, invited=crowd, capacity=1)
    answer(factory, event_id, crowd[0].id)
    answer(factory, event_id, crowd[1].id)  # waiting list
    move_to(factory, event_id, State.ONGOING)

    with pytest.raises(Conflict, match="not registered \\(status: waitlisted\\)"), unit_of_work(factory) as s:
        checkin.check_in(session=s, event_id=event_id, key=KEY, by="door", now=ON_THE_DAY, person_id=crowd[1].id)
    with unit_of_work(factory) as s:
        arrival = checkin.walk_in(session=s, event_id=event_id, person=crowd[1], by="door", now=ON_THE_DAY,
                                  entrance="Entré A")

    assert arrival.registration.status == "registered" and arrival.registration.walk_in
    types = [e["type"].rsplit(".", 2)[-2] for e in outbox(factory, event_id)]
    assert types[-2:] == ["registered", "checked_in"]


def test_walk_ins_stop_when_everyone_present_fills_the_tables(factory: sessionmaker[Session]) -> None:
    event_id, ids, _ = day_with(factory, 2, capacity=2, tables=Tables(count=1, seats_per_table=3))
    for pid in ids:
        with unit_of_work(factory) as s:
            checkin.check_in(session=s, event_id=event_id, key=KEY, by="door", now=ON_THE_DAY, person_id=pid)
    with unit_of_work(factory) as s:
        checkin.walk_in(session=s, event_id=event_id, person=person(f"{event_id}-w1"), by="door", now=ON_THE_DAY)

    with pytest.raises(Conflict, match="The hall is full: 3 people have checked in for 3 seats"), \
            unit_of_work(factory) as s:
        checkin.walk_in(session=s, event_id=event_id, person=person(f"{event_id}-w2"), by="door", now=ON_THE_DAY)


def test_an_offline_queue_replayed_twice_checks_everyone_in_once(factory: sessionmaker[Session]) -> None:
    event_id, ids, codes = day_with(factory, 4)
    at = ON_THE_DAY - timedelta(minutes=20)
    queue = [
        OfflineOp("door-b-1", "check_in", at, token=codes[0], entrance="Entré B"),
        OfflineOp("door-b-2", "check_in", at + timedelta(seconds=5), token=codes[0], entrance="Entré B"),
        OfflineOp("door-b-3", "check_in", at + timedelta(seconds=9), person_id=ids[1], entrance="Entré B"),
        OfflineOp("door-b-4", "check_in", at + timedelta(seconds=12), token="garbage", entrance="Entré B"),
        OfflineOp("door-b-5", "check_in", at + timedelta(seconds=15), token=codes[2], entrance="Entré B"),
        OfflineOp("door-b-6", "undo", at + timedelta(seconds=20), token=codes[2], entrance="Entré B"),
    ]
    scan(factory, event_id, codes[1], entrance="Entré A")  # online at the other door meanwhile

    with unit_of_work(factory) as s:
        first = checkin.replay(session=s, event_id=event_id, key=KEY, ops=queue, by="door-b", now=ON_THE_DAY)
    with unit_of_work(factory) as s:
        second = checkin.replay(session=s, event_id=event_id, key=KEY, ops=list(reversed(queue)), by="door-b",
                                now=ON_THE_DAY)

    assert [r.outcome for r in first] == ["checked_in", "already_checked_in", "already_checked_in", "rejected",
                                          "checked_in", "undone"]
    assert {r.outcome for r in second} == {"duplicate"}
    with factory() as s:
        counts = checkin.counts(session=s, event_id=event_id)
        attendance = checkin.attendance(session=s, event_id=event_id)
    assert counts.checked_in == 2 and counts.by_entrance == {"Entré A": 1, "Entré B": 1}
    assert attendance == [ids[0], ids[1]]  # in the order they came through the doors
    with factory() as s:
        first_in = registrations.get(session=s, event_id=event_id, person_id=ids[0])
    assert first_in is not None and first_in.checked_in_at == at  # the device's time, not the upload's


def test_undo_takes_a_check_in_back(factory: sessionmaker[Session]) -> None:
    event_id, ids, codes = day_with(factory, 1)
    scan(factory, event_id, codes[0])

    with unit_of_work(factory) as s:
        checkin.undo(session=s, event_id=event_id, person_id=ids[0], by="door", now=ON_THE_DAY)

    with factory() as s:
        assert checkin.counts(session=s, event_id=event_id).checked_in == 0
    with pytest.raises(Conflict, match="is not checked in"), unit_of_work(factory) as s:
        checkin.undo(session=s, event_id=event_id, person_id=ids[0], by="door", now=ON_THE_DAY)
    assert outbox(factory, event_id)[-1]["type"] == "se.samla.events.registration.check_in_undone.v1"


def test_check_in_opens_on_the_day_and_closes_with_the_day(factory: sessionmaker[Session]) -> None:
    event_id, ids, _ = day_with(factory, 2, start=False)

    with pytest.raises(NotAllowedNow), unit_of_work(factory) as s:
        checkin.check_in(session=s, event_id=event_id, key=KEY, by="door", now=ON_THE_DAY - timedelta(days=1),
                         person_id=ids[0])
    with unit_of_work(factory) as s:  # the day itself, before anyone pressed "start"
        checkin.check_in(session=s, event_id=event_id, key=KEY, by="door", now=ON_THE_DAY, person_id=ids[0])
    move_to(factory, event_id, State.ONGOING)
    move_to(factory, event_id, State.CLOSED)
    with pytest.raises(NotAllowedNow), unit_of_work(factory) as s:
        checkin.check_in(session=s, event_id=event_id, key=KEY, by="door", now=ON_THE_DAY, person_id=ids[1])
