"""Background work of the events service: sending queued mail, passing on lapsed seat offers, and the
scheduled reminder before each day. One thread, started and stopped with the app's lifespan.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_common.errors import DomainError
from samla_events.config import Settings
from samla_events.invitations import service as invitations
from samla_events.localtime import utcnow
from samla_events.mail.sender import MailSender
from samla_events.mail.transport import Transport, transport_for
from samla_events.policy import Policy
from samla_events.registrations import waiting_list

log = logging.getLogger(__name__)
HOUSEKEEPING_SECONDS = 60.0  # offers and reminders are checked this often; mail on every poll


class Jobs:
    def __init__(self, *, session_factory: sessionmaker[Session], settings: Settings,
                 transport: Transport | None = None) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.policy = Policy.from_settings(settings)
        self.sender = MailSender(session_factory=session_factory,
                                 transport=transport or transport_for(settings, session_factory),
                                 sender=settings.smtp_from, max_attempts=settings.mail_max_attempts,
                                 retry_base=settings.mail_retry_base_seconds,
                                 retry_max=settings.mail_retry_max_seconds)
        self._last_housekeeping = 0.0

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("events background jobs failed; trying again")
            stop.wait(self.settings.jobs_poll_seconds)

    def tick(self) -> None:
        if time.monotonic() - self._last_housekeeping >= HOUSEKEEPING_SECONDS:
            self.expire_offers()
            self.send_scheduled_reminders()
            self._last_housekeeping = time.monotonic()
        while self.sender.send_due().sent == self.sender.batch_size:
            pass  # a full batch went out: there may be more due

    def expire_offers(self) -> int:
        """Passes on every lapsed seat offer, one day per transaction."""
        now = utcnow()
        with self.session_factory() as session:
            due = waiting_list.events_with_lapsed_offers(session=session, now=now)
        lapsed = 0
        for event_id in due:
            try:
                with unit_of_work(self.session_factory) as session:
                    lapsed += waiting_list.expire_offers(session=session, event_id=event_id, now=now,
                                                          policy=self.policy)
            except DomainError as exc:  # the day moved on meanwhile
                log.info("offers of %s not expired: %s", event_id, exc.detail)
        return lapsed

    def send_scheduled_reminders(self) -> int:
        """Queues the reminder before each open day (once per person)."""
        now = utcnow()
        with self.session_factory() as session:
            due = invitations.due_for_reminder(session=session, now=now,
                                               days_before=self.settings.reminder_days_before)
        queued = 0
        for event_id in due:
            try:
                with unit_of_work(self.session_factory) as session:
                    queued += invitations.remind(session=session, event_id=event_id, kind="registered", now=now,
                                                 policy=self.policy)[0]
            except DomainError as exc:
                log.info("reminders of %s not queued: %s", event_id, exc.detail)
        return queued


def attach(app: FastAPI, settings: Settings) -> None:
    """Runs the jobs for as long as the app's lifespan (when enabled in settings)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[None]:
        async with inner(a):
            stop = threading.Event()
            thread = None
            if settings.jobs_enabled:
                jobs = Jobs(session_factory=a.state.session_factory, settings=settings)
                a.state.jobs = jobs
                thread = threading.Thread(target=jobs.run, args=(stop,), name="events-jobs", daemon=True)
                thread.start()
            try:
                yield
            finally:
                stop.set()
                if thread is not None:
                    thread.join(timeout=10)

    app.router.lifespan_context = lifespan
