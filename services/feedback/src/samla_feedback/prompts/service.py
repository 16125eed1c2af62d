"""Prompts: created by facilitators per event and round, opened and closed during the day.

Opening and closing publish `se.samla.feedback.prompt.changed.v1` and put a change on the event's board feed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, NotFound
from samla_feedback import events
from samla_feedback.errors import InvalidInput
from samla_feedback.live import changes
from samla_feedback.prompts.models import Prompt
from samla_feedback.prompts.schemas import EvaluationIn, PromptIn, ScaleIn
from samla_feedback.texts import HME_ITEMS, HME_PART_TITLES, HME_SCALE_LABELS
from samla_feedback.themes.models import Theme

CHOICE_KINDS = ("choice", "multi_choice", "ranking", "priority")


def get(*, session: Session, prompt_id: str, lock: bool = False) -> Prompt:
    """Gets one prompt by id."""
    prompt = session.get(Prompt, prompt_id, with_for_update=lock or None)
    if prompt is None:
        raise NotFound(f"No prompt with id {prompt_id!r}.")
    return prompt


def list_for_event(*, session: Session, event_id: str, statuses: Iterable[str],
                   section: str | None = None) -> list[Prompt]:
    """An event's prompts in the given states, in the facilitator's order."""
    stmt = select(Prompt).where(Prompt.event_id == event_id, Prompt.status.in_(list(statuses)))
    if section is not None:
        stmt = stmt.where(Prompt.section == section)
    return list(session.scalars(stmt.order_by(Prompt.section, Prompt.position, Prompt.created_at)))


def create(*, session: Session, event_id: str, data: PromptIn, section: str = "dialogue",
           template: str | None = None) -> Prompt:
    """Creates a draft prompt after checking that its settings fit its kind."""
    if section == "evaluation":
        data = data.model_copy(update={"anonymous": True, "audience": "individual"})
    options = _options(session, event_id, data)
    _check(data, options)
    position = session.execute(select(func.count()).select_from(Prompt).where(
        Prompt.event_id == event_id, Prompt.section == section)).scalar_one()
    scale = (data.scale or ScaleIn()) if data.kind == "scale" else None
    prompt = Prompt(
        id=str(uuid.uuid4()), event_id=event_id, section=section, round_no=data.round_no, position=position,
        kind=data.kind, audience=data.audience, anonymous=data.anonymous, title=data.title,
        description=data.description, options=options,
        scale_min=scale.min if scale else None, scale_max=scale.max if scale else None,
        scale_labels=dict(scale.labels) if scale else {},
        max_phrases=(data.max_phrases or 3) if data.kind == "word_cloud" else None,
        points_total=(data.points_total or 100) if data.kind == "priority" else None,
        breakdowns=list(data.breakdowns if data.breakdowns is not None else _default_breakdowns(data)),
        template=template, status="draft", created_at=datetime.now(UTC))
    session.add(prompt)
    session.flush()
    return prompt


def create_evaluation(*, session: Session, event_id: str, data: EvaluationIn) -> list[Prompt]:
    """The evaluation survey of an event (anonymous, answered with eligibility tokens), optionally with HME."""
    created = []
    if data.include_hme:
        for number, (part, statement) in enumerate(HME_ITEMS, start=1):
            item = PromptIn(kind="scale", title=statement, description=HME_PART_TITLES[part],
                            scale=ScaleIn(min=1, max=5, labels=HME_SCALE_LABELS))
            created.append(create(session=session, event_id=event_id, data=item, section="evaluation",
                                  template=f"hme:{part}:{number}"))
    for item in data.prompts:
        created.append(create(session=session, event_id=event_id, data=item, section="evaluation"))
    return created


def set_status(*, session: Session, prompt_id: str, status: str) -> Prompt:
    """Opens or closes a prompt; publishes the change."""
    prompt = get(session=session, prompt_id=prompt_id, lock=True)
    if prompt.status == status:
        return prompt
    if status == "open" and prompt.texts_deleted_at is not None:
        raise Conflict("The free text of this prompt has been deleted (gallring); it cannot be opened again.")
    now = datetime.now(UTC)
    prompt.status = status
    if status == "open":
        prompt.opened_at, prompt.closed_at = now, None
    else:
        prompt.closed_at = now
    session.flush()
    events.publish(session, topic=events.RESPONSE_TOPIC, type=events.PROMPT_CHANGED, key=prompt.id,
                   data=prompt_event(prompt), anonymous=False)
    changes.record(session=session, event_id=prompt.event_id, kind="prompt", subject_id=prompt.id)
    return prompt


def set_section_status(*, session: Session, event_id: str, section: str, status: str) -> list[Prompt]:
    """Opens or closes every prompt of a section (the evaluation survey) at once."""
    prompts = list_for_event(session=session, event_id=event_id, statuses=("draft", "open", "closed"),
                             section=section)
    if not prompts:
        raise NotFound(f"Event {event_id!r} has no {section} prompts.")
    return [set_status(session=session, prompt_id=p.id, status=status) for p in prompts]


def prompt_event(prompt: Prompt) -> dict[str, Any]:
    """The payload of se.samla.feedback.prompt.changed.v1."""
    return {"id": prompt.id, "event_id": prompt.event_id, "section": prompt.section, "round_no": prompt.round_no,
            "kind": prompt.kind, "audience": prompt.audience, "anonymous": prompt.anonymous, "title": prompt.title,
            "status": prompt.status, "opened_at": events.iso(prompt.opened_at),
            "closed_at": events.iso(prompt.closed_at)}


def _default_breakdowns(data: PromptIn) -> list[str]:
    if data.audience == "table":
        return ["table"]
    if data.anonymous:
        return ["administration"]
    return ["table", "administration", "level"]


def _options(session: Session, event_id: str, data: PromptIn) -> list[dict[str, Any]]:
    if not data.theme_ids:
        return [o.model_dump() for o in data.options]
    themes = {t.id: t for t in session.scalars(select(Theme).where(
        Theme.id.in_(data.theme_ids), Theme.event_id == event_id, Theme.status == "published"))}
    missing = [t for t in data.theme_ids if t not in themes]
    if missing:
        raise InvalidInput("Only published themes of this event can be options.",
                           errors=[{"field": "theme_ids", "message": f"not a published theme: {t}"} for t in missing])
    return [{"id": t, "label": themes[t].title} for t in data.theme_ids]


def _check(data: PromptIn, options: list[dict[str, Any]]) -> None:
    errors = []
    ids = [str(o["id"]) for o in options]
    if data.kind in CHOICE_KINDS and len(ids) < 2:
        errors.append({"field": "options", "message": f"a {data.kind} prompt needs at least two options"})
    if data.kind not in CHOICE_KINDS and ids:
        errors.append({"field": "options", "message": f"a {data.kind} prompt has no options"})
    if len(set(ids)) != len(ids):
        errors.append({"field": "options", "message": "option ids must be unique"})
    if data.kind == "scale" and data.scale is not None and data.scale.min >= data.scale.max:
        errors.append({"field": "scale.max", "message": "must be greater than scale.min"})
    if data.audience == "table" and data.anonymous:
        errors.append({"field": "anonymous", "message": "a table's shared answer is the table's, not anonymous"})
    if data.audience == "table" and data.breakdowns and set(data.breakdowns) != {"table"}:
        errors.append({"field": "breakdowns", "message": "table answers can only be broken down by table"})
    if data.breakdowns is not None and len(set(data.breakdowns)) != len(data.breakdowns):
        errors.append({"field": "breakdowns", "message": "lists a group twice"})
    if errors:
        raise InvalidInput("The prompt's settings do not fit its kind.", errors=errors)
