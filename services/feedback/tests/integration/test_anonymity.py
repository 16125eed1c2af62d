"""Anonymity that holds: anonymous answers and questions leave no trace of the person anywhere, tokens give
eligibility without linking, breakdowns respect k and differencing, and gallring deletes free text on time."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import inspect, select, text

from samla_common.db import unit_of_work
from samla_common.messaging.outbox import outbox_table
from samla_common.telemetry import JsonFormatter
from samla_feedback.anonymity import retention
from samla_feedback.anonymity.models import TokenIssue, TokenUse
from samla_feedback.anonymity.tokens import hash_token
from samla_feedback.responses.models import Response

from .conftest import Feedback

pytestmark = pytest.mark.integration
FAC, HR = "fac-1", "hr-1"
# Who exists and who sits where: known before anyone answers (copies of identity's and the seating's data).
# They must come out of an anonymous answer unchanged; every other table must not hold the person at all.
ROSTERS = ("directory_people", "table_seats")


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider), "the service wires the OpenTelemetry SDK"
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.shutdown()


def prompt(fb: Feedback, event_id: str, status: str = "open", **body: Any) -> str:
    created = fb.call("POST", f"/events/{event_id}/prompts", as_=FAC, role="facilitator", json=body, expect=201)
    if status == "open":
        fb.call("POST", f"/prompts/{created.json()['id']}/open", as_=FAC, role="facilitator", expect=200)
    return str(created.json()["id"])


def tokens(fb: Feedback, event_id: str, count: int) -> list[str]:
    batch = fb.call("POST", f"/events/{event_id}/eligibility-tokens", as_="events-svc", role="service",
                    json={"count": count}, expect=201)
    return list(batch.json()["tokens"])


def set_policy(fb: Feedback, event_id: str, k: int = 5, retention_days: int | None = None) -> None:
    fb.call("PUT", f"/events/{event_id}/anonymity", as_=HR, role="admin", expect=200,
            json={"k": k, "retention_days": retention_days, "premoderate_questions": True})


def every_row(fb: Feedback) -> dict[str, list[str]]:
    """Every row of every table, each as one string of all its values."""
    with fb.factory() as s:
        names = inspect(s.get_bind()).get_table_names()
        return {name: [json.dumps([str(v) for v in row], ensure_ascii=False)
                       for row in s.execute(text(f'SELECT * FROM "{name}"'))] for name in names}


def span_text(span: ReadableSpan) -> str:
    events = [(e.name, dict(e.attributes or {})) for e in span.events]
    return json.dumps([span.name, dict(span.attributes or {}), events, dict(span.resource.attributes)], default=str,
                      ensure_ascii=False)


def test_an_anonymous_answer_and_question_leave_no_trace_of_the_person(
        feedback: Feedback, event_id: str, caplog: pytest.LogCaptureFixture, spans: InMemorySpanExporter) -> None:
    person, name = f"anon-{uuid.uuid4().hex[:8]}", f"Ingrid Hemligsdotter {uuid.uuid4().hex[:6]}"
    feedback.org_unit("ou-soc", "Socialförvaltningen", "forvaltning")
    feedback.person(person, name, "ou-soc", "enhetschef")
    feedback.call("PUT", f"/events/{event_id}/tables/T7/members", as_=FAC, role="facilitator", expect=200,
                  json={"round_no": 0, "members": [person, "p-2", "p-3"]})
    set_policy(feedback, event_id, k=3)
    scale = prompt(feedback, event_id, kind="scale", title="Hur trygg känner du dig?", anonymous=True,
                   breakdowns=["table", "administration", "level"])
    free = prompt(feedback, event_id, kind="open_text", title="Vad vill du säga till ledningen?", anonymous=True)
    token = tokens(feedback, event_id, 1)[0]
    before = every_row(feedback)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="samla_feedback")
    headers = {"authorization": f"Bearer {feedback.token(person, name=name)}"}

    answered = feedback.client.post(f"/prompts/{scale}/responses", headers=headers,
                                    json={"scale": 2, "eligibility_token": token})
    wrote = feedback.client.post(f"/prompts/{free}/responses", headers=headers,
                                 json={"text": "Vi behöver mer stöd från HR.", "eligibility_token": token})
    asked = feedback.client.post(f"/events/{event_id}/questions", headers=headers,
                                 json={"text": "Varför sparar vi på fortbildning?", "anonymous": True})
    question = asked.json()["id"]
    feedback.call("POST", f"/questions/{question}/approve", as_=FAC, role="facilitator", expect=200)
    feedback.call("POST", f"/questions/{question}/votes", as_="p-2", expect=201)
    feedback.call("POST", f"/events/{event_id}/questions", as_="p-2", expect=201,
                  json={"text": "En namngiven fråga", "anonymous": False})

    assert (answered.status_code, wrote.status_code, asked.status_code) == (201, 201, 201)
    after = every_row(feedback)
    assert {t: after[t] for t in ROSTERS} == {t: before[t] for t in ROSTERS}
    for table, rows in after.items():
        if table in ROSTERS:
            continue
        for row in rows:
            assert person not in row and name not in row, f"{table} holds the person: {row}"
    assert any("Vi behöver mer stöd från HR." in r for r in after["responses"])  # the search does see answers
    with feedback.factory() as s:
        anonymous_events = s.execute(select(outbox_table.c.type, outbox_table.c.data, outbox_table.c.traceparent)
                                     .where(outbox_table.c.key.in_([scale, free, question]))).all()
    assert {e.type for e in anonymous_events} >= {"se.samla.feedback.response.recorded.v1",
                                                  "se.samla.feedback.question.changed.v1"}
    for event in anonymous_events:
        if event.type != "se.samla.feedback.prompt.changed.v1":  # a facilitator opening a prompt is not anonymous
            assert event.traceparent is None and "person_id" not in event.data and "author_id" not in event.data
    formatter = JsonFormatter("feedback")
    logged = [formatter.format(r) for r in caplog.records]
    assert [line for line in logged if "p-2" in line], "named paths do log people, so the search can find them"
    assert not [line for line in logged if person in line or name in line]
    finished = spans.get_finished_spans()
    assert any(s.name.startswith("POST /prompts") for s in finished)
    assert not [s.name for s in finished if person in span_text(s) or name in span_text(s)]


def test_a_token_answers_each_anonymous_prompt_once_and_only_at_its_own_event(feedback: Feedback,
                                                                             event_id: str) -> None:
    first = prompt(feedback, event_id, kind="scale", title="Dagen som helhet?", anonymous=True)
    second = prompt(feedback, event_id, kind="scale", title="Lokalen?", anonymous=True)
    token = tokens(feedback, event_id, 1)[0]
    other_event_token = tokens(feedback, f"{event_id}-other", 1)[0]

    ok = feedback.call("POST", f"/prompts/{first}/responses", as_="p-1", json={"scale": 4, "eligibility_token": token})
    reused = feedback.call("POST", f"/prompts/{first}/responses", as_="p-1",
                           json={"scale": 5, "eligibility_token": token})
    elsewhere = feedback.call("POST", f"/prompts/{second}/responses", as_="p-1",
                              json={"scale": 3, "eligibility_token": other_event_token})
    missing = feedback.call("POST", f"/prompts/{second}/responses", as_="p-1", json={"scale": 3})
    next_prompt = feedback.call("POST", f"/prompts/{second}/responses", as_="p-1",
                                json={"scale": 3, "eligibility_token": token})

    assert (ok.status_code, reused.status_code, elsewhere.status_code, missing.status_code,
            next_prompt.status_code) == (201, 409, 422, 422, 201)
    assert elsewhere.json()["errors"][0]["field"] == "eligibility_token"
    assert feedback.call("GET", f"/prompts/{first}/responses/mine", as_="p-1").status_code == 404
    with feedback.factory() as s:
        uses = s.scalars(select(TokenUse.use_hash).where(TokenUse.prompt_id.in_([first, second]))).all()
    assert len(set(uses)) == 2 and hash_token(token) not in uses  # uses of one token do not match each other


def test_an_attendee_fetches_one_token_and_nothing_records_which_it_was(feedback: Feedback, event_id: str) -> None:
    feedback.call("PUT", f"/events/{event_id}/tables/T1/members", as_=FAC, role="facilitator", expect=200,
                  json={"members": ["p-1"]})
    evaluation = feedback.call("POST", f"/events/{event_id}/evaluation", as_=FAC, role="facilitator",
                               json={"include_hme": True}, expect=201).json()
    feedback.call("POST", f"/events/{event_id}/evaluation/open", as_=FAC, role="facilitator", expect=200)

    mine = feedback.call("POST", f"/events/{event_id}/eligibility-tokens/mine", as_="p-1", expect=201).json()
    again = feedback.call("POST", f"/events/{event_id}/eligibility-tokens/mine", as_="p-1", expect=409)
    outsider = feedback.call("POST", f"/events/{event_id}/eligibility-tokens/mine", as_="p-9", expect=403)
    feedback.call("POST", f"/prompts/{evaluation[0]['id']}/responses", as_="p-1", expect=201,
                  json={"scale": 5, "eligibility_token": mine["token"]})

    assert len(evaluation) == 9 and all(p["anonymous"] and p["scale"]["labels"] for p in evaluation)
    assert evaluation[0]["title"] == "Mitt arbete känns meningsfullt." and evaluation[0]["template"] == \
        "hme:motivation:1"
    assert "paper" in again.json()["detail"] and outsider.json()["status"] == 403
    assert [c.name for c in TokenIssue.__table__.columns] == ["event_id", "person_id"]
    with feedback.factory() as s:
        row = s.scalars(select(Response).where(Response.prompt_id == evaluation[0]["id"])).one()
    assert (row.person_id, row.respondent_key, row.created_at, row.updated_at) == (None, None, None, None)


def test_breakdowns_show_only_groups_of_k_that_cannot_be_differenced(feedback: Feedback, event_id: str) -> None:
    feedback.org_unit("ou-soc", "Socialförvaltningen", "forvaltning")
    feedback.org_unit("ou-utb", "Utbildningsförvaltningen", "forvaltning")
    soc_t1 = [f"s1-{i}" for i in range(10)]
    soc_t2, utb_t2 = ["s2-0", "s2-1"], [f"u2-{i}" for i in range(6)]
    for pid in soc_t1 + soc_t2:
        feedback.person(pid, f"Chef {pid}", "ou-soc", "enhetschef")
    for pid in utb_t2:
        feedback.person(pid, f"Chef {pid}", "ou-utb", "enhetschef")
    feedback.call("PUT", f"/events/{event_id}/tables/T1/members", as_=FAC, role="facilitator", expect=200,
                  json={"members": soc_t1})
    feedback.call("PUT", f"/events/{event_id}/tables/T2/members", as_=FAC, role="facilitator", expect=200,
                  json={"members": soc_t2 + utb_t2})
    scale = prompt(feedback, event_id, kind="scale", title="Hur tydliga är målen?")
    for pid in soc_t1 + soc_t2 + utb_t2:
        feedback.call("POST", f"/prompts/{scale}/responses", as_=pid, json={"scale": 3}, expect=201)

    live = feedback.call("GET", f"/prompts/{scale}/results", as_="p-x", expect=200).json()
    feedback.call("POST", f"/prompts/{scale}/close", as_=FAC, role="facilitator", expect=200)
    closed = feedback.call("GET", f"/prompts/{scale}/results", as_="p-x", expect=200).json()

    assert live["summary"]["answers"] == 18 and live["groups"] == {}  # no breakdowns while answers come in
    shown = {(dim, g["id"]): g["summary"]["people"] for dim, groups in closed["groups"].items() for g in groups
             if not g["suppressed"]}
    assert all(n >= 5 for n in shown.values())
    assert not {("administration", "ou-soc"), ("table", "T1")} <= set(shown)  # 12 - 10 = 2 would leak
    names = {g["id"]: g["name"] for g in closed["groups"]["administration"]}
    assert names["ou-soc"] == "Socialförvaltningen"


def test_k_below_three_is_refused(feedback: Feedback, event_id: str) -> None:
    problem = feedback.call("PUT", f"/events/{event_id}/anonymity", as_=HR, role="admin", expect=422,
                            json={"k": 2, "retention_days": 30, "premoderate_questions": True}).json()

    assert problem["errors"] == [{"field": "k", "message": "must be at least 3"}]
    assert feedback.call("PUT", f"/events/{event_id}/anonymity", as_=FAC, role="facilitator",
                         json={"k": 7}).status_code == 403


def test_gallring_deletes_free_text_after_the_retention_period_and_logs_it(
        feedback: Feedback, event_id: str, caplog: pytest.LogCaptureFixture) -> None:
    set_policy(feedback, event_id, k=3, retention_days=30)
    free = prompt(feedback, event_id, kind="open_text", title="Vad tar du med dig?")
    cloud = prompt(feedback, event_id, kind="word_cloud", title="Ett ord")
    poll = prompt(feedback, event_id, kind="choice", title="Välj",
                  options=[{"id": "a", "label": "A"}, {"id": "b", "label": "B"}])
    for pid in ("p-1", "p-2", "p-3"):
        feedback.call("POST", f"/prompts/{free}/responses", as_=pid, json={"text": f"Text från {pid}"}, expect=201)
        feedback.call("POST", f"/prompts/{cloud}/responses", as_=pid, json={"phrases": ["tillit"]}, expect=201)
        feedback.call("POST", f"/prompts/{poll}/responses", as_=pid, json={"choice": "a"}, expect=201)
    question = feedback.call("POST", f"/events/{event_id}/questions", as_="p-1", expect=201,
                             json={"text": "En fråga som döljs", "anonymous": False}).json()["id"]
    feedback.call("POST", f"/questions/{question}/hide", as_=FAC, role="facilitator", expect=200,
                  json={"reason_code": "off_topic", "reason": "Hör inte till dagen"})
    for p in (free, cloud, poll):
        feedback.call("POST", f"/prompts/{p}/close", as_=FAC, role="facilitator", expect=200)
    caplog.set_level(logging.INFO, logger="samla_feedback")
    now = datetime.now(UTC)

    with unit_of_work(feedback.factory) as s:
        early = retention.run(session=s, event_id=event_id, now=now + timedelta(days=29), run_by=HR)
    with unit_of_work(feedback.factory) as s:
        due = retention.run(session=s, event_id=event_id, now=now + timedelta(days=31), run_by=HR)

    assert (early.responses_cleared, early.questions_cleared) == (0, 0)
    assert (due.responses_cleared, due.questions_cleared, sorted(due.prompts)) == (6, 1, sorted([free, cloud]))
    with feedback.factory() as s:
        texts = s.execute(select(Response.text, Response.value).where(Response.prompt_id.in_([free, cloud]))).all()
        kept = s.scalars(select(Response.value).where(Response.prompt_id == poll)).all()
    assert texts and all(t == (None, None) for t in texts) and kept == [{"choice": "a"}] * 3
    results = feedback.call("GET", f"/prompts/{cloud}/results", as_="p-1", expect=200).json()
    assert results["summary"] == {"answers": 3, "people": 3, "terms": []}
    assert feedback.call("GET", f"/questions/{question}", as_=FAC, role="facilitator").json()["text"] is None
    log = feedback.call("GET", f"/events/{event_id}/moderation-log", as_="p-2", expect=200).json()
    assert log[0]["excerpt"] is None
    assert [r for r in caplog.records if r.getMessage().startswith("gallring") and
            getattr(r, "responses_cleared", None) == 6]
    runs = feedback.call("GET", f"/events/{event_id}/retention/runs", as_=HR, role="admin", expect=200).json()
    assert [r["responses_cleared"] for r in runs] == [6, 0]
    assert feedback.call("POST", f"/prompts/{free}/open", as_=FAC, role="facilitator").status_code == 409


def test_the_gallring_endpoint_runs_for_admins_only(feedback: Feedback, event_id: str) -> None:
    no_period = feedback.call("POST", f"/events/{event_id}/retention/run", as_=HR, role="admin", expect=422)
    set_policy(feedback, event_id, retention_days=0)

    run = feedback.call("POST", f"/events/{event_id}/retention/run", as_=HR, role="admin", expect=200).json()

    assert "retention" in no_period.json()["detail"] and run["run_by"] == HR
    assert feedback.call("POST", f"/events/{event_id}/retention/run", as_=FAC, role="facilitator").status_code == 403


def test_erasure_unlinks_the_person_from_named_answers_questions_and_votes(feedback: Feedback,
                                                                          event_id: str) -> None:
    person = f"gone-{uuid.uuid4().hex[:8]}"
    feedback.person(person, "Berit Borttagen")
    poll = prompt(feedback, event_id, kind="scale", title="Skala")
    feedback.call("POST", f"/prompts/{poll}/responses", as_=person, json={"scale": 4}, expect=201)
    asked = feedback.call("POST", f"/events/{event_id}/questions", as_=person, expect=201,
                          json={"text": "Min fråga", "anonymous": False}).json()["id"]
    feedback.call("POST", f"/questions/{asked}/approve", as_=FAC, role="facilitator", expect=200)
    feedback.call("POST", f"/questions/{asked}/votes", as_=person, expect=201)

    feedback.deliver("se.samla.identity.person.erased.v1", {"id": person, "erased_at": "2026-12-01T00:00:00Z"})

    rows = every_row(feedback)
    leftover = [(t, r) for t, rs in rows.items() if t not in ("directory_people", "outbox", "inbox")
                for r in rs if person in r]
    assert leftover == []
    question = feedback.call("GET", f"/questions/{asked}", as_="p-2", expect=200).json()
    assert question["votes"] == 1 and question["author_name"] is None
    assert feedback.call("GET", f"/prompts/{poll}/results", as_="p-2").json()["respondents"] == 1
