"""Answering prompts: one answer per person (editable while open), per table, or per eligibility token.

Every answer updates the prompt's tallies, publishes `se.samla.feedback.response.recorded.v1` and adds a change to
the board feed in the same transaction. Anonymous answers go through `_anonymous`, which must stay free of the
person: nothing it stores, publishes or logs names them (no person id, no token, no time on the row).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, Forbidden, NotFound
from samla_feedback import events
from samla_feedback.anonymity import tokens
from samla_feedback.errors import invalid
from samla_feedback.live import changes
from samla_feedback.participants import service as participants
from samla_feedback.prompts import service as prompts
from samla_feedback.prompts.models import Prompt
from samla_feedback.responses import answers, tallies
from samla_feedback.responses.models import Response
from samla_feedback.responses.schemas import AnswerIn

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    prompt_id: str
    outcome: str
    anonymous: bool
    respondents: int


def submit(*, session: Session, prompt_id: str, person_id: str, answer: AnswerIn, max_text_length: int) -> Receipt:
    """Records the caller's answer to an open prompt."""
    prompt = prompts.get(session=session, prompt_id=prompt_id)
    if prompt.status != "open":
        raise Conflict(f"The prompt is {prompt.status}; answers are accepted only while it is open.")
    normalised = answers.normalise(prompt, answer, max_text_length=max_text_length)
    if prompt.anonymous:
        return _anonymous(session, prompt, person_id, answer.eligibility_token, normalised)
    if answer.eligibility_token is not None:
        raise invalid("eligibility_token", "this prompt is not anonymous; answer without a token")
    ctx = participants.context_for(session=session, event_id=prompt.event_id, person_id=person_id,
                                   round_no=prompt.round_no)
    if prompt.audience == "table":
        if not ctx.table_id or ctx.table_round is None:
            raise Forbidden("Only people seated at a table in this round can write its answer.")
        if not ctx.scribe and participants.has_scribe(session=session, event_id=prompt.event_id,
                                                      round_no=ctx.table_round, table_id=ctx.table_id):
            raise Forbidden("This table has a scribe; the scribe writes the table's answer.")
        size = participants.table_size(session=session, event_id=prompt.event_id, round_no=ctx.table_round,
                                       table_id=ctx.table_id)
        return _keyed(session, prompt, key=f"t:{ctx.table_round}:{ctx.table_id}", author=person_id,
                      group=tallies.Group(table_id=ctx.table_id), group_size=size, normalised=normalised)
    return _keyed(session, prompt, key=f"p:{person_id}", author=person_id, group=_remembered(prompt, ctx),
                  group_size=1, normalised=normalised)


def mine(*, session: Session, prompt_id: str, person_id: str) -> Response:
    """The caller's own (or their table's) answer, to show and edit it."""
    prompt = prompts.get(session=session, prompt_id=prompt_id)
    if prompt.anonymous:
        raise NotFound("Anonymous answers are not linked to anyone, so they cannot be shown again.")
    if prompt.audience == "table":
        seat = participants.seat_of(session=session, event_id=prompt.event_id, person_id=person_id,
                                    round_no=prompt.round_no)
        key = f"t:{seat.round_no}:{seat.table_id}" if seat else ""
    else:
        key = f"p:{person_id}"
    row = session.scalars(select(Response).where(Response.prompt_id == prompt_id,
                                                 Response.respondent_key == key)).first()
    if row is None:
        raise NotFound("You have not answered this prompt.")
    return row


def texts(*, session: Session, prompt: Prompt, k: int, limit: int = 500,
          offset: int = 0) -> tuple[bool, list[Response]]:
    """(suppressed, rows): free-text answers may be shown only once k people have answered, and a table's shared
    answer only when the table has k people. Callers must not show authors or groups other than a table's own."""
    if not prompt.has_free_text:
        return False, []
    if tallies.people(session, prompt_id=prompt.id) < k:
        return True, []
    stmt = select(Response).where(Response.prompt_id == prompt.id, Response.text.is_not(None))
    if prompt.audience == "table":
        stmt = stmt.where(Response.group_size >= k)
    # Anonymous rows have no time; their random ids give an order that says nothing about who came first.
    return False, list(session.scalars(stmt.order_by(Response.id).limit(limit).offset(offset)))


def _remembered(prompt: Prompt, ctx: participants.Context) -> tallies.Group:
    """Only the groups the prompt's breakdowns need are kept with the answer (data minimisation)."""
    keep = set(prompt.breakdowns or [])
    return tallies.Group(table_id=ctx.table_id if "table" in keep else "",
                         administration_id=ctx.administration_id if "administration" in keep else "",
                         level=ctx.level if "level" in keep else "")


