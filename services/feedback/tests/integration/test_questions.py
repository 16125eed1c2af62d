"""Questions to leadership: moderation with a public log, votes that count once, answers and follow-up."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from samla_feedback.questions.models import QuestionVote

from .conftest import Feedback

pytestmark = pytest.mark.integration
FAC, LEADER = "fac-1", "ledare-1"


def ask(fb: Feedback, event_id: str, text: str, *, by: str = "p-1", anonymous: bool = False,
        approve: bool = True) -> str:
    question = fb.call("POST", f"/events/{event_id}/questions", as_=by, json={"text": text, "anonymous": anonymous},
                       expect=201).json()
    if approve:
        fb.call("POST", f"/questions/{question['id']}/approve", as_=FAC, role="facilitator", expect=200)
    return str(question["id"])


def test_questions_wait_for_moderation_and_the_wall_sorts_by_votes_or_newest(feedback: Feedback,
                                                                             event_id: str) -> None:
    feedback.person("p-1", "Karin Lindqvist")
    first = ask(feedback, event_id, "Hur går det med lokalerna?")
    second = ask(feedback, event_id, "Vad händer med budgeten?", anonymous=True)
    pending = ask(feedback, event_id, "Väntar på moderering", approve=False)
    feedback.call("POST", f"/questions/{second}/votes", as_="p-2", expect=201)

    by_votes = feedback.call("GET", f"/events/{event_id}/questions", as_="p-3", expect=200).json()
    newest = feedback.call("GET", f"/events/{event_id}/questions?sort=newest", as_="p-3", expect=200).json()
    queue = feedback.call("GET", f"/events/{event_id}/questions/queue", as_=FAC, role="facilitator", expect=200)

    assert [q["id"] for q in by_votes["questions"]] == [second, first]
    assert newest["questions"][0]["id"] in (first, second) and len(newest["questions"]) == 2
    assert [q["id"] for q in queue.json()] == [pending]
    named, anonymous = by_votes["questions"][1], by_votes["questions"][0]
    assert named["author_name"] == "Karin Lindqvist" and anonymous["author_name"] is None
    assert "offentlighetsprincipen" in by_votes["notice"]["sv"]
    assert feedback.call("GET", f"/events/{event_id}/questions/queue", as_="p-3").status_code == 403


def test_a_retried_vote_counts_once_even_when_the_retries_race(feedback: Feedback, event_id: str) -> None:
    question = ask(feedback, event_id, "Hur prioriterar vi?")

    first = feedback.call("POST", f"/questions/{question}/votes", as_="p-1")
    retry = feedback.call("POST", f"/questions/{question}/votes", as_="p-1")
    with ThreadPoolExecutor(max_workers=6) as pool:
        racing = list(pool.map(lambda _: feedback.call("POST", f"/questions/{question}/votes", as_="p-2").status_code,
                               range(12)))

    assert (first.status_code, first.json()["counted"], retry.status_code, retry.json()["counted"]) == \
        (201, True, 200, False)
    assert sorted(racing) == [200] * 11 + [201]
    with feedback.factory() as s:
        rows = s.execute(select(func.count()).select_from(QuestionVote)
                         .where(QuestionVote.question_id == question)).scalar_one()
    assert rows == 2 and feedback.call("GET", f"/questions/{question}", as_="p-1").json()["votes"] == 2
    unvoted = feedback.call("DELETE", f"/questions/{question}/votes", as_="p-1", expect=200).json()
    assert unvoted["votes"] == 1


def test_hiding_is_logged_publicly_with_the_reason_and_never_the_asker(feedback: Feedback, event_id: str) -> None:
    feedback.person("p-5", "Olle Frågvis")
    named = ask(feedback, event_id, "Varför fick Anna Andersson sluta?", by="p-5", approve=False)
    off_topic = ask(feedback, event_id, "Vad blir det till lunch?", by="p-5", approve=False)

    feedback.call("POST", f"/questions/{named}/hide", as_=FAC, role="facilitator", expect=200,
                  json={"reason_code": "personal_data", "reason": "Frågan namngav en medarbetare."})
    feedback.call("POST", f"/questions/{off_topic}/hide", as_=FAC, role="facilitator", expect=200,
                  json={"reason_code": "off_topic", "reason": "Hör inte till dagens ämne."})

    log = feedback.call("GET", f"/events/{event_id}/moderation-log", as_="p-9", expect=200).json()
    assert [(e["question_id"], e["action"], e["reason_code"], e["excerpt"]) for e in log] == [
        (off_topic, "hidden", "off_topic", "Vad blir det till lunch?"), (named, "hidden", "personal_data", None)]
    assert "p-5" not in str(log) and "Olle" not in str(log)
    public = feedback.call("GET", f"/questions/{named}", as_="p-9", expect=200).json()
    assert public["text"] is None and public["status"] == "hidden"
    assert feedback.call("POST", f"/questions/{named}/votes", as_="p-9").status_code == 409


def test_merging_a_duplicate_moves_its_votes_counting_each_voter_once(feedback: Feedback, event_id: str) -> None:
    original = ask(feedback, event_id, "När kommer besluten om lokalerna?")
    duplicate = ask(feedback, event_id, "Lokalbesluten, när kommer de?")
    for voter in ("p-1", "p-2"):
        feedback.call("POST", f"/questions/{original}/votes", as_=voter, expect=201)
    for voter in ("p-2", "p-3"):
        feedback.call("POST", f"/questions/{duplicate}/votes", as_=voter, expect=201)

    merged = feedback.call("POST", f"/questions/{duplicate}/merge", as_=FAC, role="facilitator",
                           json={"into_id": original}, expect=200).json()

    assert merged["id"] == original and merged["votes"] == 3
    wall = feedback.call("GET", f"/events/{event_id}/questions", as_="p-1", expect=200).json()["questions"]
    assert [q["id"] for q in wall] == [original]
    log = feedback.call("GET", f"/events/{event_id}/moderation-log", as_="p-1", expect=200).json()
    assert log[0]["action"] == "merged" and log[0]["merged_into_id"] == original
    assert feedback.call("POST", f"/questions/{original}/merge", as_=FAC, role="facilitator",
                         json={"into_id": original}).status_code == 422


def test_leadership_answers_takes_on_and_follows_up_questions_forward_only(feedback: Feedback,
                                                                          event_id: str) -> None:
    feedback.person(LEADER, "Eva Kommundirektör")
    question = ask(feedback, event_id, "Hur följer ni upp dagens dialog?")

    on_stage = feedback.call("POST", f"/questions/{question}/answer", as_=LEADER, role="leader",
                             json={"mode": "stage"}, expect=200).json()
    no_text = feedback.call("POST", f"/questions/{question}/answer", as_=LEADER, role="leader",
                            json={"mode": "written"}, expect=422)
    feedback.call("PUT", f"/questions/{question}/assignee", as_=LEADER, role="leader",
                  json={"person_id": LEADER}, expect=200)
    not_others = feedback.call("PUT", f"/questions/{question}/assignee", as_=LEADER, role="leader",
                               json={"person_id": "p-1"}, expect=403)
    decided = feedback.call("PUT", f"/questions/{question}/follow-up", as_=LEADER, role="leader",
                            json={"status": "decided", "note": "Beslut i ledningsgruppen 3/12."}, expect=200).json()
    backwards = feedback.call("PUT", f"/questions/{question}/follow-up", as_=LEADER, role="leader",
                              json={"status": "answered"}, expect=409)
    participant = feedback.call("PUT", f"/questions/{question}/follow-up", as_="p-1",
                                json={"status": "done"}, expect=403)

    assert on_stage["answer_mode"] == "stage" and on_stage["follow_up"] == "answered"
    assert no_text.json()["errors"][0]["field"] == "text"
    assert "themselves" in not_others.json()["detail"] and "forward" in backwards.json()["detail"]
    assert participant.json()["status"] == 403
    assert decided["follow_up"] == "decided" and decided["assignee_name"] == "Eva Kommundirektör"
    mine = feedback.call("GET", f"/events/{event_id}/questions?assignee=me", as_=LEADER, role="leader",
                         expect=200).json()
    assert [q["follow_up_note"] for q in mine["questions"]] == ["Beslut i ledningsgruppen 3/12."]
