"""The Keycloak → directory sync: read Keycloak, compare, and unless it is a dry run apply every change in one
transaction through the people and org-unit services (so versions, placements and events stay right).

Each run commits on its own rather than in a request's transaction: Keycloak is read with no transaction open,
the confirmation of leavers happens between two short ones, and a failed run must still be logged.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable
from datetime import UTC, datetime

from keycloak.exceptions import KeycloakError
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_common.errors import Conflict, Unavailable
from samla_identity.config import Settings
from samla_identity.keycloak_sync import mapping, plan
from samla_identity.keycloak_sync.client import KeycloakDirectory
from samla_identity.keycloak_sync.models import SyncRun
from samla_identity.keycloak_sync.schemas import (
    IssueOut,
    OrgUnitChanges,
    PersonRef,
    PersonUpdate,
    SyncReport,
    SyncRunOut,
    SyncStatus,
    UnitMove,
    UnitRef,
)
from samla_identity.orgunits import service as orgunits
from samla_identity.people import service as people

ISSUES_KEPT = 200  # per logged run; the report itself has them all
_running = threading.Lock()  # one sync per process; replicas meet at the advisory lock below
_ADVISORY_KEY = zlib.crc32(b"samla-identity-keycloak-sync")

Connect = Callable[[], KeycloakDirectory]


def run(*, session_factory: sessionmaker[Session], connect: Connect, dry_run: bool, trigger: str) -> SyncReport:
    """Runs one sync and logs it. Conflict if a sync is already running; Unavailable if Keycloak cannot be read."""
    if not _running.acquire(blocking=False):
        raise Conflict("A Keycloak sync is already running; try again when it has finished.")
    started = datetime.now(UTC)
    try:
        return _run(session_factory, connect, dry_run=dry_run, trigger=trigger, started=started)
    except Exception as exc:
        if not isinstance(exc, Conflict):
            _log_failure(session_factory, started=started, trigger=trigger, dry_run=dry_run, error=exc)
        if isinstance(exc, KeycloakError):
            raise Unavailable(f"Keycloak could not be read: {exc}") from exc
        raise
    finally:
        _running.release()


def status(*, session: Session, settings: Settings) -> SyncStatus:
    """Whether the sync is configured, its schedule, and the last run."""
    last = session.scalars(select(SyncRun).order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(1)).first()
    return SyncStatus(configured=bool(settings.keycloak_url), interval_seconds=settings.keycloak_sync_interval_seconds,
                      last_run=SyncRunOut.model_validate(last) if last else None)


def _run(session_factory: sessionmaker[Session], connect: Connect, *, dry_run: bool, trigger: str,
         started: datetime) -> SyncReport:
    directory = connect()
    wanted = mapping.wanted(directory.fetch())
    with unit_of_work(session_factory) as session:
        missing = plan.make(session=session, wanted=wanted).missing
    # Offset paging can skip a user when another is deleted mid-listing: ask for each leaver before deactivating.
    gone: set[str] = set()
    for person in missing:
        if directory.exists(person.id):
            wanted.issues.append(mapping.issue("kc_still_exists", user_id=person.id, user=person.name))
        else:
            gone.add(person.id)
    with unit_of_work(session_factory) as session:
        _lock_across_replicas(session)
        changes = plan.make(session=session, wanted=wanted, gone=gone)
        events = 0 if dry_run else _apply(session, changes)
        report = _report(changes, events=events, dry_run=dry_run, trigger=trigger, started=started,
                         listed=len(wanted.listed_ids), counted=wanted.counted)
        record = SyncRun(started_at=started, finished_at=report.finished_at, trigger=trigger, dry_run=dry_run,
                         status="succeeded", counts=report.counts,
                         issues=[i.model_dump() for i in report.issues[:ISSUES_KEPT]], error=None)
        session.add(record)
        session.flush()
        return report.model_copy(update={"run_id": record.id})


def _lock_across_replicas(session: Session) -> None:
    """On PostgreSQL one sync at a time across replicas (SQLite already admits one writer)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    if not session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY}).scalar_one():
        raise Conflict("Another replica is running a Keycloak sync; try again when it has finished.")


def _apply(session: Session, changes: plan.Plan) -> int:
    """Writes the plan through the directory services; returns how many events that published."""
    events = 0
    for unit in changes.units:
        orgunits.upsert(session=session, data=unit.data)
        events += 1
    for person in changes.people:
        result = people.upsert(session=session, data=person.data, source=plan.SOURCE, active=person.active)
        events += result.outcome != "unchanged"
    for leaver in changes.deactivate:
        people.deactivate(session=session, person_id=leaver.id, source=plan.SOURCE)
        events += 1
    return events


def _report(changes: plan.Plan, *, events: int, dry_run: bool, trigger: str, started: datetime, listed: int,
            counted: int) -> SyncReport:
    created = [PersonRef(id=p.data.id, name=p.data.name) for p in changes.people if p.outcome == "created"]
    updated = [PersonUpdate(id=p.data.id, name=p.data.name, changes=p.changes)
               for p in changes.people if p.outcome == "updated"]
    units = OrgUnitChanges(
        created=[_unit_ref(u) for u in changes.units if u.outcome == "created"],
        moved=[UnitMove(**_unit_ref(u).model_dump(), from_parent_id=u.old_parent_id)
               for u in changes.units if u.outcome == "moved"],
        updated=[_unit_ref(u) for u in changes.units if u.outcome == "updated"])
    counts = {"created": len(created), "updated": len(updated), "deactivated": len(changes.deactivate),
              "unchanged": len(changes.unchanged), "skipped": len(changes.skipped),
              "org_units_created": len(units.created), "org_units_moved": len(units.moved),
              "org_units_updated": len(units.updated), "issues": len(changes.issues), "users_listed": listed,
              "users_counted": counted, "events": events}
    return SyncReport(run_id=0, dry_run=dry_run, trigger=trigger, started_at=started, finished_at=datetime.now(UTC),
                      counts=counts, created=created, updated=updated,
                      deactivated=[PersonRef(id=p.id, name=p.name) for p in changes.deactivate],
                      unchanged=changes.unchanged, org_units=units,
                      issues=[IssueOut(**vars(i)) for i in changes.issues])


def _unit_ref(change: plan.UnitChange) -> UnitRef:
    d = change.data
    return UnitRef(id=d.id, name=d.name, kind=d.kind, parent_id=d.parent_id)


def _log_failure(session_factory: sessionmaker[Session], *, started: datetime, trigger: str, dry_run: bool,
                 error: Exception) -> None:
    with unit_of_work(session_factory) as session:
        session.add(SyncRun(started_at=started, finished_at=datetime.now(UTC), trigger=trigger, dry_run=dry_run,
                            status="failed", counts={}, issues=[], error=f"{type(error).__name__}: {error}"[:2000]))
