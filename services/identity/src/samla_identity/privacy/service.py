"""GDPR for the whole of Samla, coordinated by identity: export everything about a person, and erase them.

Export asks every service over gRPC (PersonDataService) and assembles one document. Erasure anonymises the
directory entry here and publishes `identity.person.erased.v1`, which every service obeys for its own data.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import grpc
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from samla_common.auth import ServiceTokenSource
from samla_common.errors import Unavailable
from samla_common.grpc_server import DEFAULT_DEADLINE, authed_channel
from samla_common.messaging.outbox import outbox_table
from samla_contracts.proto.samla.common.v1 import privacy_pb2 as pb
from samla_contracts.proto.samla.common.v1 import privacy_pb2_grpc as pb_grpc
from samla_identity import events
from samla_identity.people import service as people
from samla_identity.people.models import Person, PersonPlacement


def export_local(session: Session, person_id: str) -> dict[str, Any]:
    """What identity itself holds: the directory entry and the placement history."""
    person = session.get(Person, person_id)
    if person is None:
        return {}
    placements = session.scalars(select(PersonPlacement).where(PersonPlacement.person_id == person_id)
                                 .order_by(PersonPlacement.valid_from)).all()
    entry = {c.name: getattr(person, c.name) for c in Person.__table__.columns}
    return {"person": entry, "placements": [{c.name: getattr(p, c.name) for c in PersonPlacement.__table__.columns}
                                            for p in placements]}


def export_all(*, session: Session, person_id: str, targets: dict[str, str],
               tokens: ServiceTokenSource) -> dict[str, Any]:
    """One document with what every service holds about the person; fails if a service cannot answer."""
    people.get(session=session, person_id=person_id)
    document: dict[str, Any] = {"person_id": person_id, "exported_at": datetime.now(UTC).isoformat(),
                                "services": {"identity": json.loads(json.dumps(export_local(session, person_id),
                                                                               default=str))}}
    for service, target in targets.items():
        try:
            with authed_channel(target, tokens) as channel:
                reply = pb_grpc.PersonDataServiceStub(channel).ExportPersonData(
                    pb.ExportPersonDataRequest(person_id=person_id), timeout=DEFAULT_DEADLINE)
        except grpc.RpcError as exc:
            raise Unavailable(f"The {service} service could not export its data ({exc.code().name}); "
                              "nothing is exported half-way. Try again when it is back.") from exc
        document["services"][service] = json.loads(reply.json or "{}")
    return document


def erase(*, session: Session, person_id: str, request_id: str = "") -> Person:
    """Anonymises the person everywhere: here now, in every other service through the erased event."""
    person = people.get(session=session, person_id=person_id)
    now = datetime.now(UTC)
    for field in ("email", "title", "location", "user_name", "external_id", "employee_number"):
        setattr(person, field, None)
    person.name = "(raderad)"
    person.languages, person.roles = [], []
    person.active = False
    person.version += 1
    person.updated_at = now
    session.execute(delete(PersonPlacement).where(PersonPlacement.person_id == person_id))
    # Old events in the outbox carry the name and e-mail; a replay must not resend them. They are scrubbed
    # rather than deleted so the aggregate's sequence numbers keep rising.
    scrubbed = {"id": person_id, "name": "(raderad)", "active": False, "updated_at": data_time(now)}
    session.execute(update(outbox_table)
                    .where(outbox_table.c.key == person_id, outbox_table.c.type == events.PERSON_UPSERTED)
                    .values(data=scrubbed))
    session.flush()
    data = {"id": person_id, "erased_at": data_time(now)}
    if request_id:
        data["request_id"] = request_id
    events.writer.add(session, topic=events.PERSON_TOPIC, type=events.PERSON_ERASED, key=person_id, data=data)
    return person


def data_time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")
