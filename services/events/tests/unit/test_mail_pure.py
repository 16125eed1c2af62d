"""Mail without I/O: the retry schedule, and the message built from a queued mail."""

from __future__ import annotations

from datetime import UTC, datetime

from samla_events.mail.models import QueuedMail
from samla_events.mail.sender import build_message, retry_delay


def test_retries_back_off_by_doubling_up_to_a_cap() -> None:
    delays = [retry_delay(n, base=30, cap=600) for n in range(1, 8)]

    assert delays == [30, 60, 120, 240, 480, 600, 600]


def test_the_message_carries_names_in_swedish_and_the_calendar_file() -> None:
    mail = QueuedMail(id=41, to_address="asa.oberg@kommun.example", to_name="Åsa Öberg", subject="Inbjudan: Chefsdag",
                      body="Hej Åsa!", ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

    msg = build_message(mail, sender="Samla <samla@kommun.example>", now=datetime(2026, 9, 1, tzinfo=UTC))

    assert msg["To"].addresses[0].display_name == "Åsa Öberg"
    assert msg["Message-ID"] == "<samla-mail-41@samla.local>"
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None and body.get_content().strip() == "Hej Åsa!"
    [attachment] = list(msg.iter_attachments())
    assert attachment.get_content_type() == "text/calendar" and attachment.get_filename() == "chefsdag.ics"
