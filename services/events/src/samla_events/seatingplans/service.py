"""Planning, storing, changing and publishing a day's seating. Publishing writes events.seating.v1: one event per
round, and again for every round a later change alters, so other services always hold the seating people see."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, DomainError, NotFound
from samla_events import seating, topics
from samla_events.chefsdag import service as chefsdag
from samla_events.chefsdag.models import Event
from samla_events.chefsdag.states import Action, State
from samla_events.registrations.models import Registration, Status
from samla_events.seatingplans.inputs import (
    SeatingRequest,
    gather,
    people_for,
    person_from_json,
    person_to_json,
    table_from_json,
    table_to_json,
)
from samla_events.seatingplans.models import StoredPlan
from samla_events.seatingplans.schemas import QualityReportOut

Rounds = dict[int, dict[str, list[str]]]


class SeatingNotPossible(DomainError):
    """The planner's SeatingInfeasible as a problem: every reason, in Swedish and English, one per error."""

    status = 422
    title = "Seating is not possible"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Placeringen går inte att genomföra / Seating is not possible: " + "; ".join(problems),
                         errors=[{"field": "seating", "message": p} for p in problems])
        self.problems = problems


@contextmanager
def feasible() -> Iterator[None]:
    """Turns the pure planner's SeatingInfeasible into this service's domain error (the one place it is mapped)."""
    try:
        yield
    except seating.SeatingInfeasible as exc:
        raise SeatingNotPossible(exc.problems) from exc


@dataclass(frozen=True)
class Changes:
    moves: tuple[seating.Move, ...]
    placed: tuple[seating.Move, ...]
    plan: StoredPlan


def request_for(*, session: Session, event_id: str, now: datetime) -> SeatingRequest:
    """Who and what to seat for a day that may still be changed."""
    event = chefsdag.get(session=session, event_id=event_id)
    chefsdag.require(event, Action.EDIT, now=now)
    return gather(session=session, event=event)


def make_plan(*, request: SeatingRequest, seed: int = 0, time_limit: float | None = None,
              progress: seating.ProgressCallback | None = None) -> seating.SeatingPlan:
    """Runs the planner (pure, no database)."""
    if not request.people:
        raise SeatingNotPossible(["Ingen att placera ännu: ingen är anmäld, eller på dagen incheckad / "
                                  "Nobody to seat yet: nobody is registered, or on the day checked in"])
    with feasible():
        return seating.plan_seating(people=request.people, tables=request.tables, rounds=request.rounds, seed=seed,
                                    time_limit=time_limit, progress=progress)


def plan(*, session: Session, event_id: str, by: str, now: datetime, seed: int = 0,
         time_limit: float | None = None) -> StoredPlan:
    """Plans the day's seating and stores it unpublished (what participants see stays as last published)."""
    request = request_for(session=session, event_id=event_id, now=now)
    return store(session=session, event_id=event_id, request=request,
                 plan=make_plan(request=request, seed=seed, time_limit=time_limit), by=by, now=now)


def store(*, session: Session, event_id: str, request: SeatingRequest, plan: seating.SeatingPlan, by: str,
          now: datetime) -> StoredPlan:
    """Keeps a new plan as the day's plan, replacing any earlier one."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.EDIT, now=now)
    stored = session.get(StoredPlan, event_id)
    if stored is None:
        stored = StoredPlan(event_id=event_id, version=0, published_rounds=None, published_at=None, created_at=now)
        session.add(stored)
    stored.strategy, stored.seed, stored.created_by = plan.strategy, plan.seed, by
    stored.people = [person_to_json(p) for p in request.people]
    stored.tables = [table_to_json(t) for t in request.tables]
    stored.created_at = now
    _set_rounds(stored, plan.rounds, request.people, request.tables, now)
    stored.published = False
    session.flush()
    return stored


def get(*, session: Session, event_id: str) -> StoredPlan:
    """Gets the day's plan."""
    chefsdag.get(session=session, event_id=event_id)
    stored = session.get(StoredPlan, event_id)
    if stored is None:
        raise NotFound("Dagen har ingen bordsplacering ännu / This day has no seating plan yet.")
    return stored


