"""The feedback service: live dialogue prompts and results, questions to leadership, evaluations, themes and
insights, with anonymity that holds (DESIGN §7)."""

from __future__ import annotations

from samla_common.directory import PERSON_TOPIC, register_person_handlers
from samla_common.messaging.consumer import HandlerRegistry
from samla_common.service import ServiceSpec, create_app
from samla_feedback import events, grpc_api
from samla_feedback.anonymity.router import router as anonymity_router
from samla_feedback.config import get_settings
from samla_feedback.db import org_units, people
from samla_feedback.erasure import erase_person, export_person
from samla_feedback.integration.router import router as integration_router
from samla_feedback.live.router import router as live_router
from samla_feedback.participants.directory import register_org_unit_handlers
from samla_feedback.participants.router import router as participants_router
from samla_feedback.participants.seating import SEATING_TOPIC, register_seating_handlers
from samla_feedback.processes.router import router as processes_router
from samla_feedback.prompts.router import router as prompts_router
from samla_feedback.pulses.router import router as pulses_router
from samla_feedback.questions.router import router as questions_router
from samla_feedback.report.router import router as report_router
from samla_feedback.responses.router import router as responses_router
from samla_feedback.themes.router import router as themes_router
from samla_feedback.webhooks import sender as webhook_sender
from samla_feedback.webhooks.router import router as webhooks_router


def build_registry() -> HandlerRegistry:
    """The handlers for what feedback consumes: identity's people and org units (and erasures), events' seating."""
    registry = HandlerRegistry()
    register_person_handlers(registry, people,
                             on_erased=lambda session, person_id: erase_person(session=session, person_id=person_id))
    register_org_unit_handlers(registry, org_units)
    register_seating_handlers(registry)
    return registry


def build() -> ServiceSpec:
    return ServiceSpec(settings=get_settings(), title="Samla feedback", description=__doc__ or "",
                       routers=[prompts_router, responses_router, live_router, questions_router, themes_router,
                                anonymity_router, participants_router, processes_router, webhooks_router,
                                integration_router, report_router, pulses_router],
                       registry=build_registry(), consumes=[PERSON_TOPIC, events.ORGUNIT_TOPIC, SEATING_TOPIC],
                       add_servicers=grpc_api.add_servicers, export_person=export_person,
                       produces=[events.RESPONSE_TOPIC, events.QUESTION_TOPIC, events.INSIGHT_TOPIC],
                       on_startup=[webhook_sender.start])


app = create_app(build())
