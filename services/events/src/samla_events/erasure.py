"""GDPR erasure (DESIGN §7): identity.person.erased also wipes what this service copied about the person.

The directory read model blanks its own row (samla_common.directory); here the copies on invitations, the
needs on registrations and the person's mail are removed. Attendance (who came, which day) stays, anonymous.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from samla_common.privacy import rows_about
from samla_events.checkin.models import CheckInOp
from samla_events.db import people
from samla_events.invitations.models import Invitation
from samla_events.mail.models import QueuedMail
from samla_events.registrations.models import Registration

ERASED_NAME = "(raderad)"


def erase_person(*, session: Session, person_id: str) -> None:
    """Removes the person's name, addresses, needs and mail from every day."""
    session.execute(update(Invitation).where(Invitation.person_id == person_id).values(
        name=ERASED_NAME, email=None, title=None, search_key=ERASED_NAME))
    session.execute(update(Registration).where(Registration.person_id == person_id).values(
        dietary=[], dietary_other=None, accessibility=None, dietary_name_to_caterer=False, consent_listed=False))
    session.execute(delete(QueuedMail).where(QueuedMail.person_id == person_id))


def export_person(session: Session, person_id: str) -> dict[str, Any]:
    """Everything events holds about the person (GDPR export)."""
    return {
        "directory_entry": next(iter(rows_about(session, people, "id", person_id)), None),
        "invitations": rows_about(session, Invitation.__table__, "person_id", person_id),
        "registrations": rows_about(session, Registration.__table__, "person_id", person_id),
        "check_ins": rows_about(session, CheckInOp.__table__, "person_id", person_id),
        "mail": rows_about(session, QueuedMail.__table__, "person_id", person_id),
    }
