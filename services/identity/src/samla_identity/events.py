"""What identity publishes (topics and CloudEvents types, see contracts/events/topics.yaml)."""

from __future__ import annotations

from samla_common.messaging.outbox import EventWriter

PERSON_TOPIC = "identity.person.v1"
ORGUNIT_TOPIC = "identity.orgunit.v1"
PERSON_UPSERTED = "se.samla.identity.person.upserted.v1"
PERSON_DEACTIVATED = "se.samla.identity.person.deactivated.v1"
PERSON_ERASED = "se.samla.identity.person.erased.v1"
ORGUNIT_UPSERTED = "se.samla.identity.orgunit.upserted.v1"
ORGUNIT_REMOVED = "se.samla.identity.orgunit.removed.v1"

writer = EventWriter(source="/samla/identity")
