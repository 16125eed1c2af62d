"""HTTP API for prompts: facilitators create, open and close them; participants see the open ones."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from samla_common.auth import ADMIN, FACILITATOR, CurrentPerson
from samla_common.deps import SessionDep
from samla_common.errors import NotFound
from samla_feedback.anonymity import policy
from samla_feedback.api import EventId, Facilitator, ObjectId, PersonOrService, problems
from samla_feedback.prompts import service
from samla_feedback.prompts.models import Prompt
from samla_feedback.prompts.schemas import EvaluationIn, OptionOut, PromptIn, PromptOut, ScaleIn
from samla_feedback.texts import ANONYMOUS_NOTICE, PUBLIC_RECORD_NOTICE, fill

router = APIRouter(tags=["prompts"])
FACILITATORS = (FACILITATOR, ADMIN)


def to_out(prompt: Prompt, *, k: int, max_text_length: int) -> PromptOut:
    scale = ScaleIn(min=prompt.scale_min or 0, max=prompt.scale_max or 1, labels=prompt.scale_labels or {}) \
        if prompt.kind == "scale" else None
    return PromptOut(
        id=prompt.id, event_id=prompt.event_id, section=prompt.section, round_no=prompt.round_no,
        position=prompt.position, kind=prompt.kind, audience=prompt.audience, anonymous=prompt.anonymous,
        title=prompt.title, description=prompt.description,
        options=[OptionOut(id=str(o["id"]), label=str(o["label"])) for o in prompt.options or []], scale=scale,
        max_phrases=prompt.max_phrases, points_total=prompt.points_total, breakdowns=list(prompt.breakdowns or []),
        template=prompt.template, status=prompt.status, max_text_length=max_text_length, k=k,
        notice=PUBLIC_RECORD_NOTICE if prompt.has_free_text else None,
        anonymous_notice=fill(ANONYMOUS_NOTICE, k=k) if prompt.anonymous else None,
        opened_at=prompt.opened_at, closed_at=prompt.closed_at)


def _out(request: Request, session: SessionDep, prompts: list[Prompt]) -> list[PromptOut]:
    max_text = request.app.state.settings.max_text_length
    ks = {e: policy.get(session=session, event_id=e).k for e in {p.event_id for p in prompts}}
    return [to_out(p, k=ks[p.event_id], max_text_length=max_text) for p in prompts]


@router.post("/events/{event_id}/prompts", response_model=PromptOut, status_code=201, responses=problems(422),
             summary="Create a draft prompt (open text, choice, scale, word cloud, ranking, priority). "
                     "Roles: samla-facilitator, samla-admin.")
def create_prompt(event_id: EventId, body: PromptIn, request: Request, session: SessionDep,
                  _: Facilitator) -> PromptOut:
    return _out(request, session, [service.create(session=session, event_id=event_id, data=body)])[0]


@router.get("/events/{event_id}/prompts", response_model=list[PromptOut], responses=problems(422),
            summary="An event's prompts: open and closed ones for participants, drafts too for facilitators. "
                    "Any signed-in person.")
def list_prompts(event_id: EventId, request: Request, session: SessionDep, principal: PersonOrService,
                 section: Literal["dialogue", "evaluation"] | None = None,
                 status: Annotated[list[Literal["draft", "open", "closed"]] | None, Query()] = None
                 ) -> list[PromptOut]:
    allowed = {"draft", "open", "closed"} if principal.has_any(FACILITATORS) else {"open", "closed"}
    wanted = allowed & set(status or allowed)
    return _out(request, session, service.list_for_event(session=session, event_id=event_id, statuses=wanted,
                                                         section=section))


@router.get("/prompts/{prompt_id}", response_model=PromptOut, responses=problems(404),
            summary="One prompt, with the notices to show before answering. Any signed-in person "
                    "(drafts: samla-facilitator, samla-admin).")
def get_prompt(prompt_id: ObjectId, request: Request, session: SessionDep, principal: CurrentPerson) -> PromptOut:
    prompt = service.get(session=session, prompt_id=prompt_id)
    if prompt.status == "draft" and not principal.has_any(FACILITATORS):
        raise NotFound(f"No prompt with id {prompt_id!r}.")
    return _out(request, session, [prompt])[0]


@router.post("/prompts/{prompt_id}/open", response_model=PromptOut, responses=problems(404, 409),
             summary="Open a prompt for answers. Roles: samla-facilitator, samla-admin.")
def open_prompt(prompt_id: ObjectId, request: Request, session: SessionDep, _: Facilitator) -> PromptOut:
    return _out(request, session, [service.set_status(session=session, prompt_id=prompt_id, status="open")])[0]


@router.post("/prompts/{prompt_id}/close", response_model=PromptOut, responses=problems(404),
             summary="Close a prompt; answers are refused from now on. Roles: samla-facilitator, samla-admin.")
def close_prompt(prompt_id: ObjectId, request: Request, session: SessionDep, _: Facilitator) -> PromptOut:
    return _out(request, session, [service.set_status(session=session, prompt_id=prompt_id, status="closed")])[0]


@router.post("/events/{event_id}/evaluation", response_model=list[PromptOut], status_code=201,
             responses=problems(422),
             summary="Create the evaluation survey (anonymous, one answer per eligibility token), optionally with "
                     "SKR's nine HME statements. Roles: samla-facilitator, samla-admin.")
def create_evaluation(event_id: EventId, body: EvaluationIn, request: Request, session: SessionDep,
                      _: Facilitator) -> list[PromptOut]:
    return _out(request, session, service.create_evaluation(session=session, event_id=event_id, data=body))


@router.post("/events/{event_id}/evaluation/{action}", response_model=list[PromptOut], responses=problems(404, 409),
             summary="Open or close every prompt of the evaluation survey. Roles: samla-facilitator, samla-admin.")
def set_evaluation_status(event_id: EventId, action: Literal["open", "close"], request: Request,
                          session: SessionDep, _: Facilitator) -> list[PromptOut]:
    status = "open" if action == "open" else "closed"
    return _out(request, session, service.set_section_status(session=session, event_id=event_id,
                                                             section="evaluation", status=status))
