"""Answering stays fast on a prompt that already has 5,000 answers, and results stay cheap to recompute.

The figures are printed (run with -s to see them); nothing here asserts a time (speed is measured in bench/).
What is asserted is that the results stay right with 5,000 earlier answers on the prompt.
"""

from __future__ import annotations

import random
import statistics
import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import insert

from samla_common.db import unit_of_work
from samla_feedback.prompts import service as prompts
from samla_feedback.prompts.schemas import PromptIn
from samla_feedback.responses.models import Response, Tally

from .conftest import Feedback

pytestmark = pytest.mark.integration
EXISTING = 5000


def seed(fb: Feedback, prompt_id: str) -> None:
    """5,000 answers spread over 58 tables, 10 administrations and 4 levels, with their tallies."""
    rng = random.Random(7)
    rows, counts = [], Counter[tuple[str, str, str, str]]()
    for i in range(EXISTING):
        group = (f"T{rng.randint(1, 58)}", f"ou-{rng.randint(1, 10)}", rng.choice(["a", "b", "c", "d"]))
        value = rng.randint(1, 5)
        rows.append({"id": str(uuid.uuid4()), "prompt_id": prompt_id, "respondent_key": f"p:seed-{i}",
                     "person_id": f"seed-{i}", "table_id": group[0], "administration_id": group[1],
                     "level": group[2], "group_size": 1, "value": {"scale": value}})
        counts[(*group, "_n")] += 1
        counts[(*group, f"s:{value}")] += 1
    tallies = [{"prompt_id": prompt_id, "table_id": t, "administration_id": a, "level": lv, "bucket": b,
                "count": n, "total": n * (int(b[2:]) if b.startswith("s:") else 1)}
               for (t, a, lv, b), n in counts.items()]
    with unit_of_work(fb.factory) as s:
        s.execute(insert(Response), rows)
        s.execute(insert(Tally), tallies)


def open_scale(fb: Feedback, event_id: str) -> str:
    with unit_of_work(fb.factory) as s:
        prompt = prompts.create(session=s, event_id=event_id, data=PromptIn(kind="scale", title="Skala"))
        prompts.set_status(session=s, prompt_id=prompt.id, status="open")
        return prompt.id


def answer_times(fb: Feedback, prompt_id: str, count: int) -> list[float]:
    timings = []
    for i in range(count):
        began = time.perf_counter()
        fb.call("POST", f"/prompts/{prompt_id}/responses", as_=f"late-{i}", json={"scale": 3}, expect=201)
        timings.append(time.perf_counter() - began)
    return timings


def test_results_stay_right_with_five_thousand_answers_on_the_prompt(feedback: Feedback, event_id: str) -> None:
    baseline = statistics.median(answer_times(feedback, open_scale(feedback, event_id), 30))
    prompt_id = open_scale(feedback, event_id)
    seed(feedback, prompt_id)

    timings = answer_times(feedback, prompt_id, 60)
    began = time.perf_counter()
    results = feedback.call("GET", f"/prompts/{prompt_id}/results", as_="p-1", expect=200).json()
    results_time = time.perf_counter() - began

    median, worst = statistics.median(timings), max(timings)
    print(f"\n[{feedback.backend}] answer on an empty prompt: median {baseline * 1000:.1f} ms; with {EXISTING} "
          f"answers: median {median * 1000:.1f} ms, max {worst * 1000:.1f} ms; results {results_time * 1000:.1f} ms")
    # The timings are printed for a reader; speed is measured in bench/, never asserted in tests.
    assert results["respondents"] == EXISTING + 60
