"""The events service. The chefsdag: invitations, registration, check-in, agenda, dialogue rounds and seating."""

from __future__ import annotations

from samla_common.directory import PERSON_TOPIC, register_person_handlers
from samla_common.messaging.consumer import HandlerRegistry
from samla_common.service import ServiceSpec, create_app
from samla_events.config import get_settings
from samla_events.db import people
from samla_events.directory.router import router as directory_router


def build() -> ServiceSpec:
    registry = HandlerRegistry()
    register_person_handlers(registry, people)
    return ServiceSpec(settings=get_settings(), title="Samla events",
                       description=__doc__ or "",
                       routers=[directory_router], registry=registry, consumes=[PERSON_TOPIC])


app = create_app(build())
