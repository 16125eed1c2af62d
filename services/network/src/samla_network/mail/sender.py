"""Sends queued network mail outside any business transaction: SMTP when configured, else marks it caught.

One batch is read, sent, and each outcome recorded in its own short transaction; a failure is retried with a
doubling delay up to `mail_max_attempts`. Delivery is at least once; the stable Message-ID lets mail clients
drop a copy.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from fastapi import FastAPI
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_network.config import Settings
from samla_network.mail.models import CAUGHT, FAILED, PENDING, SENT, QueuedMail
from samla_network.topics import utcnow

log = logging.getLogger(__name__)


def build_message(mail: QueuedMail, *, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((mail.to_name, mail.to_address))
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = f"<samla-network-mail-{mail.id}@samla.local>"
    message.set_content(mail.body, cte="quoted-printable")
    if mail.ics:
        message.add_attachment(mail.ics.encode(), maintype="text", subtype="calendar", filename="natverk.ics",
                               params={"method": "PUBLISH", "charset": "utf-8"})
    return message


def _smtp(settings: Settings) -> smtplib.SMTP:
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds)
    if settings.smtp_starttls:
        smtp.starttls(context=ssl.create_default_context())
    if settings.smtp_user:
        smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
    return smtp


def send_due(*, session_factory: sessionmaker[Session], settings: Settings, batch: int = 50) -> int:
    """Sends (or catches) one batch of due mail; returns how many were handled."""
    now = utcnow()
    with session_factory() as session:
        due = list(session.scalars(select(QueuedMail).where(QueuedMail.status == PENDING,
                                                            QueuedMail.next_attempt_at <= now)
                                   .order_by(QueuedMail.id).limit(batch)))
        session.expunge_all()
    if not due:
        return 0
    smtp = _smtp(settings) if settings.smtp_host else None
    try:
        for mail in due:
            error = None
            if smtp is not None:
                try:
                    smtp.send_message(build_message(mail, sender=settings.smtp_from))
                except (smtplib.SMTPException, OSError) as exc:
                    error = f"{type(exc).__name__}: {exc}"
            _record(session_factory, mail.id, error=error, caught=smtp is None, settings=settings)
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    return len(due)


def _record(session_factory: sessionmaker[Session], mail_id: int, *, error: str | None, caught: bool,
            settings: Settings) -> None:
    with unit_of_work(session_factory) as session:
        mail = session.get(QueuedMail, mail_id)
        if mail is None:
            return
        mail.attempts += 1
        if error is None:
            mail.status, mail.sent_at = (CAUGHT if caught else SENT), utcnow()
            return
        mail.last_error = error[:2000]
        if mail.attempts >= settings.mail_max_attempts:
            mail.status = FAILED
            log.error("network mail %s failed for good: %s", mail.id, error)
        else:
            mail.next_attempt_at = utcnow() + timedelta(seconds=min(3600, 5 * 2 ** (mail.attempts - 1)))


def start(app: FastAPI) -> None:
    """on_startup hook: a thread that sends due mail every few seconds until the app's engine is disposed (the
    service's shutdown does that last), so the thread never outlives its app."""
    settings: Settings = app.state.settings
    if not settings.mail_sender_enabled:
        return
    stop = threading.Event()
    app.state.mail_stop = stop
    event.listen(app.state.engine, "engine_disposed", lambda _engine: stop.set(), once=True)

    def loop() -> None:
        while not stop.wait(settings.mail_poll_seconds):
            try:
                send_due(session_factory=app.state.session_factory, settings=settings)
            except Exception:
                log.exception("sending network mail failed; retrying")

    threading.Thread(target=loop, name="network-mail", daemon=True).start()
