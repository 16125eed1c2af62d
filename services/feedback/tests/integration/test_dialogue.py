"""Live dialogue over HTTP: facilitators run prompts, managers answer once each, bad input gets clear problems."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from samla_common.messaging.outbox import outbox_table
from samla_feedback.responses.models import Response

from .conftest import Feedback

pytestmark = pytest.mark.integration
FAC = "fac-1"


def open_prompt(fb: Feedback, event_id: str, **body: Any) -> str:
    prompt = fb.call("POST", f"/events/{event_id}/prompts", as_=FAC, role="facilitator", json=body, expect=201).json()
    fb.call("POST", f"/prompts/{prompt['id']}/open", as_=FAC, role="facilitator", expect=200)
    return str(prompt["id"])


def seat(fb: Feedback, event_id: str, table: str, members: list[str], round_no: int = 0,
         scribe: str | None = None) -> None:
    fb.call("PUT", f"/events/{event_id}/tables/{table}/members", as_=FAC, role="facilitator", expect=200,
            json={"round_no": round_no, "members": members, "scribe_id": scribe})


def test_only_facilitators_create_and_open_prompts_and_participants_see_open_ones(feedback: Feedback,
                                                                                   event_id: str) -> None:
    body = {"kind": "scale", "title": "Hur väl känner du till budgetprocessen?"}
    assert feedback.call("POST", f"/events/{event_id}/prompts", as_="p-1", json=body).status_code == 403
    assert feedback.client.post(f"/events/{event_id}/prompts", json=body).status_code == 401
    draft = feedback.call("POST", f"/events/{event_id}/prompts", as_=FAC, role="facilitator", json=body,
                          expect=201).json()
    assert feedback.call("GET", f"/events/{event_id}/prompts", as_="p-1", expect=200).json() == []
    assert feedback.call("GET", f"/prompts/{draft['id']}", as_="p-1").status_code == 404

    feedback.call("POST", f"/prompts/{draft['id']}/open", as_=FAC, role="facilitator", expect=200)

    listed = feedback.call("GET", f"/events/{event_id}/prompts", as_="p-1", expect=200).json()
    assert [p["id"] for p in listed] == [draft["id"]]
    assert listed[0]["status"] == "open" and listed[0]["scale"]["max"] == 5 and listed[0]["k"] == 5


def test_a_named_answer_counts_once_and_can_be_changed_while_the_prompt_is_open(feedback: Feedback,
                                                                                event_id: str) -> None:
    prompt_id = open_prompt(feedback, event_id, kind="choice", title="Vilket område?",
                            options=[{"id": "a", "label": "A"}, {"id": "b", "label": "B"}])

    first = feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-1", json={"choice": "a"}, expect=201)
    again = feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-1", json={"choice": "b"}, expect=200)

    assert first.json()["outcome"] == "created" and again.json() == {
        "prompt_id": prompt_id, "outcome": "updated", "anonymous": False, "respondents": 1}
    mine = feedback.call("GET", f"/prompts/{prompt_id}/responses/mine", as_="p-1", expect=200).json()
    assert mine["value"] == {"choice": "b"} and mine["editable"] is True
    with feedback.factory() as s:
        assert len(s.scalars(select(Response).where(Response.prompt_id == prompt_id)).all()) == 1


def test_answering_a_closed_prompt_is_a_conflict(feedback: Feedback, event_id: str) -> None:
    prompt_id = open_prompt(feedback, event_id, kind="scale", title="Energi just nu?")
    feedback.call("POST", f"/prompts/{prompt_id}/close", as_=FAC, role="facilitator", expect=200)

    problem = feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-1", json={"scale": 3}, expect=409)

    assert problem.headers["content-type"] == "application/problem+json"
    assert problem.json()["title"] == "Conflict" and "closed" in problem.json()["detail"]


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "choice", "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}, "choice"),
    ({"kind": "priority", "options": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]}, "points"),
    ({"kind": "open_text"}, "text"),
])
def test_invalid_answers_are_422_problems_with_field_errors(feedback: Feedback, event_id: str,
                                                            body: dict[str, Any], field: str) -> None:
    prompt_id = open_prompt(feedback, event_id, title="Fråga", **body)
    bad = {"choice": {"choice": "zzz"}, "points": {"points": {"a": 60, "b": 30}}, "text": {"text": "x" * 2001}}[field]

    problem = feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-1", json=bad, expect=422).json()

    assert problem["status"] == 422 and problem["errors"][0]["field"] == field
    with feedback.factory() as s:
        assert s.scalars(select(Response).where(Response.prompt_id == prompt_id)).first() is None


def test_markup_is_stored_and_returned_as_plain_json_text(feedback: Feedback, event_id: str) -> None:
    feedback.call("PUT", f"/events/{event_id}/anonymity", as_="hr", role="admin", expect=200,
                  json={"k": 3, "retention_days": None, "premoderate_questions": True})
    prompt_id = open_prompt(feedback, event_id, kind="open_text", title="Vad tar du med dig?")
    script = "<script>alert('hej')</script> & <b>mer</b>"
    for person in ("p-1", "p-2", "p-3"):
        feedback.call("POST", f"/prompts/{prompt_id}/responses", as_=person, json={"text": script}, expect=201)

    texts = feedback.call("GET", f"/prompts/{prompt_id}/texts", as_=FAC, role="facilitator", expect=200)

    assert texts.headers["content-type"] == "application/json"
    assert {t["text"] for t in texts.json()["texts"]} == {script}
    with feedback.factory() as s:
        assert set(s.scalars(select(Response.text).where(Response.prompt_id == prompt_id))) == {script}
    prompt = feedback.call("GET", f"/prompts/{prompt_id}", as_="p-1", expect=200).json()
    assert "offentlighetsprincipen" in prompt["notice"]["sv"]


def test_a_table_answers_once_and_only_its_scribe_writes_it(feedback: Feedback, event_id: str) -> None:
    seat(feedback, event_id, "T1", ["p-1", "p-2", "p-3", "p-4", "p-5"], round_no=1, scribe="p-2")
    prompt_id = open_prompt(feedback, event_id, kind="open_text", title="Vad behöver ni?", audience="table",
                            round_no=1)

    refused = feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-1", json={"text": "Tid"}, expect=403)
    stranger = feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-9", json={"text": "Tid"}, expect=403)
    feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-2", json={"text": "Tid"}, expect=201)
    feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-2", json={"text": "Mer tid"}, expect=200)

    assert "scribe" in refused.json()["detail"] and "seated" in stranger.json()["detail"]
    results = feedback.call("GET", f"/prompts/{prompt_id}/results", as_="p-1", expect=200).json()
    assert results["respondents"] == 1 and results["summary"]["people"] == 5
    assert results["texts"] == [{"table_id": "T1", "text": "Mer tid"}]
    assert feedback.call("GET", f"/prompts/{prompt_id}/responses/mine", as_="p-4", expect=200).json()["text"] == \
        "Mer tid"


def test_word_cloud_phrases_are_counted_together_across_case_spacing_and_inflection(feedback: Feedback,
                                                                                    event_id: str) -> None:
    prompt_id = open_prompt(feedback, event_id, kind="word_cloud", title="Ett ord om dagen")
    for person, phrases in (("p-1", ["Tillit"]), ("p-2", ["  tillit "]), ("p-3", ["TILLITEN", "Samverkan"]),
                            ("p-4", ["samverkan"]), ("p-5", ["Energi"])):
        feedback.call("POST", f"/prompts/{prompt_id}/responses", as_=person, json={"phrases": phrases}, expect=201)

    terms = feedback.call("GET", f"/prompts/{prompt_id}/results", as_="p-1", expect=200).json()["summary"]["terms"]

    assert terms == [{"term": "tillit", "count": 3}, {"term": "samverkan", "count": 2}, {"term": "energi", "count": 1}]


def test_opening_and_answering_publish_events_through_the_outbox(feedback: Feedback, event_id: str) -> None:
    prompt_id = open_prompt(feedback, event_id, kind="scale", title="Hur var förmiddagen?")
    feedback.call("POST", f"/prompts/{prompt_id}/responses", as_="p-1", json={"scale": 4}, expect=201)

    with feedback.factory() as s:
        rows = s.execute(select(outbox_table.c.type, outbox_table.c.data).where(outbox_table.c.key == prompt_id)
                         .order_by(outbox_table.c.id)).all()

    assert [r.type for r in rows] == ["se.samla.feedback.prompt.changed.v1", "se.samla.feedback.response.recorded.v1"]
    assert rows[1].data["person_id"] == "p-1" and rows[1].data["value"] == {"scale": 4}
