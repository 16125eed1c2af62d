"""The scheduled Keycloak sync: a daemon thread started from the service's startup hook."""

from __future__ import annotations

import logging
import threading
from typing import cast

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from samla_common.errors import Conflict
from samla_identity.config import Settings
from samla_identity.keycloak_sync import client, service

log = logging.getLogger(__name__)


def start(app: FastAPI) -> None:
    """Startup hook: syncs every keycloak_sync_interval_seconds (off when 0 or when Keycloak is not configured).

    ServiceSpec has no shutdown hook, so the thread is a daemon; `app.state.keycloak_sync_stop` stops it.
    """
    settings = cast(Settings, app.state.settings)
    if not settings.keycloak_url or settings.keycloak_sync_interval_seconds <= 0:
        return
    stop = threading.Event()
    app.state.keycloak_sync_stop = stop
    threading.Thread(target=_loop, args=(app.state.session_factory, settings, stop), name="keycloak-sync",
                     daemon=True).start()
    log.info("scheduled Keycloak sync every %ss", settings.keycloak_sync_interval_seconds)


def _loop(session_factory: sessionmaker[Session], settings: Settings, stop: threading.Event) -> None:
    while not stop.wait(settings.keycloak_sync_interval_seconds):
        try:
            report = service.run(session_factory=session_factory, connect=lambda: client.connect(settings),
                                 dry_run=False, trigger="schedule")
            log.info("scheduled Keycloak sync done", extra={"counts": report.counts})
        except Conflict:
            log.info("scheduled Keycloak sync skipped: another sync is running")
        except Exception:
            # Already logged as a failed run (GET /sync/keycloak/status); the next interval tries again.
            log.exception("scheduled Keycloak sync failed")
