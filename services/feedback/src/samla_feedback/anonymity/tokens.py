"""Eligibility without linking: one-time tokens let attendees answer anonymous prompts once each.

A token is 32 random bytes shown to its holder once; the service keeps only its SHA-256 with the event id. Handing
out tokens is recorded apart from them: a batch for a check-in desk records nobody, a self-service token records
that the person has fetched one but not which. Answering stores (prompt, SHA-256 of prompt id and token) so a token
answers a prompt once; that hash differs per prompt and from the token's own hash, so even someone reading the
tables in the order rows were written cannot chain a person to their token, the token to its uses, or its uses to
each other. The answer row keeps no token, person or time.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, Forbidden
from samla_feedback.anonymity.models import EligibilityToken, TokenIssue, TokenUse
from samla_feedback.errors import invalid
from samla_feedback.participants import service as participants

MAX_BATCH = 2000


def hash_token(token: str) -> str:
    # A plain hash is enough: tokens carry 256 random bits, so there is nothing to guess from the hash.
    return hashlib.sha256(token.encode()).hexdigest()


def use_hash(prompt_id: str, token: str) -> str:
    return hashlib.sha256(f"{prompt_id}:{token}".encode()).hexdigest()


def _new(session: Session, event_id: str) -> str:
    token = secrets.token_urlsafe(32)
    session.add(EligibilityToken(token_hash=hash_token(token), event_id=event_id))
    return token


def issue_batch(*, session: Session, event_id: str, count: int) -> list[str]:
    """Tokens for a check-in desk to hand out, one per attendee; nobody is recorded."""
    if not 1 <= count <= MAX_BATCH:
        raise invalid("count", f"must be between 1 and {MAX_BATCH}")
    tokens = [_new(session, event_id) for _ in range(count)]
    session.flush()
    return tokens


def issue_to(*, session: Session, event_id: str, person_id: str) -> str:
    """The signed-in attendee's own token, handed out once."""
    if not participants.is_attendee(session=session, event_id=event_id, person_id=person_id):
        raise Forbidden("Only people seated at this event can fetch an answer token.")
    try:
        with session.begin_nested():
            session.add(TokenIssue(event_id=event_id, person_id=person_id))
    except IntegrityError:
        raise Conflict("Your answer token for this event has already been handed out; "
                       "ask the check-in desk for a paper token if it is lost.") from None
    token = _new(session, event_id)
    session.flush()
    return token


def redeem(*, session: Session, event_id: str, prompt_id: str, token: str | None) -> None:
    """Spends a token on one prompt; a token from another event, an unknown one, or a second use is refused."""
    if not token:
        raise invalid("eligibility_token", "anonymous prompts need the answer token handed out at check-in")
    row = session.get(EligibilityToken, hash_token(token))
    if row is None or row.event_id != event_id:
        raise invalid("eligibility_token", "not a valid answer token for this event")
    try:
        with session.begin_nested():
            session.add(TokenUse(prompt_id=prompt_id, use_hash=use_hash(prompt_id, token)))
    except IntegrityError:
        raise Conflict("This answer token has already answered this prompt.") from None
