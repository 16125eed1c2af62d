"""HTTP API of the Keycloak sync (`/sync/keycloak`)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Query, Request

from samla_common.auth import ADMIN, SERVICE, Principal, require_roles
from samla_common.deps import SessionDep
from samla_common.errors import Unavailable
from samla_identity.config import Settings
from samla_identity.keycloak_sync import client, service
from samla_identity.keycloak_sync.schemas import SyncReport, SyncStatus

router = APIRouter(prefix="/sync/keycloak", tags=["directory sync"])
AdminOrService = Annotated[Principal, Depends(require_roles(ADMIN, SERVICE))]


@router.post("/run", response_model=SyncReport,
             summary="Sync people and org units from Keycloak now; with dry_run=true only report. "
                     "Roles: samla-admin, services.",
             responses={409: {"description": "A sync is already running"},
                        503: {"description": "Not configured, or Keycloak could not be read"}})
def run_sync(request: Request, _: AdminOrService,
             dry_run: Annotated[bool, Query(description="Report what would change without writing")] = False
             ) -> SyncReport:
    settings = cast(Settings, request.app.state.settings)
    if not settings.keycloak_url:
        raise Unavailable("The Keycloak sync is not configured: set SAMLA_IDENTITY_KEYCLOAK_URL, _REALM, "
                          "_CLIENT_ID and _CLIENT_SECRET.")
    return service.run(session_factory=request.app.state.session_factory, connect=lambda: client.connect(settings),
                       dry_run=dry_run, trigger="api")


@router.get("/status", response_model=SyncStatus,
            summary="Whether the sync is configured, its schedule and the last run. Roles: samla-admin, services.")
def sync_status(request: Request, session: SessionDep, _: AdminOrService) -> SyncStatus:
    return service.status(session=session, settings=cast(Settings, request.app.state.settings))
