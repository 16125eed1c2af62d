"""Table rosters from events.seating.v1 on SQLite and PostgreSQL: a published round replaces that round's rosters,
scribes who keep their table stay scribes, other rounds are untouched, and an older publication never wins."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from samla_common.db import unit_of_work
from samla_common.messaging.envelope import Envelope
from samla_contracts.schemas import validate_event
from samla_feedback.main import build, build_registry
from samla_feedback.participants import service

from .conftest import Feedback

pytestmark = pytest.mark.integration
ROUND_PUBLISHED = "se.samla.events.seating.round_published.v1"


def published(feedback: Feedback, event_id: str, round_no: int, tables: dict[str, list[str]], sequence: int) -> None:
    """Delivers one round as the events service publishes it, through feedback's own consumer handler."""
    data: dict[str, Any] = {"event_id": event_id, "round": round_no, "published_at": "2026-11-25T15:04:00Z",
                            "tables": [{"table_id": t, "person_ids": p} for t, p in tables.items()]}
    validate_event(ROUND_PUBLISHED, data)
    handler = build_registry().get(ROUND_PUBLISHED)
    assert handler is not None
    env = Envelope(id=str(uuid.uuid4()), type=ROUND_PUBLISHED, source="/samla/events", subject=event_id,
                   time=datetime.now(UTC), data=data, sequence=sequence, topic="events.seating.v1", key=event_id)
    with unit_of_work(feedback.factory) as session:
        handler(session, env)


def rosters(feedback: Feedback, event_id: str) -> dict[tuple[int, str], tuple[list[str], str | None, set[str]]]:
    """(round, table) → (members, scribe, sources)."""
    out: dict[tuple[int, str], tuple[list[str], str | None, set[str]]] = {}
    with feedback.factory() as session:
        for seat in service.rosters(session=session, event_id=event_id):
            members, scribe, sources = out.get((seat.round_no, seat.table_id), ([], None, set()))
            out[(seat.round_no, seat.table_id)] = ([*members, seat.person_id], seat.person_id if seat.scribe
                                                   else scribe, sources | {seat.source})
    return out


def test_feedback_consumes_the_seating_topic() -> None:
    assert "events.seating.v1" in build().consumes


def test_a_published_round_replaces_that_rounds_rosters_and_keeps_scribes_at_their_table(
        feedback: Feedback, event_id: str) -> None:
    with unit_of_work(feedback.factory) as session:  # a facilitator's rosters before the plan was published
        service.set_table_members(session=session, event_id=event_id, table_id="9", round_no=1,
                                  members=["p-a", "p-b", "p-z"], scribe_id="p-a")
        service.set_table_members(session=session, event_id=event_id, table_id="3", round_no=2,
                                  members=["p-a", "p-c"], scribe_id="p-c")

    published(feedback, event_id, 1, {"1": ["p-a", "p-c"], "9": ["p-b", "p-d"]}, sequence=4)

    assert rosters(feedback, event_id) == {
        (1, "1"): (["p-a", "p-c"], None, {"seating"}),  # p-a left table 9, so no longer its scribe
        (1, "9"): (["p-b", "p-d"], None, {"seating"}),  # p-z is not seated this round any more
        (2, "3"): (["p-a", "p-c"], "p-c", {"manual"}),  # another round: untouched
    }
    published(feedback, event_id, 2, {"3": ["p-c", "p-d"], "4": ["p-a", "p-b"]}, sequence=5)
    assert rosters(feedback, event_id)[(2, "3")] == (["p-c", "p-d"], "p-c", {"seating"})
    response = feedback.call("GET", f"/events/{event_id}/me?round_no=2", as_="p-a", expect=200).json()
    assert response["table_id"] == "4"


def test_an_older_publication_arriving_late_does_not_undo_a_newer_one(feedback: Feedback, event_id: str) -> None:
    published(feedback, event_id, 1, {"1": ["p-a", "p-b"], "2": ["p-c", "p-d"]}, sequence=7)

    published(feedback, event_id, 1, {"1": ["p-a", "p-c"], "2": ["p-b", "p-d"]}, sequence=3)

    assert {k: v[0] for k, v in rosters(feedback, event_id).items()} == {
        (1, "1"): ["p-a", "p-b"], (1, "2"): ["p-c", "p-d"]}
