"""The network service. Peer-network matching and the life of leadership networks after the day."""

from __future__ import annotations

from fastapi import FastAPI

from samla_common.directory import PERSON_TOPIC, register_person_handlers
from samla_common.messaging.consumer import HandlerRegistry
from samla_common.service import ServiceSpec, create_app
from samla_network import erasure, grpc_api, models, topics
from samla_network.config import get_settings
from samla_network.db import people
from samla_network.directory.attendance import REGISTRATION_TOPIC, register_registration_handlers
from samla_network.directory.org_units import ORGUNIT_TOPIC, register_org_unit_handlers
from samla_network.directory.seating import SEATING_TOPIC, register_seating_handlers
from samla_network.draws.router import router as draws_router
from samla_network.groups.router import router as groups_router
from samla_network.health.router import router as health_router
from samla_network.mail import sender as mail_sender
from samla_network.profiles.router import router as profiles_router
from samla_network.pulses.client import FeedbackClient
from samla_network.pulses.router import router as pulses_router
from samla_network.runs import recovery
from samla_network.runs.executor import Executor
from samla_network.runs.router import router as runs_router

assert models.__all__  # every table is on the metadata before migrations or the app use it


def build_registry() -> HandlerRegistry:
    """What network consumes: identity's people (and erasures) and org units, events' attendance and seating."""
    registry = HandlerRegistry()
    register_person_handlers(registry, people,
                             on_erased=lambda session, person_id: erasure.erase_person(session=session,
                                                                                       person_id=person_id))
    register_org_unit_handlers(registry)
    register_registration_handlers(registry)
    register_seating_handlers(registry)
    return registry


def build(executor: Executor | None = None) -> ServiceSpec:
    executor = executor or Executor(write_every=get_settings().progress_write_seconds)
    return ServiceSpec(settings=get_settings(), title="Samla network", description=__doc__ or "",
                       routers=[runs_router, groups_router, profiles_router, draws_router, health_router,
                                pulses_router],
                       registry=build_registry(),
                       consumes=[PERSON_TOPIC, ORGUNIT_TOPIC, REGISTRATION_TOPIC, SEATING_TOPIC],
                       produces=[topics.GROUP_TOPIC, topics.MEETING_TOPIC],
                       add_servicers=grpc_api.servicers(executor), export_person=erasure.export_person,
                       on_startup=[mail_sender.start, recovery.start])


def create() -> FastAPI:
    """The app with its matching executor bound to the app's database and its client of feedback (pulses)."""
    executor = Executor(write_every=get_settings().progress_write_seconds)
    app = create_app(build(executor))
    executor.bind(app.state.session_factory)
    app.state.executor = executor
    settings = get_settings()
    app.state.feedback = FeedbackClient(base_url=settings.feedback_url, token=app.state.service_tokens.token,
                                        timeout=settings.feedback_timeout_seconds)
    return app


app = create()
