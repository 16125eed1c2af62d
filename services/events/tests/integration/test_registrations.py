"""Registration and the waiting list on SQLite and PostgreSQL: seats, queue order, offers that lapse, deputies,
the admin's overrides, and exactly one valid event per change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_common.errors import Conflict, Forbidden
from samla_contracts.schemas import _validator
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.schemas import EventPatch
from samla_events.chefsdag.states import NotAllowedNow, State
from samla_events.mail.models import QueuedMail
from samla_events.registrations import service as registrations
from samla_events.registrations import waiting_list
from samla_events.registrations.models import Registration
from services.events.tests.support.factories import BEFORE, POLICY, answer, make_event, outbox, people, person, statuses

pytestmark = pytest.mark.integration
T = "se.samla.events.registration."


def test_the_day_fills_up_then_people_queue_in_the_order_they_answered(factory: sessionmaker[Session]) -> None:
    crowd = people(5)
    event_id = make_event(factory, invited=crowd, capacity=2)

    results = [answer(factory, event_id, p.id, now=BEFORE + timedelta(minutes=i)) for i, p in enumerate(crowd)]

    assert results == ["registered", "registered", "waitlisted", "waitlisted", "waitlisted"]
    with factory() as s:
        _, offers, queue = waiting_list.waiting(session=s, event_id=event_id)
    assert offers == [] and [(r.person_id, r.waitlist_position) for r, _ in queue] == [
        (crowd[2].id, 1), (crowd[3].id, 2), (crowd[4].id, 3)]


def test_waiting_list_promotes_first_in_line_when_a_seat_frees(factory: sessionmaker[Session]) -> None:
    crowd = people(4)
    event_id = make_event(factory, invited=crowd, capacity=2)
    for p in crowd:
        answer(factory, event_id, p.id)

    answer(factory, event_id, crowd[0].id, attending=False, now=BEFORE + timedelta(hours=1))

    assert statuses(factory, event_id) == {crowd[0].id: "cancelled", crowd[1].id: "registered",
                                           crowd[2].id: "offered", crowd[3].id: "waitlisted"}
    with factory() as s:
        offered = registrations.get(session=s, event_id=event_id, person_id=crowd[2].id)
        queued = registrations.get(session=s, event_id=event_id, person_id=crowd[3].id)
        mails = s.query(QueuedMail).filter_by(event_id=event_id, kind="seat_offer").all()
    assert offered is not None and offered.offer_expires_at == BEFORE + timedelta(hours=1) + POLICY.offer_window
    assert queued is not None and queued.waitlist_position == 1
    assert [m.to_address for m in mails] == [crowd[2].email]


def test_an_accepted_offer_becomes_a_seat(factory: sessionmaker[Session]) -> None:
    crowd = people(3)
    event_id = make_event(factory, invited=crowd, capacity=1)
    for p in crowd:
        answer(factory, event_id, p.id)
    answer(factory, event_id, crowd[0].id, attending=False, now=BEFORE + timedelta(hours=1))

    assert answer(factory, event_id, crowd[1].id, now=BEFORE + timedelta(hours=2)) == "registered"

    assert statuses(factory, event_id)[crowd[2].id] == "waitlisted"


def test_a_lapsed_offer_passes_to_the_next_in_line(factory: sessionmaker[Session]) -> None:
    crowd = people(4)
    event_id = make_event(factory, invited=crowd, capacity=1)
    for p in crowd:
        answer(factory, event_id, p.id)
    freed = BEFORE + timedelta(hours=1)
    answer(factory, event_id, crowd[0].id, attending=False, now=freed)

    with unit_of_work(factory) as s:
        assert waiting_list.expire_offers(session=s, event_id=event_id, now=freed + timedelta(hours=47),
                                           policy=POLICY) == 0
    with unit_of_work(factory) as s:
        assert waiting_list.expire_offers(session=s, event_id=event_id, now=freed + timedelta(hours=48),
                                           policy=POLICY) == 1

    assert statuses(factory, event_id) == {crowd[0].id: "cancelled", crowd[1].id: "cancelled",
                                           crowd[2].id: "offered", crowd[3].id: "waitlisted"}
    with factory() as s:
        assert event_id not in waiting_list.events_with_lapsed_offers(session=s, now=freed + timedelta(hours=48))
        assert event_id in waiting_list.events_with_lapsed_offers(session=s, now=freed + timedelta(hours=97))


def test_accepting_after_the_deadline_queues_again_behind_the_others(factory: sessionmaker[Session]) -> None:
    crowd = people(3)
    event_id = make_event(factory, invited=crowd, capacity=1)
    for p in crowd:
        answer(factory, event_id, p.id)
    freed = BEFORE + timedelta(hours=1)
    answer(factory, event_id, crowd[0].id, attending=False, now=freed)

    late = answer(factory, event_id, crowd[1].id, now=freed + timedelta(hours=49))

    assert late == "waitlisted"
    assert statuses(factory, event_id)[crowd[2].id] == "offered"


def test_people_can_leave_the_waiting_list(factory: sessionmaker[Session]) -> None:
    crowd = people(4)
    event_id = make_event(factory, invited=crowd, capacity=1)
    for p in crowd:
        answer(factory, event_id, p.id)

    with unit_of_work(factory) as s:
        registrations.leave_waiting_list(session=s, event_id=event_id, person_id=crowd[1].id, now=BEFORE,
                                         policy=POLICY)

    with factory() as s:
        _, _, queue = waiting_list.waiting(session=s, event_id=event_id)
    assert [(r.person_id, r.waitlist_position) for r, _ in queue] == [(crowd[2].id, 1), (crowd[3].id, 2)]


def test_a_queued_person_who_says_no_closes_the_gap_in_the_queue(factory: sessionmaker[Session]) -> None:
    crowd = people(5)
    event_id = make_event(factory, invited=crowd, capacity=1)
    for p in crowd:
        answer(factory, event_id, p.id)

    assert answer(factory, event_id, crowd[2].id, attending=False) == "cancelled"

    with factory() as s:
        _, _, queue = waiting_list.waiting(session=s, event_id=event_id)
    assert [(r.person_id, r.waitlist_position) for r, _ in queue] == [
        (crowd[1].id, 1), (crowd[3].id, 2), (crowd[4].id, 3)]
    assert answer(factory, event_id, crowd[2].id) == "waitlisted"  # back at the end of the line
    assert statuses(factory, event_id)[crowd[0].id] == "registered"
    with factory() as s:
        _, _, queue = waiting_list.waiting(session=s, event_id=event_id)
    assert [r.person_id for r, _ in queue][-1] == crowd[2].id and queue[-1][0].waitlist_position == 4


def test_an_answer_onto_a_long_waiting_list_reads_none_of_the_queue(factory: sessionmaker[Session]) -> None:
    """Thousands invited to a hall for hundreds: each answer counts the queue, it does not load it."""
    crowd = people(14)
    event_id = make_event(factory, invited=crowd, capacity=2)
    for p in crowd[:-1]:
        answer(factory, event_id, p.id)
    loaded: list[str] = []

    def count(target: Registration, _context: object) -> None:
        loaded.append(target.person_id)

    sa_event.listen(Registration, "load", count)
    try:
        assert answer(factory, event_id, crowd[-1].id) == "waitlisted"
    finally:
        sa_event.remove(Registration, "load", count)

    assert loaded == []
    with factory() as s:
        mine = registrations.get(session=s, event_id=event_id, person_id=crowd[-1].id)
    assert mine is not None and mine.waitlist_position == 12 and mine.number == 14


def test_the_admin_moves_promotes_and_removes_people_in_the_queue(factory: sessionmaker[Session]) -> None:
    crowd = people(5)
    event_id = make_event(factory, invited=crowd, capacity=1)
    for p in crowd:
        answer(factory, event_id, p.id)

    with unit_of_work(factory) as s:
        queue = waiting_list.move(session=s, event_id=event_id, person_id=crowd[4].id, position=1, now=BEFORE)
    assert [r.person_id for r in queue] == [crowd[4].id, crowd[1].id, crowd[2].id, crowd[3].id]
    with unit_of_work(factory) as s:
        waiting_list.promote(session=s, event_id=event_id, person_id=crowd[2].id, now=BEFORE)
    with unit_of_work(factory) as s:
        waiting_list.remove(session=s, event_id=event_id, person_id=crowd[1].id, now=BEFORE, policy=POLICY)

    assert statuses(factory, event_id) == {crowd[0].id: "registered", crowd[1].id: "cancelled",
                                           crowd[2].id: "registered", crowd[3].id: "waitlisted",
                                           crowd[4].id: "waitlisted"}
    with factory() as s:
        _, _, queue_after = waiting_list.waiting(session=s, event_id=event_id)
    assert [(r.person_id, r.waitlist_position) for r, _ in queue_after] == [(crowd[4].id, 1), (crowd[3].id, 2)]


def test_promotion_never_goes_beyond_the_seats_at_the_tables(factory: sessionmaker[Session]) -> None:
    from samla_events.chefsdag.schemas import Tables

    crowd = people(4)
    event_id = make_event(factory, invited=crowd, capacity=2, tables=Tables(count=1, seats_per_table=3))
    for p in crowd:
        answer(factory, event_id, p.id)
    with unit_of_work(factory) as s:
        waiting_list.promote(session=s, event_id=event_id, person_id=crowd[2].id, now=BEFORE)

    with pytest.raises(Conflict, match="No seat left: all 3 seats"), unit_of_work(factory) as s:
        waiting_list.promote(session=s, event_id=event_id, person_id=crowd[3].id, now=BEFORE)


def test_more_capacity_offers_the_new_seats_to_the_queue(factory: sessionmaker[Session]) -> None:
    crowd = people(4)
    event_id = make_event(factory, invited=crowd, capacity=1)
    for p in crowd:
        answer(factory, event_id, p.id)

    with unit_of_work(factory) as s:
        event = chefsdag.update(session=s, event_id=event_id, changes=EventPatch(capacity=3), now=BEFORE)
        waiting_list.offer_free_seats(session=s, event=event, now=BEFORE, policy=POLICY)

    assert sorted(statuses(factory, event_id).values()) == ["offered", "offered", "registered", "waitlisted"]
    with pytest.raises(Conflict, match="cannot go below 3"), unit_of_work(factory) as s:
        chefsdag.update(session=s, event_id=event_id, changes=EventPatch(capacity=2), now=BEFORE)


def test_a_deputy_takes_over_the_seat_and_gets_the_invitation(factory: sessionmaker[Session]) -> None:
    crowd = people(2)
    deputy = person(f"{crowd[0].id}-deputy", "Anders Ersättare")
    event_id = make_event(factory, invited=crowd, capacity=1)
    answer(factory, event_id, crowd[0].id)
    answer(factory, event_id, crowd[1].id)

    with unit_of_work(factory) as s:
        registrations.send_deputy(session=s, event_id=event_id, person_id=crowd[0].id, deputy=deputy, now=BEFORE,
                                  policy=POLICY)

    assert statuses(factory, event_id) == {crowd[0].id: "declined", crowd[1].id: "waitlisted", deputy.id: "offered"}
    assert answer(factory, event_id, deputy.id) == "registered"
    with factory() as s:
        [mail] = s.query(QueuedMail).filter_by(event_id=event_id, person_id=deputy.id).all()
    assert mail.kind == "deputy_invitation" and mail.ics and "ersättare" in mail.subject
    with pytest.raises(Conflict, match="already sent"), unit_of_work(factory) as s:
        registrations.send_deputy(session=s, event_id=event_id, person_id=crowd[0].id,
                                  deputy=person(f"{crowd[0].id}-second"), now=BEFORE, policy=POLICY)


def test_only_invited_people_answer_and_only_while_registration_is_open(factory: sessionmaker[Session]) -> None:
    crowd = people(1)
    event_id = make_event(factory, invited=crowd, capacity=1)

    with pytest.raises(Forbidden, match="not invited"), unit_of_work(factory) as s:
        registrations.respond(session=s, event_id=event_id, person_id="stranger", attending=True, needs=None,
                              now=BEFORE, policy=POLICY)
    with unit_of_work(factory) as s:
        chefsdag.transition(session=s, event_id=event_id, target=State.ONGOING, now=BEFORE)
    with pytest.raises(NotAllowedNow, match="registration is open only"), unit_of_work(factory) as s:
        registrations.respond(session=s, event_id=event_id, person_id=crowd[0].id, attending=True, needs=None,
                              now=BEFORE, policy=POLICY)


def test_each_change_publishes_one_valid_event_and_no_change_publishes_none(factory: sessionmaker[Session]) -> None:
    crowd = people(3)
    event_id = make_event(factory, invited=crowd, capacity=1)
    answer(factory, event_id, crowd[0].id)
    answer(factory, event_id, crowd[0].id)  # the same answer again: needs updated, nothing to publish
    answer(factory, event_id, crowd[1].id)
    answer(factory, event_id, crowd[2].id, attending=False)
    answer(factory, event_id, crowd[0].id, attending=False)

    events = outbox(factory, event_id)

    assert [(e["type"].removeprefix(T), e["data"]["person_id"]) for e in events] == [
        ("registered.v1", crowd[0].id), ("waitlisted.v1", crowd[1].id), ("declined.v1", crowd[2].id),
        ("cancelled.v1", crowd[0].id), ("promoted.v1", crowd[1].id)]
    assert [e["seq"] for e in events] == [1, 2, 3, 4, 5]
    for e in events:
        Draft202012Validator(_validator(e["type"]).schema, format_checker=FormatChecker()).validate(e["data"])
    assert [e["type"] for e in outbox(factory, event_id, "events.event.v1")] == [
        "se.samla.events.event.created.v1", "se.samla.events.event.state_changed.v1"]
