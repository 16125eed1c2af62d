"""HTTP API for themes: suggestions, manual grouping, insights and publishing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.auth import ADMIN, FACILITATOR, LEADERSHIP, CurrentPerson, Principal
from samla_common.deps import SessionDep
from samla_common.errors import NotFound
from samla_feedback.anonymity import policy
from samla_feedback.api import ID_PATTERN, EventId, Facilitator, ObjectId, problems
from samla_feedback.themes import service
from samla_feedback.themes.models import Theme, ThemeResponse
from samla_feedback.themes.schemas import PublishIn, SpreadOut, SuggestionOut, ThemeIn, ThemeOut, ThemeResponsesIn

router = APIRouter(tags=["themes"])
STAFF = (FACILITATOR, ADMIN, LEADERSHIP)


def to_out(session: Session, theme: Theme, viewer: Principal) -> ThemeOut:
    facts = service.insight(session=session, theme=theme, k=policy.get(session=session, event_id=theme.event_id).k)
    staff = viewer.has_any((FACILITATOR, ADMIN))
    ids = list(session.scalars(select(ThemeResponse.response_id).where(ThemeResponse.theme_id == theme.id)
                               .order_by(ThemeResponse.response_id))) if staff else None
    return ThemeOut(id=theme.id, event_id=theme.event_id, title=theme.title, description=theme.description,
                    status=theme.status, process_id=theme.process_id, published_at=theme.published_at,
                    answers=facts["answers"], people=facts["people"], suppressed=facts["suppressed"],
                    quotes=facts["quotes"], spread=[SpreadOut(**s) for s in facts["spread"]],
                    suppressed_groups=facts["suppressed_groups"], response_ids=ids)


def _visible(theme: Theme, viewer: Principal) -> Theme:
    if theme.status != "published" and not viewer.has_any(STAFF):
        raise NotFound(f"No theme with id {theme.id!r}.")
    return theme


@router.get("/events/{event_id}/themes/suggestions", response_model=list[SuggestionOut], responses=problems(422),
            summary="Suggested clusters of similar free-text answers (TF-IDF over Swedish stems, cosine similarity, "
                    "agglomerative clustering). Roles: samla-facilitator, samla-admin.")
def get_suggestions(event_id: EventId, session: SessionDep, _: Facilitator,
                    prompt_id: Annotated[str | None, Query(max_length=36, pattern=ID_PATTERN)] = None,
                    threshold: Annotated[float, Query(gt=0, lt=1)] = 0.3) -> list[SuggestionOut]:
    k = policy.get(session=session, event_id=event_id).k
    return [SuggestionOut(**s) for s in service.suggest(session=session, event_id=event_id, prompt_id=prompt_id,
                                                        k=k, threshold=threshold)]


@router.post("/events/{event_id}/themes", response_model=ThemeOut, status_code=201, responses=problems(422),
             summary="Create a theme from chosen answers. Roles: samla-facilitator, samla-admin.")
def create_theme(event_id: EventId, body: ThemeIn, session: SessionDep, principal: Facilitator) -> ThemeOut:
    theme = service.create(session=session, event_id=event_id, title=body.title, description=body.description,
                           response_ids=body.response_ids)
    return to_out(session, theme, principal)


@router.get("/events/{event_id}/themes", response_model=list[ThemeOut], responses=problems(),
            summary="An event's themes with counts, k-protected quotes and spread: published ones for everyone, "
                    "drafts too for samla-facilitator, samla-admin, samla-leadership. Any signed-in person.")
def list_themes(event_id: EventId, session: SessionDep, principal: CurrentPerson) -> list[ThemeOut]:
    themes = service.list_for_event(session=session, event_id=event_id, published_only=not principal.has_any(STAFF))
    return [to_out(session, t, principal) for t in themes]


@router.get("/themes/{theme_id}", response_model=ThemeOut, responses=problems(404),
            summary="One theme (drafts only for samla-facilitator, samla-admin, samla-leadership). "
                    "Any signed-in person.")
def get_theme(theme_id: ObjectId, session: SessionDep, principal: CurrentPerson) -> ThemeOut:
    return to_out(session, _visible(service.get(session=session, theme_id=theme_id), principal), principal)


@router.put("/themes/{theme_id}/responses", response_model=ThemeOut, responses=problems(404, 422),
            summary="Replace the answers in a theme. Roles: samla-facilitator, samla-admin.")
def put_theme_responses(theme_id: ObjectId, body: ThemeResponsesIn, session: SessionDep,
                        principal: Facilitator) -> ThemeOut:
    theme = service.set_responses(session=session, theme_id=theme_id, response_ids=body.response_ids)
    return to_out(session, theme, principal)


@router.post("/themes/{theme_id}/publish", response_model=ThemeOut, responses=problems(404, 409),
             summary="Publish a theme as an insight (feedback.insight.v1) for the budget or vision process. "
                     "Roles: samla-facilitator, samla-admin.")
def publish_theme(theme_id: ObjectId, body: PublishIn, session: SessionDep, principal: Facilitator) -> ThemeOut:
    theme = service.get(session=session, theme_id=theme_id)
    k = policy.get(session=session, event_id=theme.event_id).k
    return to_out(session, service.publish(session=session, theme_id=theme_id, process_id=body.process_id, k=k),
                  principal)
