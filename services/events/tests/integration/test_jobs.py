"""The background jobs against the real clock: lapsed offers passed on, the reminder before the day queued once,
and queued mail sent by the app's own background thread (never on the request path)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_events.chefsdag import service as chefsdag
from samla_events.config import Settings
from samla_events.invitations import service as invitations
from samla_events.jobs import Jobs
from samla_events.localtime import utcnow
from samla_events.registrations import service as registrations
from services.events.tests.conftest import open_api
from services.events.tests.support.directory import Directory
from services.events.tests.support.factories import POLICY, event_in, people, statuses
from services.events.tests.support.issuer import LocalIssuer
from services.events.tests.support.smtp import SmtpServer

pytestmark = pytest.mark.integration


@pytest.fixture
def jobs(factory: sessionmaker[Session], db_url: str) -> Jobs:
    return Jobs(session_factory=factory, settings=Settings(database_url=db_url, offer_hours=48,
                                                           reminder_days_before=2))


def open_day(factory: sessionmaker[Session], *, days_ahead: int, capacity: int, n: int) -> tuple[str, list[str]]:
    crowd = people(n)
    now = utcnow()
    with unit_of_work(factory) as s:
        event = chefsdag.create(session=s, data=event_in(capacity=capacity, day=date.today() + timedelta(days_ahead)),
                                by="admin", now=now - timedelta(days=10))
        invitations.invite(session=s, event_id=event.id, people=crowd, by="admin", now=now - timedelta(days=10),
                           policy=POLICY)
    return event.id, [p.id for p in crowd]


def test_the_job_passes_lapsed_offers_to_the_next_in_line(factory: sessionmaker[Session], jobs: Jobs) -> None:
    event_id, ids = open_day(factory, days_ahead=20, capacity=1, n=3)
    long_ago = utcnow() - timedelta(hours=50)
    for pid in ids:
        with unit_of_work(factory) as s:
            registrations.respond(session=s, event_id=event_id, person_id=pid, attending=True, needs=None,
                                  now=long_ago, policy=POLICY)
    with unit_of_work(factory) as s:  # a seat frees 49 hours ago: its 48-hour offer has lapsed
        registrations.respond(session=s, event_id=event_id, person_id=ids[0], attending=False, needs=None,
                              now=long_ago + timedelta(hours=1), policy=POLICY)

    assert jobs.expire_offers() >= 1

    assert statuses(factory, event_id) == {ids[0]: "cancelled", ids[1]: "cancelled", ids[2]: "offered"}


def test_the_reminder_before_the_day_is_queued_once(factory: sessionmaker[Session], jobs: Jobs) -> None:
    soon, soon_ids = open_day(factory, days_ahead=1, capacity=5, n=2)
    later, later_ids = open_day(factory, days_ahead=20, capacity=5, n=1)
    for event_id, pid in ((soon, soon_ids[0]), (later, later_ids[0])):
        with unit_of_work(factory) as s:
            registrations.respond(session=s, event_id=event_id, person_id=pid, attending=True, needs=None,
                                  now=utcnow(), policy=POLICY)

    with factory() as s:
        due = invitations.due_for_reminder(session=s, now=utcnow(), days_before=2)
    first, again = jobs.send_scheduled_reminders(), jobs.send_scheduled_reminders()

    assert soon in due and later not in due
    assert first >= 1 and again == 0


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


def test_the_app_sends_queued_mail_in_the_background(db_url: str, issuer: LocalIssuer,
                                                     directory: tuple[Directory, str], smtp: SmtpServer,
                                                     tmp_path: Path) -> None:
    d, target = directory
    d.add_person("p-bg-1", "Bo Bakgrund", email="bo.bakgrund@kommun.example")
    with open_api(db_url, issuer, target, tmp_path, SAMLA_EVENTS_JOBS_ENABLED="true",
                  SAMLA_EVENTS_JOBS_POLL_SECONDS="0.05", SAMLA_EVENTS_SMTP_HOST="127.0.0.1",
                  SAMLA_EVENTS_SMTP_PORT=str(smtp.port), SAMLA_EVENTS_SMTP_STARTTLS="false") as api:
        event = api.call("POST", "/events", json={
            "title": "Chefsdag", "date": (date.today() + timedelta(days=30)).isoformat(), "starts_at": "08:30",
            "ends_at": "16:00", "venue": "Stadshuset", "capacity": 5}).json()
        assert api.call("POST", f"/events/{event['id']}/invitations", json={"person_ids": ["p-bg-1"]}).status_code \
            == 200
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not any(
                r.recipients == ["bo.bakgrund@kommun.example"] for r in smtp.state.received):
            time.sleep(0.05)

    assert [r.message["Subject"] for r in smtp.state.received if r.recipients == ["bo.bakgrund@kommun.example"]] == [
        "Inbjudan: Chefsdag, " + invitations.texts.long_date_sv(date.today() + timedelta(days=30))]
