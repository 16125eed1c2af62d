"""The local mail catcher's list (`/dev/mail`): what would have been sent when no SMTP host is configured."""

from __future__ import annotations

from datetime import datetime
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Annotated, cast

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict

from samla_common.auth import ADMIN, CurrentPrincipal
from samla_common.deps import SessionDep
from samla_common.errors import Forbidden
from samla_events.mail import service
from samla_events.mail.models import CaughtMail

router = APIRouter(prefix="/dev/mail", tags=["dev mail catcher"])


class Attachment(BaseModel):
    filename: str
    content_type: str


class CaughtMailOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": 12, "to": "karin.lindqvist@kommun.example", "subject": "Inbjudan: Chefsdag hösten 2026",
        "caught_at": "2026-09-15T10:12:03Z", "body": "Hej Karin! ...",
        "attachments": [{"filename": "chefsdag.ics", "content_type": "text/calendar"}]}]})

    id: int
    to: str
    subject: str
    caught_at: datetime
    body: str
    attachments: list[Attachment]


def _allowed(request: Request, principal: CurrentPrincipal) -> None:
    settings = request.app.state.settings
    dev = settings.auth_mode == "dev" and settings.env != "production"
    if not dev and ADMIN not in principal.roles:
        raise Forbidden("The mail catcher is for samla-admin (or anyone signed in on a local dev setup).")


def _out(mail: CaughtMail) -> CaughtMailOut:
    parsed = cast(EmailMessage, message_from_string(mail.message, policy=policy.default))
    body = parsed.get_body(preferencelist=("plain",))
    attachments = [Attachment(filename=part.get_filename() or "", content_type=part.get_content_type())
                   for part in parsed.iter_attachments()]
    return CaughtMailOut(id=mail.id, to=mail.to_address, subject=mail.subject, caught_at=mail.caught_at,
                         body=body.get_content() if body is not None else "", attachments=attachments)


@router.get("", response_model=list[CaughtMailOut],
            summary="Mail caught instead of sent (no SMTP host configured), newest first. "
                    "Roles: samla-admin; anyone signed in when SAMLA_AUTH=dev.")
def list_caught_mail(request: Request, session: SessionDep, principal: CurrentPrincipal,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100,
                     offset: Annotated[int, Query(ge=0)] = 0) -> list[CaughtMailOut]:
    _allowed(request, principal)
    return [_out(m) for m in service.caught(session=session, limit=limit, offset=offset)]


@router.get("/{mail_id}.eml", response_class=Response,
            responses={200: {"content": {"message/rfc822": {}}, "description": "The whole message"}},
            summary="One caught mail as the SMTP server would have received it. "
                    "Roles: samla-admin; anyone signed in when SAMLA_AUTH=dev.")
def get_caught_mail(mail_id: int, request: Request, session: SessionDep, principal: CurrentPrincipal) -> Response:
    _allowed(request, principal)
    mail = service.caught_one(session=session, mail_id=mail_id)
    return Response(mail.message.encode(), media_type="message/rfc822",
                    headers={"content-disposition": f'attachment; filename="mail-{mail.id}.eml"'})
