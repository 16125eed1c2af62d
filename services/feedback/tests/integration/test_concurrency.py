"""One answer per person, and tallies that add up, when the same person's answers arrive at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from samla_common.db import unit_of_work
from samla_feedback.prompts import service as prompts
from samla_feedback.prompts.schemas import OptionIn, PromptIn
from samla_feedback.responses import service as responses
from samla_feedback.responses import tallies
from samla_feedback.responses.models import Response, Tally
from samla_feedback.responses.schemas import AnswerIn

from .conftest import Feedback

pytestmark = pytest.mark.integration
OPTIONS = [OptionIn(id=o, label=o.upper()) for o in ("a", "b", "c", "d")]


def open_choice(fb: Feedback, event_id: str) -> str:
    with unit_of_work(fb.factory) as s:
        prompt = prompts.create(session=s, event_id=event_id,
                                data=PromptIn(kind="choice", title="Välj ett", options=OPTIONS))
        prompts.set_status(session=s, prompt_id=prompt.id, status="open")
        return prompt.id


def answer(fb: Feedback, prompt_id: str, person: str, choice: str, start: threading.Barrier) -> str:
    start.wait()
    for _ in range(20):  # SQLite may report a busy database under this much contention; real clients retry too
        try:
            with unit_of_work(fb.factory) as s:
                return responses.submit(session=s, prompt_id=prompt_id, person_id=person,
                                        answer=AnswerIn(choice=choice), max_text_length=2000).outcome
        except OperationalError:
            continue
    raise AssertionError("the database stayed busy")


def test_simultaneous_answers_from_one_person_leave_one_answer_and_consistent_tallies(feedback: Feedback,
                                                                                      event_id: str) -> None:
    prompt_id = open_choice(feedback, event_id)
    attempts = [("p-1", "abcd"[i % 4]) for i in range(16)] + [("p-2", "a")] * 8
    start = threading.Barrier(len(attempts))

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        outcomes = list(pool.map(lambda a: answer(feedback, prompt_id, a[0], a[1], start), attempts))

    assert outcomes.count("created") == 2 and outcomes.count("updated") == len(attempts) - 2
    with feedback.factory() as s:
        rows = s.scalars(select(Response).where(Response.prompt_id == prompt_id)).all()
        counts = {t.bucket: t.count for t in s.scalars(select(Tally).where(Tally.prompt_id == prompt_id))
                  if t.count}
        assert tallies.respondents(s, prompt_id=prompt_id) == 2
    assert sorted(r.person_id or "" for r in rows) == ["p-1", "p-2"]
    expected = {"_n": 2}
    for row in rows:
        bucket = f"o:{row.value['choice'] if row.value else ''}"
        expected[bucket] = expected.get(bucket, 0) + 1
    assert counts == expected  # the last write of each person, counted once
