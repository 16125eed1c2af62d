"""Mail really goes through an SMTP server on loopback: queued in the business transaction, sent by the
background sender with the calendar file, retried with backoff when the server says "try later"."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy.orm import Session, sessionmaker

from samla_events.localtime import utcnow
from samla_events.mail.models import QueuedMail
from samla_events.mail.sender import MailSender
from samla_events.mail.transport import SmtpTransport
from services.events.tests.support.factories import make_event, people, person
from services.events.tests.support.smtp import SmtpServer

pytestmark = pytest.mark.integration


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.stop()


def sender(factory: sessionmaker[Session], smtp: SmtpServer, *, max_attempts: int = 3) -> MailSender:
    transport = SmtpTransport(host="127.0.0.1", port=smtp.port, starttls=False, user="samla", password="s3cret",
                              timeout=5)
    return MailSender(session_factory=factory, transport=transport, sender="Samla <samla@kommun.example>",
                      max_attempts=max_attempts, retry_base=60, retry_max=600, batch_size=500)


def mails_of(factory: sessionmaker[Session], event_id: str) -> list[QueuedMail]:
    with factory() as s:
        return s.query(QueuedMail).filter_by(event_id=event_id).order_by(QueuedMail.id).all()


def test_invitations_reach_the_smtp_server_with_their_calendar_file(factory: sessionmaker[Session],
                                                                   smtp: SmtpServer) -> None:
    crowd = [*people(2), person(f"asa-{uuid.uuid4().hex[:6]}", "Åsa Öberg")]
    event_id = make_event(factory, invited=crowd)

    report = sender(factory, smtp).send_due(utcnow())

    mine = [r for r in smtp.state.received if r.recipients[0] in {p.email for p in crowd}]
    assert report.sent >= 3 and sorted(r.recipients[0] for r in mine) == sorted(p.email or "" for p in crowd)
    assert smtp.state.logins[-1] == ("samla", "s3cret")
    [message] = [r.message for r in mine if r.recipients == [crowd[2].email]]
    assert message["Subject"].startswith("Inbjudan: Chefsdag hösten 2026")
    assert message["To"].addresses[0].display_name == "Åsa Öberg"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().startswith("Hej Åsa Öberg!") and f"/dag/{event_id}" in \
        body.get_content()
    [attachment] = list(message.iter_attachments())
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [vevent] = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART").isoformat() == "2026-11-26T08:30:00+01:00"
    assert vevent.decoded("DTEND").isoformat() == "2026-11-26T16:00:00+01:00"
    assert str(vevent["LOCATION"]) == "Stadshuset, Stora salen"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"
    assert {m.status for m in mails_of(factory, event_id)} == {"sent"}
    assert sender(factory, smtp).send_due(utcnow()).sent == 0  # nothing is sent twice


def test_a_refusing_server_is_retried_with_backoff_until_it_accepts(factory: sessionmaker[Session],
                                                                   smtp: SmtpServer) -> None:
    sender(factory, smtp).send_due(utcnow())  # earlier tests' mail out of the way
    crowd = people(1)
    event_id = make_event(factory, invited=crowd)
    smtp.state.refuse_next = 2
    now = utcnow()
    s = sender(factory, smtp)

    assert s.send_due(now).retrying == 1
    [mail] = mails_of(factory, event_id)
    assert mail.status == "pending" and mail.attempts == 1 and "451" in (mail.last_error or "")
    assert mail.next_attempt_at == now + timedelta(seconds=60)
    assert s.send_due(now + timedelta(seconds=59)).retrying == 0  # not due yet
    assert s.send_due(now + timedelta(seconds=60)).retrying == 1
    assert mails_of(factory, event_id)[0].next_attempt_at == now + timedelta(seconds=60 + 120)
    assert s.send_due(now + timedelta(seconds=180)).sent == 1

    [mail] = mails_of(factory, event_id)
    assert mail.status == "sent" and mail.attempts == 3
    assert [r.recipients for r in smtp.state.received if r.recipients == [crowd[0].email]] == [[crowd[0].email]]


def test_a_mail_that_keeps_failing_is_marked_failed(factory: sessionmaker[Session], smtp: SmtpServer) -> None:
    sender(factory, smtp).send_due(utcnow())
    event_id = make_event(factory, invited=people(1))
    smtp.state.refuse_next = 100
    s = sender(factory, smtp, max_attempts=2)
    now = utcnow()

    s.send_due(now)
    assert s.send_due(now + timedelta(hours=1)).failed == 1

    [mail] = mails_of(factory, event_id)
    assert mail.status == "failed" and mail.attempts == 2
