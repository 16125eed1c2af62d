"""Where mail goes: an SMTP server, or (no SMTP host configured) the local catcher table."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_events.config import Settings
from samla_events.localtime import utcnow
from samla_events.mail.models import CaughtMail

Send = Callable[[EmailMessage], None]


class Transport(Protocol):
    def open(self) -> AbstractContextManager[Send]:
        """A connection for one batch; the callable sends one message or raises."""
        ...


class SmtpTransport:
    def __init__(self, *, host: str, port: int, starttls: bool, user: str, password: str, timeout: float) -> None:
        self.host, self.port, self.starttls = host, port, starttls
        self.user, self.password, self.timeout = user, password, timeout

    def _connect(self) -> smtplib.SMTP:
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        try:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    @contextmanager
    def open(self) -> Iterator[Send]:
        smtp: smtplib.SMTP | None = None

        def send(message: EmailMessage) -> None:
            nonlocal smtp
            if smtp is None:
                smtp = self._connect()
            try:
                smtp.send_message(message)
            except (smtplib.SMTPServerDisconnected, OSError):
                smtp.close()
                smtp = None  # the next message reconnects
                raise

        try:
            yield send
        finally:
            if smtp is not None:
                try:
                    smtp.quit()
                except (smtplib.SMTPException, OSError):
                    smtp.close()


class CatcherTransport:
    """Keeps each message in `caught_mail` so a local page can show what would have been sent."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory

    @contextmanager
    def open(self) -> Iterator[Send]:
        def send(message: EmailMessage) -> None:
            to = ", ".join(addr for _, addr in getaddresses([str(message["To"])]))
            with unit_of_work(self.session_factory) as session:
                session.add(CaughtMail(to_address=to, subject=str(message["Subject"]), message=message.as_string(),
                                       caught_at=utcnow()))

        yield send


def transport_for(settings: Settings, session_factory: sessionmaker[Session]) -> Transport:
    """SMTP when a host is configured, otherwise the catcher."""
    if not settings.smtp_host:
        return CatcherTransport(session_factory)
    return SmtpTransport(host=settings.smtp_host, port=settings.smtp_port, starttls=settings.smtp_starttls,
                         user=settings.smtp_user, password=settings.smtp_password.get_secret_value(),
                         timeout=settings.smtp_timeout_seconds)
