"""The feedback service. Live Q&A, prompts and polls, evaluations, themes and insights, with anonymity protection."""

from __future__ import annotations

from samla_common.directory import PERSON_TOPIC, register_person_handlers
from samla_common.messaging.consumer import HandlerRegistry
from samla_common.service import ServiceSpec, create_app
from samla_feedback.config import get_settings
from samla_feedback.db import people


def build() -> ServiceSpec:
    registry = HandlerRegistry()
    register_person_handlers(registry, people)
    return ServiceSpec(settings=get_settings(), title="Samla feedback",
                       description=__doc__ or "",
                       registry=registry, consumes=[PERSON_TOPIC])


app = create_app(build())
