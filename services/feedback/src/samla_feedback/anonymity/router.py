"""HTTP API for an event's anonymity rules, eligibility tokens and gallring."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

from samla_common.auth import CurrentPerson
from samla_common.deps import SessionDep
from samla_feedback.anonymity import policy, retention, tokens
from samla_feedback.anonymity.schemas import (
    PolicyIn,
    PolicyOut,
    RetentionRunOut,
    TokenBatchIn,
    TokenBatchOut,
    TokenOut,
)
from samla_feedback.api import Admin, AdminOrService, EventId, problems

router = APIRouter(prefix="/events/{event_id}", tags=["anonymity"])


def _policy_out(rules: policy.Policy) -> PolicyOut:
    return PolicyOut(event_id=rules.event_id, k=rules.k, retention_days=rules.retention_days,
                     premoderate_questions=rules.premoderate_questions)


@router.get("/anonymity", response_model=PolicyOut, responses=problems(),
            summary="An event's anonymity rules (k, retention, moderation). Any signed-in person.")
def get_policy(event_id: EventId, session: SessionDep, _: CurrentPerson) -> PolicyOut:
    return _policy_out(policy.get(session=session, event_id=event_id))


@router.put("/anonymity", response_model=PolicyOut, responses=problems(422),
            summary="Set an event's anonymity rules; k is never below 3. Roles: samla-admin.")
def put_policy(event_id: EventId, body: PolicyIn, session: SessionDep, _: Admin) -> PolicyOut:
    return _policy_out(policy.put(session=session, event_id=event_id, k=body.k, retention_days=body.retention_days,
                                  premoderate_questions=body.premoderate_questions))


@router.post("/eligibility-tokens", response_model=TokenBatchOut, status_code=201, responses=problems(422),
             summary="One-time answer tokens for a check-in desk to hand out, one per attendee; nobody is recorded. "
                     "Roles: samla-admin, or a service.")
def post_token_batch(event_id: EventId, body: TokenBatchIn, session: SessionDep,
                     _: AdminOrService) -> TokenBatchOut:
    return TokenBatchOut(event_id=event_id,
                         tokens=tokens.issue_batch(session=session, event_id=event_id, count=body.count))


@router.post("/eligibility-tokens/mine", response_model=TokenOut, status_code=201, responses=problems(409),
             summary="The signed-in attendee's own answer token, handed out once; which token it was is not "
                     "recorded. Any signed-in person seated at the event.")
def post_my_token(event_id: EventId, session: SessionDep, principal: CurrentPerson) -> TokenOut:
    return TokenOut(event_id=event_id, token=tokens.issue_to(session=session, event_id=event_id,
                                                             person_id=principal.sub))


@router.post("/retention/run", response_model=RetentionRunOut, responses=problems(422),
             summary="Run gallring: delete free text past the event's retention period, and log it. "
                     "Roles: samla-admin.")
def run_retention(event_id: EventId, session: SessionDep, principal: Admin) -> RetentionRunOut:
    entry = retention.run(session=session, event_id=event_id, now=datetime.now(UTC), run_by=principal.sub)
    return RetentionRunOut.model_validate(entry)


@router.get("/retention/runs", response_model=list[RetentionRunOut], responses=problems(),
            summary="The log of gallring runs. Roles: samla-admin.")
def get_retention_runs(event_id: EventId, session: SessionDep, _: Admin) -> list[RetentionRunOut]:
    return [RetentionRunOut.model_validate(r) for r in retention.runs(session=session, event_id=event_id)]
