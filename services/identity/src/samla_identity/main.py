"""The identity service: directory of people and org units, dev sign-in, gRPC lookups."""

from __future__ import annotations

from samla_common.service import ServiceSpec, create_app
from samla_identity import events, grpc_api
from samla_identity.config import get_settings
from samla_identity.devauth.router import router as devauth_router
from samla_identity.imports import reading
from samla_identity.imports.router import router as imports_router
from samla_identity.keycloak_sync import scheduler as keycloak_scheduler
from samla_identity.keycloak_sync.router import router as keycloak_sync_router
from samla_identity.orgunits.router import router as orgunits_router
from samla_identity.people.router import router as people_router
from samla_identity.privacy.router import router as privacy_router
from samla_identity.privacy.service import export_local
from samla_identity.scim.discovery import MAX_PAYLOAD_BYTES
from samla_identity.scim.router import router as scim_router


def build() -> ServiceSpec:
    settings = get_settings()
    routers = [privacy_router, people_router, orgunits_router, scim_router, keycloak_sync_router, imports_router]
    if settings.auth_mode == "dev":
        routers.append(devauth_router)
    return ServiceSpec(settings=settings, title="Samla identity",
                       description="People, org units, reporting lines and roles; directory sync; dev sign-in.",
                       routers=routers, add_servicers=grpc_api.add_servicers, export_person=export_local,
                       produces=[events.PERSON_TOPIC, events.ORGUNIT_TOPIC],
                       on_startup=[keycloak_scheduler.start],
                       # Directory files (20 MB, plus the multipart wrapping) and SCIM bulk requests are larger.
                       # SCIM gets a margin above its own maxPayloadSize so that its router, not this guard,
                       # answers a body just over the limit, in SCIM's error format (RFC 7644 §3.12).
                       large_bodies={"/imports": reading.MAX_BYTES + 2**20, "/scim": 2 * MAX_PAYLOAD_BYTES})


app = create_app(build())