def absorb(*, session: Session, event_id: str, no_shows: list[str], walk_ins: list[str], from_check_in: bool,
           now: datetime) -> Changes:
    """Frees the seats of no-shows and seats walk-ins in every round, moving as few people as possible."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.EDIT, now=now)
    stored = get(session=session, event_id=event_id)
    people, tables = _people(stored), _tables(stored)
    gone, new = list(dict.fromkeys(no_shows)), list(dict.fromkeys(walk_ins))
    if from_check_in:
        found_gone, found_new = _from_check_in(session, event, people)
        gone += [p for p in found_gone if p not in gone]
        new += [p for p in found_new if p not in new]
    _require_registered(session, event_id, new)
    added = people_for(session=session, event_id=event_id, person_ids=new)
    with feasible():
        result = seating.absorb_changes(plan=_plan(stored), people=people, tables=tables, removed=gone, added=added,
                                        seed=stored.seed)
    stored.people = [person_to_json(p) for p in people if p.id not in set(gone)] + [person_to_json(p) for p in added]
    _change(session, stored, result.plan.rounds, now)
    return Changes(moves=result.moves, placed=result.placed, plan=stored)


def swap_consequences(*, session: Session, event_id: str, round_no: int, person_a: str,
                      person_b: str) -> seating.SwapConsequences:
    """What exchanging two people's seats in one round would change."""
    stored = get(session=session, event_id=event_id)
    with feasible():
        return seating.swap_consequences(plan=_plan(stored), people=_people(stored), tables=_tables(stored),
                                         round_no=round_no, person_a=person_a, person_b=person_b)


