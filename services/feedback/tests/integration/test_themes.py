"""Themes: suggested clusters of similar answers, k-protected quotes and spread, and publishing an insight."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from samla_common.messaging.outbox import outbox_table

from .conftest import Feedback

pytestmark = pytest.mark.integration
FAC = "fac-1"
DIALOGUE = ["Vi behöver mer tid för dialog med medarbetarna", "Mer tid till dialogen med medarbetare",
            "Tid för dialog med våra medarbetare saknas", "Dialog med medarbetarna kräver tid",
            "Mer tid för dialogen med medarbetare", "Medarbetarna vill ha dialog och tid"]
PREMISES = ["Budgeten för lokalerna är för liten", "Lokalerna kostar för mycket i budgeten",
            "Budgetramen för lokaler räcker inte"]


def answered_prompt(fb: Feedback, event_id: str, units: dict[str, str]) -> str:
    prompt = fb.call("POST", f"/events/{event_id}/prompts", as_=FAC, role="facilitator", expect=201,
                     json={"kind": "open_text", "title": "Vad behöver du för att leda förändringen?"}).json()["id"]
    fb.call("POST", f"/prompts/{prompt}/open", as_=FAC, role="facilitator", expect=200)
    for i, text in enumerate(DIALOGUE + PREMISES):
        person = f"{event_id}-p{i}"
        fb.person(person, f"Chef {i}", units["soc"] if i < 5 else units["utb"], "enhetschef")
        fb.call("POST", f"/prompts/{prompt}/responses", as_=person, json={"text": text}, expect=201)
    return str(prompt)


def test_similar_answers_are_suggested_together_and_a_published_theme_becomes_an_insight(feedback: Feedback,
                                                                                         event_id: str) -> None:
    feedback.org_unit("ou-soc", "Socialförvaltningen", "forvaltning")
    feedback.org_unit("ou-utb", "Utbildningsförvaltningen", "forvaltning")
    prompt = answered_prompt(feedback, event_id, {"soc": "ou-soc", "utb": "ou-utb"})

    suggestions = feedback.call("GET", f"/events/{event_id}/themes/suggestions?threshold=0.2", as_=FAC,
                                role="facilitator", expect=200).json()
    texts = {t["response_id"]: t["text"] for t in feedback.call(
        "GET", f"/prompts/{prompt}/texts", as_=FAC, role="facilitator", expect=200).json()["texts"]}
    groups = [sorted(texts[r] for r in s["response_ids"]) for s in suggestions]
    assert sorted(DIALOGUE) in groups and sorted(PREMISES) in groups

    dialogue = next(s for s in suggestions if len(s["response_ids"]) == len(DIALOGUE))
    theme = feedback.call("POST", f"/events/{event_id}/themes", as_=FAC, role="facilitator", expect=201,
                          json={"title": "Tid för dialog", "response_ids": dialogue["response_ids"]}).json()
    assert theme["answers"] == 6 and len(theme["quotes"]) == 3 and set(theme["quotes"]) <= set(DIALOGUE)
    # Five answers came from Socialförvaltningen and one from Utbildningsförvaltningen. Showing the five would
    # reveal the one by subtraction from the total, so both are suppressed.
    assert theme["spread"] == [] and theme["suppressed_groups"] == 2
    assert feedback.call("GET", f"/themes/{theme['id']}", as_="p-x").status_code == 404  # a draft

    published = feedback.call("POST", f"/themes/{theme['id']}/publish", as_=FAC, role="facilitator",
                              json={"process_id": "budget-2027"}, expect=200).json()

    assert published["status"] == "published"
    assert feedback.call("GET", f"/themes/{theme['id']}", as_="p-x", expect=200).json()["response_ids"] is None
    with feedback.factory() as s:
        event = s.execute(select(outbox_table.c.type, outbox_table.c.key, outbox_table.c.data)
                          .where(outbox_table.c.type == "se.samla.feedback.insight.published.v1",
                                 outbox_table.c.data["insight_id"].as_string() == theme["id"])).one()
    assert event.key == "budget-2027" and event.data["answers"] == 6 and event.data["quotes"] == theme["quotes"]


def test_a_theme_of_fewer_than_k_people_shows_no_quotes_and_cannot_be_published(feedback: Feedback,
                                                                                event_id: str) -> None:
    feedback.org_unit("ou-soc", "Socialförvaltningen", "forvaltning")
    feedback.org_unit("ou-utb", "Utbildningsförvaltningen", "forvaltning")
    prompt = answered_prompt(feedback, event_id, {"soc": "ou-soc", "utb": "ou-utb"})
    texts = feedback.call("GET", f"/prompts/{prompt}/texts", as_=FAC, role="facilitator", expect=200).json()["texts"]
    few = [t["response_id"] for t in texts if t["text"] in PREMISES]

    theme = feedback.call("POST", f"/events/{event_id}/themes", as_=FAC, role="facilitator", expect=201,
                          json={"title": "Lokaler", "response_ids": few}).json()
    refused = feedback.call("POST", f"/themes/{theme['id']}/publish", as_=FAC, role="facilitator", json={})
    bad = feedback.call("PUT", f"/themes/{theme['id']}/responses", as_=FAC, role="facilitator",
                        json={"response_ids": ["not-an-answer"]})

    assert theme["suppressed"] and theme["quotes"] == [] and theme["spread"] == []
    assert refused.status_code == 409 and bad.status_code == 422
