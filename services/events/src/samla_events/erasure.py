"""GDPR erasure (DESIGN §7): identity.person.erased also wipes what this service copied about the person.

The directory read model blanks its own row (samla_common.directory); here the copies on invitations, the
needs on registrations and the person's mail are removed. Attendance (who came, which day) stays, anonymous.
"""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from samla_common.directory import PERSON_ERASED
from samla_common.messaging.consumer import HandlerRegistry
from samla_common.messaging.envelope import Envelope
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


def register_erasure(registry: HandlerRegistry) -> None:
    """Extends the read model's erasure handler (registered first) with this service's own copies."""
    directory_handler = registry.get(PERSON_ERASED)

    @registry.on(PERSON_ERASED)
    def _erased(session: Session, env: Envelope) -> None:
        if directory_handler is not None:
            directory_handler(session, env)
        erase_person(session=session, person_id=env.data["id"])
