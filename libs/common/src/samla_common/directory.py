"""The read model of people that every consuming service keeps from identity.person.v1 (DESIGN §2).

It is the projection of a published contract, not business logic: each service decides what to do with it.
Erasure (GDPR) removes the name and e-mail and marks the row erased; services that hold more about a person
register their own handler for the erased type as well.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, DateTime, Integer, MetaData, String, Table, update
from sqlalchemy.orm import Session

from samla_common.messaging.consumer import HandlerRegistry
from samla_common.messaging.envelope import Envelope
from samla_common.readmodel import upsert_if_newer

PERSON_TOPIC = "identity.person.v1"
PERSON_UPSERTED = "se.samla.identity.person.upserted.v1"
PERSON_DEACTIVATED = "se.samla.identity.person.deactivated.v1"
PERSON_ERASED = "se.samla.identity.person.erased.v1"


def define_people_table(metadata: MetaData) -> Table:
    return Table(
        "directory_people",
        metadata,
        Column("id", String(200), primary_key=True),
        Column("name", String(300), nullable=False),
        Column("email", String(320)),
        Column("title", String(300)),
        Column("level", String(60)),
        Column("org_unit_id", String(200), index=True),
        Column("manager_id", String(200), index=True),
        Column("location", String(200)),
        Column("languages", JSON, nullable=False, default=list),
        Column("active", Boolean, nullable=False, default=True),
        Column("erased", Boolean, nullable=False, default=False),
        Column("source_seq", Integer, nullable=False, default=0),
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )


def register_person_handlers(registry: HandlerRegistry, people: Table,
                             on_erased: Callable[[Session, str], None] | None = None) -> None:
    """Keeps `people` in step with identity.person.v1; `on_erased(session, person_id)` erases the rest of the
    service's data about a person in the same transaction."""

    @registry.on(PERSON_UPSERTED)
    def _upserted(session: Session, env: Envelope) -> None:
        d = env.data
        erased = session.execute(people.select().where(people.c.id == d["id"], people.c.erased)).first()
        if erased:
            return  # an erased person never comes back from a late or replayed event
        upsert_if_newer(session, people, key=d["id"], sequence=env.sequence, values={
            "name": d["name"], "email": d.get("email"), "title": d.get("title"), "level": d.get("level"),
            "org_unit_id": d.get("org_unit_id"), "manager_id": d.get("manager_id"),
            "location": d.get("location"), "languages": d.get("languages") or [],
            "active": bool(d.get("active", True)), "erased": False, "updated_at": datetime.now(UTC)})

    @registry.on(PERSON_DEACTIVATED)
    def _deactivated(session: Session, env: Envelope) -> None:
        session.execute(update(people).where(people.c.id == env.data["id"], people.c.source_seq < env.sequence)
                        .values(active=False, source_seq=env.sequence, updated_at=datetime.now(UTC)))

    @registry.on(PERSON_ERASED)
    def _erased(session: Session, env: Envelope) -> None:
        pid = env.data["id"]
        values: dict[str, object] = {
            "name": "(raderad)", "email": None, "title": None, "location": None, "languages": [],
            "active": False, "erased": True, "updated_at": datetime.now(UTC)}
        if not upsert_if_newer(session, people, key=pid, sequence=env.sequence, values=values):
            session.execute(update(people).where(people.c.id == pid).values(**values))
        if on_erased is not None:
            on_erased(session, pid)


def export_directory_entry(people: Table) -> Callable[[Session, str], dict[str, Any]]:
    """An export function (GDPR) for services whose only personal data is their copy of the directory."""

    def export(session: Session, person_id: str) -> dict[str, Any]:
        rows = [dict(r) for r in session.execute(people.select().where(people.c.id == person_id)).mappings()]
        return {"directory_entry": rows[0] if rows else None}

    return export
