"""The network service. Peer-network matching and the life of leadership networks after the day."""

from __future__ import annotations

from samla_common.directory import PERSON_TOPIC, export_directory_entry, register_person_handlers
from samla_common.messaging.consumer import HandlerRegistry
from samla_common.service import ServiceSpec, create_app
from samla_network.config import get_settings
from samla_network.db import people


def build() -> ServiceSpec:
    registry = HandlerRegistry()
    register_person_handlers(registry, people)
    return ServiceSpec(settings=get_settings(), title="Samla network",
                       description=__doc__ or "",
                       registry=registry, consumes=[PERSON_TOPIC],
                       export_person=export_directory_entry(people))


app = create_app(build())