def swap(*, session: Session, event_id: str, round_no: int, person_a: str, person_b: str,
         now: datetime) -> seating.SwapConsequences:
    """Exchanges two people's seats in one round, unless that breaks a rule; returns what it changed."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.EDIT, now=now)
    consequences = swap_consequences(session=session, event_id=event_id, round_no=round_no, person_a=person_a,
                                     person_b=person_b)
    if consequences.new_violations:
        raise SeatingNotPossible([v.detail for v in consequences.new_violations])
    stored = get(session=session, event_id=event_id)
    with feasible():
        swapped = seating.apply_swap(plan=_plan(stored), round_no=round_no, person_a=person_a, person_b=person_b)
    _change(session, stored, swapped.rounds, now)
    return consequences


def publish(*, session: Session, event_id: str, now: datetime) -> StoredPlan:
    """Makes the plan what participants see, and publishes every round."""
    event = chefsdag.lock(session=session, event_id=event_id)
    chefsdag.require(event, Action.EDIT, now=now)
    stored = get(session=session, event_id=event_id)
    if stored.report.get("hard_violations"):
        raise Conflict("The plan breaks rules (see its quality report); plan again before publishing.")
    rounds = _rounds(stored.rounds)
    _publish_rounds(session, stored, rounds, sorted(rounds), now)
    return stored


def published_rounds(*, session: Session, event_id: str) -> Rounds:
    """The rounds as last published (empty when nothing is published)."""
    # Only this column: the row also holds every person's details and the quality report.
    published = session.scalar(select(StoredPlan.published_rounds).where(StoredPlan.event_id == event_id))
    return _rounds(published) if published else {}


def published_marker(*, session: Session, event_id: str) -> tuple[int, datetime] | None:
    """What changes whenever the published rounds do (each publication stamps `published_at`); None when
    nothing is published. Lets a reader keep what it built from the rounds until they change."""
    row = session.execute(select(StoredPlan.version, StoredPlan.published_at)
                          .where(StoredPlan.event_id == event_id)).one_or_none()
    return None if row is None or row.published_at is None else (row.version, row.published_at)


def rounds_of(stored: StoredPlan) -> Rounds:
    return _rounds(stored.rounds)


def people_of(stored: StoredPlan) -> list[seating.Person]:
    return _people(stored)


def _change(session: Session, stored: StoredPlan, rounds: Rounds, now: datetime) -> None:
    """Stores changed rounds; a published plan publishes each round that changed."""
    before = _rounds(stored.rounds)
    _set_rounds(stored, rounds, _people(stored), _tables(stored), now)
    if stored.published:
        changed = [r for r in sorted(rounds) if rounds[r] != before.get(r)]
        _publish_rounds(session, stored, rounds, changed, now)
    session.flush()


def _set_rounds(stored: StoredPlan, rounds: Rounds, people: list[seating.Person], tables: list[seating.Table],
                now: datetime) -> None:
    plan = seating.SeatingPlan(rounds=rounds, strategy=stored.strategy, seed=stored.seed)
    report = seating.quality_report(plan=plan, people=people, tables=tables)
    stored.rounds = {str(r): {t: list(m) for t, m in tables_.items()} for r, tables_ in rounds.items()}
    stored.report = QualityReportOut.model_validate(report).model_dump(mode="json")
    stored.version += 1
    stored.updated_at = now


def _publish_rounds(session: Session, stored: StoredPlan, rounds: Rounds, which: list[int], now: datetime) -> None:
    for round_no in which:
        topics.writer.add(session, topic=topics.SEATING_TOPIC, type=topics.SEATING_ROUND_PUBLISHED,
                          key=stored.event_id, data=round_payload(event_id=stored.event_id, round_no=round_no,
                                                                  tables=rounds[round_no], now=now))
    stored.published, stored.published_at = True, now
    stored.published_rounds = dict(stored.rounds)
    session.flush()


def round_payload(*, event_id: str, round_no: int, tables: dict[str, list[str]], now: datetime) -> dict[str, Any]:
    """One round as published (contracts/events/se.samla.events.seating.round_published.v1)."""
    return {"event_id": event_id, "round": round_no,
            "tables": [{"table_id": t, "person_ids": list(members)} for t, members in tables.items()],
            "published_at": topics.iso(now)}


def _from_check_in(session: Session, event: Event, people: list[seating.Person]) -> tuple[list[str], list[str]]:
    if event.state != State.ONGOING.value:
        raise Conflict("Check-in has not started; list the no-shows and walk-ins instead.",
                       errors=[{"field": "from_check_in", "message": f"the day is {event.state}"}])
    arrived = list(session.scalars(select(Registration.person_id).where(
        Registration.event_id == event.id, Registration.status == Status.REGISTERED.value,
        Registration.checked_in_at.is_not(None)).order_by(Registration.checked_in_at, Registration.number)))
    seated = {p.id for p in people}
    here = set(arrived)
    return ([p.id for p in people if not p.is_table_host and p.id not in here],
            [pid for pid in arrived if pid not in seated])


def _require_registered(session: Session, event_id: str, person_ids: list[str]) -> None:
    if not person_ids:
        return
    registered = set(session.scalars(select(Registration.person_id).where(
        Registration.event_id == event_id, Registration.person_id.in_(person_ids),
        Registration.status == Status.REGISTERED.value)))
    missing = [pid for pid in person_ids if pid not in registered]
    if missing:
        raise SeatingNotPossible([f"{pid} är inte anmäld till dagen / {pid} is not registered for the day"
                                  for pid in missing])


def _rounds(data: dict[str, dict[str, list[str]]]) -> Rounds:
    return {int(r): {t: list(m) for t, m in tables.items()} for r, tables in data.items()}


def _plan(stored: StoredPlan) -> seating.SeatingPlan:
    return seating.SeatingPlan(rounds=_rounds(stored.rounds), strategy=stored.strategy, seed=stored.seed)


def _people(stored: StoredPlan) -> list[seating.Person]:
    return [person_from_json(p) for p in stored.people]


def _tables(stored: StoredPlan) -> list[seating.Table]:
    return [table_from_json(t) for t in stored.tables]