def _keyed(session: Session, prompt: Prompt, *, key: str, author: str, group: tallies.Group, group_size: int,
           normalised: answers.Normalised) -> Receipt:
    """Creates or replaces the one answer under `key`; concurrent first answers end up as one row."""
    now = datetime.now(UTC)
    existing = _locked(session, prompt.id, key)
    if existing is None:
        row = Response(id=str(uuid.uuid4()), prompt_id=prompt.id, respondent_key=key, person_id=author,
                       table_id=group.table_id, administration_id=group.administration_id, level=group.level,
                       group_size=group_size, value=normalised.value, text=normalised.text, created_at=now,
                       updated_at=now)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            # Another request created it first (the unique key waited for its commit): edit that row instead.
            existing = _locked(session, prompt.id, key)
            if existing is None:
                raise
        else:
            _tally(session, prompt, group, group_size, normalised.buckets, sign=1)
            return _recorded(session, prompt, "created", row, author)
    old_group = tallies.Group(existing.table_id, existing.administration_id, existing.level)
    _tally(session, prompt, old_group, existing.group_size, answers.stored_buckets(prompt, existing.value), sign=-1)
    existing.person_id, existing.value, existing.text, existing.updated_at = author, normalised.value, \
        normalised.text, now
    existing.table_id, existing.administration_id, existing.level = group.table_id, group.administration_id, \
        group.level
    existing.group_size = group_size
    session.flush()
    _tally(session, prompt, group, group_size, normalised.buckets, sign=1)
    return _recorded(session, prompt, "updated", existing, author)


def _locked(session: Session, prompt_id: str, key: str) -> Response | None:
    return session.scalars(select(Response).where(Response.prompt_id == prompt_id, Response.respondent_key == key)
                           .with_for_update()).first()


def _anonymous(session: Session, prompt: Prompt, person_id: str, token: str | None,
               normalised: answers.Normalised) -> Receipt:
    """An answer with no person in it. `person_id` is used only to look up the groups the prompt remembers."""
    tokens.redeem(session=session, event_id=prompt.event_id, prompt_id=prompt.id, token=token)
    ctx = participants.context_for(session=session, event_id=prompt.event_id, person_id=person_id,
                                   round_no=prompt.round_no)
    group = _remembered(prompt, ctx)
    session.add(Response(id=str(uuid.uuid4()), prompt_id=prompt.id, respondent_key=None, person_id=None,
                         table_id=group.table_id, administration_id=group.administration_id, level=group.level,
                         group_size=1, value=normalised.value, text=normalised.text, created_at=None,
                         updated_at=None))
    session.flush()
    _tally(session, prompt, group, 1, normalised.buckets, sign=1)
    count = tallies.respondents(session, prompt_id=prompt.id)
    events.publish(session, topic=events.RESPONSE_TOPIC, type=events.RESPONSE_RECORDED, key=prompt.id,
                   data=_event(prompt, "created", count), anonymous=True)
    changes.record(session=session, event_id=prompt.event_id, kind="results", subject_id=prompt.id)
    log.debug("anonymous answer recorded", extra={"prompt_id": prompt.id})
    return Receipt(prompt_id=prompt.id, outcome="created", anonymous=True, respondents=count)


def _tally(session: Session, prompt: Prompt, group: tallies.Group, group_size: int,
           buckets: list[answers.Bucket], *, sign: int) -> None:
    tallies.apply(session, prompt_id=prompt.id, group=group, buckets=[answers.respondent_bucket(group_size), *buckets],
                  sign=sign)


def _recorded(session: Session, prompt: Prompt, outcome: str, row: Response, author: str) -> Receipt:
    count = tallies.respondents(session, prompt_id=prompt.id)
    data: dict[str, Any] = {**_event(prompt, outcome, count), "person_id": author}
    if not prompt.has_free_text:
        data["value"] = row.value  # free text stays out of Kafka, where gallring could not reach it
    if prompt.audience == "table":
        data["table_id"] = row.table_id
    events.publish(session, topic=events.RESPONSE_TOPIC, type=events.RESPONSE_RECORDED, key=prompt.id, data=data,
                   anonymous=False)
    changes.record(session=session, event_id=prompt.event_id, kind="results", subject_id=prompt.id)
    log.debug("answer recorded", extra={"prompt_id": prompt.id, "outcome": outcome, "person_id": author})
    return Receipt(prompt_id=prompt.id, outcome=outcome, anonymous=False, respondents=count)


def _event(prompt: Prompt, outcome: str, respondents: int) -> dict[str, Any]:
    """The payload every recorded answer shares; anonymous answers publish only this."""
    return {"event_id": prompt.event_id, "prompt_id": prompt.id, "kind": prompt.kind, "anonymous": prompt.anonymous,
            "outcome": outcome, "respondents": respondents}
