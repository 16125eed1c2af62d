"""Test data: people, days in given states, and registrations, made through the service layer."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_common.messaging.outbox import outbox_table
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.schemas import EventIn, Tables
from samla_events.chefsdag.states import State
from samla_events.directory.identity import DirectoryPerson
from samla_events.invitations import service as invitations
from samla_events.policy import Policy
from samla_events.registrations import service as registrations
from samla_events.registrations import waiting_list

POLICY = Policy(offer_window=timedelta(hours=48), base_url="https://samla.kommun.example", token_hours_after_end=12)
DAY = dt.date(2026, 11, 26)
BEFORE = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)  # registration is open
ON_THE_DAY = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)  # 08:30 in Stockholm


def person(pid: str, name: str | None = None, *, email: str | None = "", unit: str = "ou-utb") -> DirectoryPerson:
    return DirectoryPerson(id=pid, name=name or f"Person {pid}",
                           email=f"{pid}@kommun.example" if email == "" else email,
                           title="Enhetschef", level="enhetschef", org_unit_id=unit,
                           org_unit_name="Utbildningsförvaltningen", active=True)


def people(n: int, prefix: str | None = None) -> list[DirectoryPerson]:
    prefix = prefix or f"p{uuid.uuid4().hex[:6]}"
    return [person(f"{prefix}-{i:03d}", f"Chef {prefix} {i:03d}") for i in range(1, n + 1)]


def event_in(*, capacity: int = 5, tables: Tables | None = None, day: dt.date = DAY) -> EventIn:
    return EventIn(title="Chefsdag hösten 2026", date=day, starts_at=dt.time(8, 30), ends_at=dt.time(16, 0),
                   venue="Stadshuset, Stora salen", capacity=capacity,
                   tables=tables or Tables(count=10, seats_per_table=8, accessible=2))


def make_event(factory: sessionmaker[Session], *, invited: list[DirectoryPerson], capacity: int = 5,
               tables: Tables | None = None, state: State = State.INVITATIONS_SENT) -> str:
    """A day with `invited` invited (so registration is open), moved on to `state`."""
    with unit_of_work(factory) as s:
        event = chefsdag.create(session=s, data=event_in(capacity=capacity, tables=tables), by="admin-1",
                                now=BEFORE - timedelta(days=30))
        event_id = event.id
        if invited:
            invitations.invite(session=s, event_id=event_id, people=invited, by="admin-1",
                               now=BEFORE - timedelta(days=20), policy=POLICY)
    if state in (State.ONGOING, State.CLOSED, State.ARCHIVED):
        move_to(factory, event_id, State.ONGOING)
    if state in (State.CLOSED, State.ARCHIVED):
        move_to(factory, event_id, State.CLOSED)
    if state is State.ARCHIVED:
        move_to(factory, event_id, State.ARCHIVED)
    return event_id


def move_to(factory: sessionmaker[Session], event_id: str, state: State) -> None:
    with unit_of_work(factory) as s:
        chefsdag.transition(session=s, event_id=event_id, target=state, now=ON_THE_DAY)


def answer(factory: sessionmaker[Session], event_id: str, pid: str, *, attending: bool = True,
           now: datetime = BEFORE, needs: registrations.Needs | None = None) -> str:
    """Registers (or declines) one person; returns the resulting status."""
    with unit_of_work(factory) as s:
        return registrations.respond(session=s, event_id=event_id, person_id=pid, attending=attending,
                                     needs=needs or registrations.Needs(), now=now, policy=POLICY).status


def statuses(factory: sessionmaker[Session], event_id: str) -> dict[str, str]:
    with factory() as s:
        return {r.person_id: r.status for r, _ in waiting_list.list_registrations(session=s, event_id=event_id)}


def outbox(factory: sessionmaker[Session], event_id: str, topic: str = "events.registration.v1") -> list[dict]:
    """The events written for one day, in order: [{"type": ..., "data": ..., "seq": ...}]."""
    with factory() as s:
        rows = s.execute(select(outbox_table.c.type, outbox_table.c.data, outbox_table.c.seq)
                         .where(outbox_table.c.key == event_id, outbox_table.c.topic == topic)
                         .order_by(outbox_table.c.id)).all()
    return [{"type": t, "data": d, "seq": q} for t, d, q in rows]
