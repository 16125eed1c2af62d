"""Themes: facilitators group answers, helped by suggested clusters; a published theme becomes an insight.

A theme shows how many answered in it, a few quotes that speak for it and its spread across administrations, all
under the anonymity rules: nothing below k people, and the spread goes through the same suppression as results.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from samla_common.errors import Conflict, NotFound
from samla_feedback import events
from samla_feedback.anonymity.suppression import protect
from samla_feedback.errors import InvalidInput
from samla_feedback.live import changes
from samla_feedback.participants.directory import names_of
from samla_feedback.prompts.models import FREE_TEXT_KINDS, Prompt
from samla_feedback.responses import service as responses
from samla_feedback.responses.models import Response
from samla_feedback.themes import clustering
from samla_feedback.themes.models import Theme, ThemeResponse
from samla_feedback.webhooks import service as webhooks

QUOTES = 3


def get(*, session: Session, theme_id: str) -> Theme:
    """Gets one theme by id."""
    theme = session.get(Theme, theme_id)
    if theme is None:
        raise NotFound(f"No theme with id {theme_id!r}.")
    return theme


def list_for_event(*, session: Session, event_id: str, published_only: bool = False) -> list[Theme]:
    stmt = select(Theme).where(Theme.event_id == event_id)
    if published_only:
        stmt = stmt.where(Theme.status == "published")
    return list(session.scalars(stmt.order_by(Theme.created_at, Theme.id)))


def create(*, session: Session, event_id: str, title: str, description: str | None,
           response_ids: list[str]) -> Theme:
    """A draft theme holding the given answers."""
    theme = Theme(id=str(uuid.uuid4()), event_id=event_id, title=title.strip(), description=description,
                  status="draft", created_at=datetime.now(UTC))
    session.add(theme)
    session.flush()
    set_responses(session=session, theme_id=theme.id, response_ids=response_ids)
    return theme


def set_responses(*, session: Session, theme_id: str, response_ids: list[str]) -> Theme:
    """Replaces the answers in a theme; they must be free-text answers of the theme's event."""
    theme = get(session=session, theme_id=theme_id)
    ids = list(dict.fromkeys(response_ids))
    found = set(session.scalars(select(Response.id).join(Prompt, Prompt.id == Response.prompt_id).where(
        Response.id.in_(ids), Prompt.event_id == theme.event_id, Response.text.is_not(None))))
    missing = [r for r in ids if r not in found]
    if missing:
        raise InvalidInput("Themes hold free-text answers of their own event.",
                           errors=[{"field": "response_ids", "message": f"not a free-text answer here: {r}"}
                                   for r in missing[:20]])
    session.execute(delete(ThemeResponse).where(ThemeResponse.theme_id == theme.id))
    session.add_all(ThemeResponse(theme_id=theme.id, response_id=r) for r in ids)
    session.flush()
    changes.record(session=session, event_id=theme.event_id, kind="theme", subject_id=theme.id)
    return theme


def insight(*, session: Session, theme: Theme, k: int) -> dict[str, Any]:
    """Counts, k-protected quotes and the k-protected spread across administrations."""
    rows = list(session.execute(select(Response.id, Response.text, Response.administration_id, Response.group_size)
                                .join(ThemeResponse, ThemeResponse.response_id == Response.id)
                                .where(ThemeResponse.theme_id == theme.id).order_by(Response.id)))
    people = {r.id: r.group_size for r in rows}
    cells: dict[tuple[str, str], list[str]] = {("total", ""): [r.id for r in rows]}
    for r in rows:
        if r.administration_id:
            cells.setdefault(("administration", r.administration_id), []).append(r.id)
    published = protect(cells, people, k)
    shown = ("total", "") in published
    texts = [r.text or "" for r in rows]
    quotes = [texts[i] for i in clustering.most_representative(texts, QUOTES)] if shown else []
    units = sorted(value for dim, value in cells if dim == "administration")
    names = names_of(session=session, unit_ids=set(units))
    spread = [{"administration_id": u, "name": names[u], "answers": len(cells[("administration", u)])}
              for u in units if ("administration", u) in published]
    return {"answers": len(rows), "people": sum(people.values()), "suppressed": not shown, "quotes": quotes,
            "spread": spread if shown else [], "suppressed_groups": len(units) - len(spread) if shown else len(units)}


def publish(*, session: Session, theme_id: str, process_id: str | None, k: int) -> Theme:
    """Publishes a theme as an insight for the budget or vision process (feedback.insight.v1)."""
    theme = get(session=session, theme_id=theme_id)
    facts = insight(session=session, theme=theme, k=k)
    if facts["suppressed"]:
        raise Conflict(f"A theme needs answers from at least {k} people before it can be published.")
    now = datetime.now(UTC)
    theme.status, theme.process_id, theme.published_at = "published", process_id, now
    session.flush()
    data = {"insight_id": theme.id, "event_id": theme.event_id, "process_id": process_id, "title": theme.title,
            "description": theme.description, "answers": facts["answers"], "people": facts["people"],
            "quotes": facts["quotes"], "spread": facts["spread"], "suppressed_groups": facts["suppressed_groups"],
            "published_at": events.iso(now)}
    event_id = events.publish(session, topic=events.INSIGHT_TOPIC, type=events.INSIGHT_PUBLISHED,
                              key=process_id or theme.event_id, data=data, anonymous=False)
    webhooks.enqueue(session, event_type=events.INSIGHT_PUBLISHED, data=data, process_id=process_id,
                     event_id=event_id)
    changes.record(session=session, event_id=theme.event_id, kind="theme", subject_id=theme.id)
    return theme


def suggest(*, session: Session, event_id: str, prompt_id: str | None, k: int,
            threshold: float) -> list[dict[str, Any]]:
    """Clusters of similar free-text answers that may be shown (prompts with at least k people answering)."""
    stmt = select(Prompt).where(Prompt.event_id == event_id, Prompt.kind.in_(FREE_TEXT_KINDS))
    if prompt_id is not None:
        stmt = stmt.where(Prompt.id == prompt_id)
    rows: list[Response] = []
    for prompt in session.scalars(stmt.order_by(Prompt.position)):
        _, shown = responses.texts(session=session, prompt=prompt, k=k, limit=clustering.MAX_TEXTS)
        rows.extend(shown)
    rows = rows[: clustering.MAX_TEXTS]
    out = []
    for cluster in clustering.suggest([r.text or "" for r in rows], threshold=threshold):
        members = [rows[i] for i in cluster.members]
        out.append({"size": len(members), "terms": cluster.terms, "cohesion": cluster.cohesion,
                    "response_ids": [m.id for m in members], "samples": [m.text for m in members[:3]]})
    return out
