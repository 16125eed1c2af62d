"""Answers are checked against their prompt before anything is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from samla_feedback.errors import InvalidInput
from samla_feedback.prompts.models import Prompt
from samla_feedback.responses.answers import normalise, stored_buckets
from samla_feedback.responses.schemas import AnswerIn

OPTIONS = [{"id": "skola", "label": "Skolan"}, {"id": "omsorg", "label": "Omsorgen"},
           {"id": "klimat", "label": "Klimat"}]


def prompt(kind: str, **extra: Any) -> Prompt:
    return Prompt(id="p", event_id="e", kind=kind, options=OPTIONS if kind in (
        "choice", "multi_choice", "ranking", "priority") else [], scale_min=1, scale_max=5, max_phrases=3,
        points_total=100, breakdowns=[], status="open", created_at=datetime.now(UTC), **extra)


def field_of(exc: pytest.ExceptionInfo[InvalidInput]) -> str:
    return str(exc.value.errors[0]["field"])


@pytest.mark.parametrize(("kind", "answer", "field"), [
    ("choice", {"choice": "bogus"}, "choice"),
    ("choice", {"scale": 3}, "choice"),
    ("multi_choice", {"choices": ["skola", "skola"]}, "choices"),
    ("scale", {"scale": 6}, "scale"),
    ("ranking", {"ranking": ["skola", "nope"]}, "ranking"),
    ("priority", {"points": {"skola": 60, "omsorg": 30}}, "points"),
    ("priority", {"points": {"skola": 120, "omsorg": -20}}, "points.omsorg"),
    ("open_text", {"text": "   "}, "text"),
    ("word_cloud", {"phrases": ["ett", "två", "tre", "fyra"]}, "phrases"),
    ("word_cloud", {"phrases": ["detta är alldeles för många ord"]}, "phrases.0"),
])
def test_answers_that_break_the_prompts_rules_are_refused_with_the_field(kind: str, answer: dict[str, Any],
                                                                         field: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        normalise(prompt(kind), AnswerIn(**answer), max_text_length=2000)

    assert exc.value.status == 422 and field_of(exc) == field


def test_text_longer_than_the_limit_is_refused() -> None:
    with pytest.raises(InvalidInput, match="at most 2000 characters"):
        normalise(prompt("open_text"), AnswerIn(text="a" * 2001), max_text_length=2000)


def test_markup_is_kept_as_plain_text_never_escaped_or_rendered() -> None:
    result = normalise(prompt("open_text"), AnswerIn(text="<script>alert(1)</script> & <b>fet</b>"),
                       max_text_length=2000)

    assert result.text == "<script>alert(1)</script> & <b>fet</b>"


def test_ranking_gives_borda_points_and_priority_keeps_points() -> None:
    ranked = normalise(prompt("ranking"), AnswerIn(ranking=["klimat", "skola"]), max_text_length=10)
    shared = normalise(prompt("priority"), AnswerIn(points={"skola": 70, "omsorg": 30, "klimat": 0}),
                       max_text_length=10)

    assert [(b.name, b.total) for b in ranked.buckets] == [("o:klimat", 3), ("o:skola", 2)]
    assert shared.value == {"points": {"skola": 70, "omsorg": 30}}


def test_the_same_phrase_twice_in_one_answer_counts_once_and_buckets_can_be_rebuilt() -> None:
    p = prompt("word_cloud")
    result = normalise(p, AnswerIn(phrases=["Tillit", " tilliten ", "Samverkan"]), max_text_length=10)

    assert [b.name for b in result.buckets] == ["w:tillit", "w:samverkan"]
    assert stored_buckets(p, result.value) == result.buckets
