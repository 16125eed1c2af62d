"""The events service. The chefsdag: invitations, registration, check-in, agenda, dialogue rounds and seating."""

from __future__ import annotations

from fastapi import FastAPI

from samla_common.directory import PERSON_TOPIC, register_person_handlers
from samla_common.messaging.consumer import HandlerRegistry
from samla_common.service import ServiceSpec, create_app
from samla_events import erasure, grpc_api, jobs, topics
from samla_events.agenda.router import router as agenda_router
from samla_events.checkin.keys import CheckinKey
from samla_events.checkin.router import router as checkin_router
from samla_events.chefsdag.router import router as events_router
from samla_events.config import get_settings
from samla_events.db import people
from samla_events.directory.identity import IdentityClient
from samla_events.directory.org_units import ORGUNIT_TOPIC, register_org_unit_handlers
from samla_events.directory.router import router as directory_router
from samla_events.exports.router import router as exports_router
from samla_events.invitations.router import router as invitations_router
from samla_events.mail.router import router as mail_router
from samla_events.me.router import router as me_router
from samla_events.registrations.router import router as registrations_router
from samla_events.seatingplans.router import router as seating_router


def build() -> ServiceSpec:
    registry = HandlerRegistry()
    register_person_handlers(
        registry, people, on_erased=lambda session, person_id: erasure.erase_person(session=session,
                                                                                    person_id=person_id))
    register_org_unit_handlers(registry)
    return ServiceSpec(settings=get_settings(), title="Samla events",
                       description=__doc__ or "",
                       routers=[events_router, agenda_router, invitations_router, registrations_router,
                                checkin_router, exports_router, me_router, mail_router, directory_router,
                                seating_router],
                       registry=registry, consumes=[PERSON_TOPIC, ORGUNIT_TOPIC],
                       add_servicers=grpc_api.add_servicers,
                       export_person=erasure.export_person,
                       produces=[topics.EVENT_TOPIC, topics.REGISTRATION_TOPIC, topics.SEATING_TOPIC])


def create() -> FastAPI:
    """The app with what the routers need on `app.state` and the background jobs on its lifespan."""
    settings = get_settings()
    app = create_app(build())
    app.state.identity = IdentityClient(target=settings.identity_grpc_target, tokens=app.state.service_tokens,
                                        deadline=settings.identity_deadline_seconds)
    app.state.checkin_key = CheckinKey(settings)
    jobs.attach(app, settings)
    return app


app = create()
