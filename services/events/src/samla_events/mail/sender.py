"""The background sender: moves queued mail to the transport, outside any business transaction.

A batch is claimed in a short transaction (a lease in `claimed_until`; on PostgreSQL rows another replica holds
are skipped), sent without a transaction open, and each outcome recorded in its own short transaction. A sender
that dies after the server accepted a message but before recording it sends it again when the lease ends:
delivery is at least once, and the stable Message-ID lets mail clients drop the copy.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_events.localtime import utcnow
from samla_events.mail.models import QueuedMail
from samla_events.mail.transport import Transport

log = logging.getLogger(__name__)


def retry_delay(attempt: int, *, base: float, cap: float) -> float:
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...): doubling from `base`, at most `cap`."""
    return float(min(cap, base * 2 ** max(0, attempt - 1)))


def build_message(mail: QueuedMail, *, sender: str, now: datetime) -> EmailMessage:
    """The RFC 5322 message for a queued mail, with its calendar file attached when it has one."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((mail.to_name, mail.to_address))
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<samla-mail-{mail.id}@samla.local>"  # the same on every retry
    message.set_content(mail.body, cte="quoted-printable")  # 7-bit safe through any relay
    if mail.ics:
        message.add_attachment(mail.ics.encode(), maintype="text", subtype="calendar", filename="chefsdag.ics",
                               params={"method": "PUBLISH", "charset": "utf-8"})
    return message


@dataclass(frozen=True)
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


class MailSender:
    def __init__(self, *, session_factory: sessionmaker[Session], transport: Transport, sender: str,
                 max_attempts: int, retry_base: float, retry_max: float, batch_size: int = 50,
                 lease: timedelta = timedelta(minutes=5)) -> None:
        self.session_factory = session_factory
        self.transport = transport
        self.sender = sender
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.batch_size = batch_size
        self.lease = lease

    def send_due(self, now: datetime | None = None) -> SendReport:
        """Sends one batch of due mail; returns what happened to it."""
        now = now or utcnow()
        claimed = self._claim(now)
        if not claimed:
            return SendReport()
        sent = retrying = failed = 0
        with self.transport.open() as send:
            for mail in claimed:
                try:
                    send(build_message(mail, sender=self.sender, now=now))
                except Exception as exc:
                    if self._record_failure(mail.id, f"{type(exc).__name__}: {exc}", now):
                        failed += 1
                    else:
                        retrying += 1
                    continue
                self._record_sent(mail.id, now)
                sent += 1
        return SendReport(sent=sent, retrying=retrying, failed=failed)

    def _claim(self, now: datetime) -> list[QueuedMail]:
        with unit_of_work(self.session_factory) as session:
            rows = list(session.scalars(
                select(QueuedMail)
                .where(QueuedMail.status == "pending", QueuedMail.next_attempt_at <= now,
                       or_(QueuedMail.claimed_until.is_(None), QueuedMail.claimed_until < now))
                .order_by(QueuedMail.id).limit(self.batch_size).with_for_update(skip_locked=True)))
            for row in rows:
                row.claimed_until = now + self.lease
            session.flush()
            session.expunge_all()
        return rows

    def _record_sent(self, mail_id: int, now: datetime) -> None:
        with unit_of_work(self.session_factory) as session:
            mail = session.get(QueuedMail, mail_id, with_for_update=True)
            if mail is not None:
                mail.status, mail.sent_at, mail.claimed_until = "sent", now, None
                mail.attempts += 1

    def _record_failure(self, mail_id: int, error: str, now: datetime) -> bool:
        """Schedules a retry with backoff; returns True when the mail has run out of attempts."""
        with unit_of_work(self.session_factory) as session:
            mail = session.get(QueuedMail, mail_id, with_for_update=True)
            if mail is None:
                return False
            mail.attempts += 1
            mail.last_error = error[:2000]
            mail.claimed_until = None
            if mail.attempts >= self.max_attempts:
                mail.status = "failed"
                log.error("mail %s to %s failed for good after %d attempts: %s", mail.id, mail.to_address,
                          mail.attempts, error)
                return True
            mail.next_attempt_at = now + timedelta(seconds=retry_delay(mail.attempts, base=self.retry_base,
                                                                       cap=self.retry_max))
            log.warning("mail %s to %s failed (attempt %d), retrying: %s", mail.id, mail.to_address, mail.attempts,
                        error)
            return False
