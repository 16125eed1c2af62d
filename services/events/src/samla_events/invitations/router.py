"""HTTP API for invitations, reminders and mail status (`/events/{id}/invitations`, `/reminders`, `/mail`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from samla_common.deps import SessionDep
from samla_events.access import Admin
from samla_events.chefsdag import service as chefsdag
from samla_events.deps import IdentityDep, PolicyDep
from samla_events.directory.identity import Audience
from samla_events.invitations import service
from samla_events.invitations.schemas import (
    AudienceIn,
    AudiencePreview,
    InvitationOut,
    InviteResult,
    MailStatus,
    ReminderIn,
    ReminderResult,
)
from samla_events.localtime import utcnow
from samla_events.mail import service as mail

router = APIRouter(prefix="/events/{event_id}", tags=["invitations"])
PROBLEMS: dict[int | str, dict[str, Any]] = {409: {"description": "The day's state does not allow this (problem+json)"},
            503: {"description": "The directory (identity) did not answer; nothing was written (problem+json)"}}


def _audience(body: AudienceIn) -> Audience:
    return Audience(org_unit_ids=body.org_unit_ids, levels=body.levels, roles=body.roles, person_ids=body.person_ids)


@router.post("/invitations/preview", response_model=AudiencePreview, responses=PROBLEMS,
             summary="How many people an audience reaches (nothing is written). Roles: samla-admin.")
def preview_audience(event_id: str, body: AudienceIn, session: SessionDep, identity: IdentityDep,
                     _: Admin) -> AudiencePreview:
    people = identity.resolve_audience(_audience(body))  # asked before the transaction starts
    p = service.preview(session=session, event_id=event_id, people=people)
    return AudiencePreview(reached=p.reached, already_invited=p.already_invited, without_email=p.without_email,
                           sample=p.sample)


@router.post("/invitations", response_model=InviteResult, responses=PROBLEMS,
             summary="Invite an audience (whole group, administrations and below, levels, roles, hand-picked): "
                     "stores the invitations and queues a mail with a calendar file and a personal link to each. "
                     "The first invitation moves a draft to invitations_sent. Roles: samla-admin.")
def invite(event_id: str, body: AudienceIn, session: SessionDep, identity: IdentityDep, policy: PolicyDep,
           principal: Admin) -> InviteResult:
    people = identity.resolve_audience(_audience(body))  # asked before the transaction starts
    r = service.invite(session=session, event_id=event_id, people=people, by=principal.sub, now=utcnow(),
                       policy=policy)
    return InviteResult(invited=r.invited, already_invited=r.already_invited, without_email=r.without_email,
                        mails_queued=r.mails_queued, state=r.state)


@router.get("/invitations", response_model=list[InvitationOut],
            summary="Who is invited, with each answer; `q` searches names and e-mail. Roles: samla-admin.")
def list_invitations(event_id: str, session: SessionDep, _: Admin,
                     q: Annotated[str, Query(max_length=200)] = "",
                     limit: Annotated[int, Query(ge=1, le=2000)] = 100,
                     offset: Annotated[int, Query(ge=0)] = 0) -> list[InvitationOut]:
    rows = service.list_invitations(session=session, event_id=event_id, query=q, limit=limit, offset=offset)
    return [InvitationOut.model_validate({**{k: getattr(inv, k) for k in InvitationOut.model_fields
                                             if k != "response"}, "response": status})
            for inv, status in rows]


@router.post("/reminders", response_model=ReminderResult, responses=PROBLEMS,
             summary="Send a reminder now (each person gets each kind at most once, so asking twice sends "
                     "nothing new). A scheduled reminder to registered people also goes out before the day. "
                     "Roles: samla-admin.")
def send_reminders(event_id: str, body: ReminderIn, session: SessionDep, policy: PolicyDep,
                   _: Admin) -> ReminderResult:
    queued, skipped = service.remind(session=session, event_id=event_id, kind=body.kind, now=utcnow(), policy=policy)
    return ReminderResult(queued=queued, already_reminded=skipped)


@router.get("/mail", response_model=MailStatus,
            summary="Delivery of this day's mail: pending, sent, failed (with the errors). Roles: samla-admin.")
def mail_status(event_id: str, session: SessionDep, _: Admin) -> MailStatus:
    chefsdag.get(session=session, event_id=event_id)
    counts = mail.status_counts(session=session, event_id=event_id)
    failures = [{"to": m.to_address, "kind": m.kind, "attempts": m.attempts, "last_error": m.last_error}
                for m in mail.failures(session=session, event_id=event_id)]
    return MailStatus(pending=counts["pending"], sent=counts["sent"], failed=counts["failed"], failures=failures)
