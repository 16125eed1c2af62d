"""identity.person.erased reaches the events service's own copies: names, addresses, needs and mail go."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from samla_common.db import unit_of_work
from samla_common.directory import PERSON_ERASED
from samla_common.messaging.envelope import Envelope
from samla_events.invitations.models import Invitation
from samla_events.mail.models import QueuedMail
from samla_events.main import build
from samla_events.registrations import service as registrations
from services.events.tests.support.factories import answer, make_event, people

pytestmark = pytest.mark.integration


def test_an_erased_person_leaves_no_name_address_needs_or_mail_behind(factory: sessionmaker[Session]) -> None:
    crowd = people(2)
    event_id = make_event(factory, invited=crowd)
    answer(factory, event_id, crowd[0].id, needs=registrations.Needs(dietary=["vegan"], dietary_other="Nötallergi",
                                                                      consent_listed=True))
    registry = build().registry
    assert registry is not None
    handler = registry.get(PERSON_ERASED)
    assert handler is not None

    with unit_of_work(factory) as s:
        handler(s, Envelope(id="e-1", type=PERSON_ERASED, source="/samla/identity", subject=crowd[0].id,
                            time=datetime.now(UTC), data={"id": crowd[0].id, "erased_at": "2026-12-01T00:00:00Z"},
                            sequence=9))

    with factory() as s:
        erased = s.query(Invitation).filter_by(event_id=event_id, person_id=crowd[0].id).one()
        kept = s.query(Invitation).filter_by(event_id=event_id, person_id=crowd[1].id).one()
        reg = registrations.get(session=s, event_id=event_id, person_id=crowd[0].id)
        mails = {m.person_id for m in s.query(QueuedMail).filter_by(event_id=event_id)}
    assert (erased.name, erased.email, erased.search_key) == ("(raderad)", None, "(raderad)")
    assert kept.name == crowd[1].name
    assert reg is not None and reg.status == "registered" and reg.dietary == [] and reg.dietary_other is None
    assert not reg.consent_listed
    assert mails == {crowd[1].id}
