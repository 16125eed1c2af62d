"""The welcome mail through a real SMTP server on loopback: each member gets it, with an .ics that parses."""

from __future__ import annotations

import email
import threading
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import icalendar
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from samla_network.mail.models import PENDING, SENT, QueuedMail

from .conftest import free_port, open_network, wait_for

pytestmark = pytest.mark.integration


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=default)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def test_a_published_groups_members_get_the_welcome_mail_with_a_calendar_file(
        database: tuple[str, str], tmp_path: Path) -> None:
    url, backend = database
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with open_network(url, tmp_path, backend, SAMLA_NETWORK_MAIL_SENDER_ENABLED="true",
                          SAMLA_NETWORK_MAIL_POLL_SECONDS="0.1", SAMLA_NETWORK_SMTP_HOST="127.0.0.1",
                          SAMLA_NETWORK_SMTP_PORT=str(smtp.port), SAMLA_NETWORK_SMTP_STARTTLS="false",
                          SAMLA_NETWORK_SMTP_FROM="Samla <samla@kommun.example>") as network:
            ids = network.municipality("mail", administrations=4, per_administration=2)
            run = network.call("POST", "/runs", expect=201, json={
                "name": "Nätverk med post", "population": {"kind": "people", "person_ids": ids},
                "parameters": {"min_size": 4, "max_size": 4, "time_budget_seconds": 0.3}}).json()
            assert network.run_to_end(run["id"])["status"] == "done"
            groups = network.call("POST", f"/runs/{run['id']}/publish", expect=200).json()

            wait_for(lambda: len(inbox.received) >= len(ids))

            def statuses_once_sent() -> set[str] | None:
                # The server has the last mail a moment before the sender marks it sent; wait for the mark,
                # and look at every status then (a mail that failed instead would show up here).
                with network.factory() as session:
                    found = {m.status for m in session.scalars(select(QueuedMail))}
                return found if PENDING not in found else None

            statuses = wait_for(statuses_once_sent)
    finally:
        smtp.stop()

    assert statuses == {SENT}
    recipients = sorted(r for rcpt, _ in inbox.received for r in rcpt)
    assert recipients == sorted(f"{pid}@kommun.example" for pid in ids)
    rcpt, message = inbox.received[0]
    person = rcpt[0].split("@")[0]
    group = next(g for g in groups if person in [m["person_id"] for m in g["members"]])
    assert message["Subject"] == f"Ditt ledarnätverk: {group['name']}"
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and "Förslag på första träff" in body.get_content()
    [attachment] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert attachment.get_filename() == "natverk.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [meeting] = calendar.walk("VEVENT")
    starts = meeting.decoded("dtstart")
    assert str(meeting["summary"]) == f"Första träffen: {group['name']}"
    assert str(meeting["uid"]) == f"network-{group['id']}-first@samla"
    assert starts.weekday() == 1 and (starts.hour, starts.minute) == (8, 30)
    assert str(starts.tzinfo) == "Europe/Stockholm"
    assert all(f"Namn {m['person_id']}" in str(meeting["description"]) for m in group["members"])
