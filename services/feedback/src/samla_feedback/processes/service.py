"""Budget and vision processes: what they ask about, when, and which events and prompts feed them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, NotFound
from samla_feedback.errors import InvalidInput, invalid
from samla_feedback.processes.models import PHASES, Process
from samla_feedback.processes.schemas import ProcessIn
from samla_feedback.prompts.models import Prompt

INPUT_KINDS = ("priority", "ranking")


def get(*, session: Session, process_id: str) -> Process:
    """Gets one process by id."""
    process = session.get(Process, process_id)
    if process is None:
        raise NotFound(f"No process with id {process_id!r}.")
    return process


def list_all(*, session: Session, after: str | None = None, limit: int | None = None) -> list[Process]:
    """Processes in id order, from just after `after`."""
    stmt = select(Process).order_by(Process.id)
    if after is not None:
        stmt = stmt.where(Process.id > after)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def in_series(*, session: Session, series: str) -> list[Process]:
    """The processes of one series, oldest first."""
    rows = session.scalars(select(Process).where(Process.series == series))
    return sorted(rows, key=lambda p: (p.year or 0, _start(p) or date.min, p.id))


def create(*, session: Session, body: ProcessIn) -> Process:
    """A new process; its prompts must belong to its events."""
    process_id = body.id or str(uuid.uuid4())
    if session.get(Process, process_id) is not None:
        raise Conflict(f"A process with id {process_id!r} exists already.")
    now = datetime.now(UTC)
    process = Process(id=process_id, created_at=now)
    _apply(session, process, body, now)
    session.add(process)
    session.flush()
    return process


def update(*, session: Session, process_id: str, body: ProcessIn) -> Process:
    """Replaces what a process says about itself (its id stays)."""
    process = get(session=session, process_id=process_id)
    if body.id is not None and body.id != process_id:
        raise invalid("id", "a process keeps its id")
    _apply(session, process, body, datetime.now(UTC))
    session.flush()
    return process


def prompts_of(*, session: Session, process: Process, kinds: tuple[str, ...] = INPUT_KINDS) -> list[Prompt]:
    """The linked prompts of the given kinds, in the order the process lists them."""
    if not process.prompt_ids:
        return []
    found = {p.id: p for p in session.scalars(select(Prompt).where(Prompt.id.in_(process.prompt_ids)))}
    return [found[i] for i in process.prompt_ids if i in found and found[i].kind in kinds]


def current_phase(process: Process, today: date | None = None) -> str | None:
    """The phase whose dates include today (the latest started one between phases)."""
    today = today or datetime.now(UTC).date()
    started = [p for p in process.phases if date.fromisoformat(p["starts_on"]) <= today]
    return started[-1]["phase"] if started else None


def _apply(session: Session, process: Process, body: ProcessIn, now: datetime) -> None:
    phases = [p.model_dump(mode="json") for p in sorted(body.phases, key=lambda p: PHASES.index(p.phase))]
    _check_phases(phases)
    areas = [a.model_dump() for a in body.areas]
    if len({a["id"] for a in areas}) != len(areas):
        raise invalid("areas", "lists an area id twice")
    event_ids, prompt_ids = list(dict.fromkeys(body.event_ids)), list(dict.fromkeys(body.prompt_ids))
    _check_prompts(session, prompt_ids, event_ids)
    values: dict[str, Any] = {"title": body.title.strip(), "kind": body.kind, "owner_id": body.owner_id,
                              "description": body.description, "series": body.series, "year": body.year,
                              "phases": phases, "event_ids": event_ids, "prompt_ids": prompt_ids, "areas": areas,
                              "updated_at": now}
    for name, value in values.items():
        setattr(process, name, value)


def _check_phases(phases: list[dict[str, Any]]) -> None:
    if len({p["phase"] for p in phases}) != len(phases):
        raise invalid("phases", "lists a phase twice")
    previous: date | None = None
    for p in phases:
        start, end = date.fromisoformat(p["starts_on"]), date.fromisoformat(p["ends_on"])
        if end < start:
            raise invalid("phases", f"{p['phase']} ends before it starts")
        if previous is not None and start < previous:
            raise invalid("phases", f"{p['phase']} starts before the phase before it")
        previous = start


def _check_prompts(session: Session, prompt_ids: list[str], event_ids: list[str]) -> None:
    if not prompt_ids:
        return
    found = {r.id: r.event_id for r in session.execute(select(Prompt.id, Prompt.event_id)
                                                       .where(Prompt.id.in_(prompt_ids)))}
    errors = [{"field": "prompt_ids", "message": f"no prompt {p}"} for p in prompt_ids if p not in found]
    errors += [{"field": "prompt_ids", "message": f"prompt {p} belongs to event {e}, which is not linked"}
               for p, e in found.items() if e not in event_ids]
    if errors:
        raise InvalidInput("The process's prompts must be prompts of its events.", errors=errors[:20])


def _start(process: Process) -> date | None:
    return date.fromisoformat(process.phases[0]["starts_on"]) if process.phases else None
