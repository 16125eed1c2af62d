"""What a seating is planned from: the day's people (with administration, level, manager and needs), its tables
and its number of dialogue rounds, read from registrations, the directory read models and the agenda."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.chefsdag.states import State
from samla_events.db import people as directory
from samla_events.directory import org_units
from samla_events.invitations.models import Invitation
from samla_events.registrations.models import Registration, Status
from samla_events.seating import Person, Table


@dataclass(frozen=True)
class SeatingRequest:
    people: list[Person]
    tables: list[Table]
    rounds: int


def gather(*, session: Session, event: Event) -> SeatingRequest:
    """Before the day everyone registered is seated; once the day is on, everyone checked in. Facilitators host
    a table each, all day."""
    stmt = select(Registration.person_id).where(Registration.event_id == event.id,
                                                Registration.status == Status.REGISTERED.value)
    if event.state == State.ONGOING.value:
        stmt = stmt.where(Registration.checked_in_at.is_not(None))
    ids = list(session.scalars(stmt.order_by(Registration.number)))
    hosts = list(event.facilitator_ids or [])
    return SeatingRequest(people=people_for(session=session, event_id=event.id, person_ids=ids, hosts=hosts),
                          tables=tables_of(event), rounds=rounds_of(session=session, event_id=event.id))


def people_for(*, session: Session, event_id: str, person_ids: Iterable[str], hosts: Iterable[str] = ()
               ) -> list[Person]:
    """The planner's view of people: administration and level from the directory (the invitation's copy when
    the directory does not know them yet), manager from the directory, accessible seat from the registration."""
    host_ids = list(dict.fromkeys(hosts))
    ids = list(dict.fromkeys([*person_ids, *host_ids]))
    known = {r.id: r for r in session.execute(
        select(directory.c.id, directory.c.org_unit_id, directory.c.level, directory.c.manager_id)
        .where(directory.c.id.in_(ids)))}
    invited = {i.person_id: i for i in session.scalars(
        select(Invitation).where(Invitation.event_id == event_id, Invitation.person_id.in_(ids)))}
    needs = set(session.scalars(select(Registration.person_id).where(
        Registration.event_id == event_id, Registration.person_id.in_(ids), Registration.needs_accessible_seat)))
    units: dict[str, str] = {}
    levels: dict[str, str] = {}
    for pid in ids:
        row, inv = known.get(pid), invited.get(pid)
        units[pid] = (row.org_unit_id if row else None) or (inv.org_unit_id if inv else None) or ""
        levels[pid] = (row.level if row else None) or (inv.level if inv else None) or ""
    admin = org_units.administrations(session=session, unit_ids={u for u in units.values() if u})
    return [Person(id=pid, administration_id=admin.get(units[pid], ""), level=levels[pid],
                   manager_id=(known[pid].manager_id if pid in known else None) or None,
                   needs_accessible_seat=pid in needs, is_table_host=pid in host_ids) for pid in ids]


def tables_of(event: Event) -> list[Table]:
    """The hall as set up for the day: tables "1".."n", the first ones accessible."""
    return [Table(id=str(n), seats=event.seats_per_table, accessible=n <= event.accessible_tables)
            for n in range(1, event.table_count + 1)]


def rounds_of(*, session: Session, event_id: str) -> int:
    """How many dialogue rounds the agenda has (numbered 1..n, the agenda's rules make sure)."""
    return sum(1 for a in chefsdag.agenda_of(session=session, event_id=event_id) if a.kind == "dialogue")


def person_to_json(person: Person) -> dict[str, Any]:
    return asdict(person)


def person_from_json(data: dict[str, Any]) -> Person:
    return Person(**{**data, "apart_from": tuple(data.get("apart_from", ())),
                     "interests": tuple(data.get("interests", ()))})


def table_to_json(table: Table) -> dict[str, Any]:
    return asdict(table)


def table_from_json(data: dict[str, Any]) -> Table:
    return Table(**data)
