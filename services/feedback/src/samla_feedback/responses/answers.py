"""Checking an answer against its prompt and turning it into what is stored and what is tallied."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samla_feedback.errors import invalid
from samla_feedback.language.text import clean, phrase_key, surface_phrase
from samla_feedback.prompts.models import Prompt
from samla_feedback.responses.models import RESPONDENTS
from samla_feedback.responses.schemas import AnswerIn

MAX_PHRASE_CHARS = 60
MAX_PHRASE_WORDS = 4
MAX_STORED = 1_000_000  # a stored answer was checked when it came in


@dataclass(frozen=True)
class Bucket:
    name: str
    count: int = 1
    total: int = 0
    label: str | None = None


@dataclass
class Normalised:
    value: dict[str, Any] | None = None
    text: str | None = None
    buckets: list[Bucket] = field(default_factory=list)


def normalise(prompt: Prompt, answer: AnswerIn, *, max_text_length: int) -> Normalised:
    """The stored value, free text and tally buckets of an answer; raises InvalidInput when it breaks a rule."""
    handler = _KINDS[prompt.kind]
    return handler(prompt, answer, max_text_length)


def stored_buckets(prompt: Prompt, value: dict[str, Any] | None) -> list[Bucket]:
    """The buckets a stored answer was tallied in (to take them out again when the answer changes)."""
    if value is None:
        return []
    return normalise(prompt, AnswerIn.model_validate(value), max_text_length=MAX_STORED).buckets


def respondent_bucket(group_size: int) -> Bucket:
    """Every answer counts once, for the number of people behind it (a table's answer speaks for the table)."""
    return Bucket(RESPONDENTS, 1, group_size)


def _required(value: Any, name: str, prompt: Prompt) -> Any:
    if value is None:
        raise invalid(name, f"required for a {prompt.kind} prompt")
    return value


def _valid_option(prompt: Prompt, name: str, option: str) -> str:
    if option not in prompt.option_ids:
        raise invalid(name, f"{option!r} is not one of the prompt's options")
    return option


def _choice(prompt: Prompt, answer: AnswerIn, _: int) -> Normalised:
    choice = _valid_option(prompt, "choice", _required(answer.choice, "choice", prompt))
    return Normalised(value={"choice": choice}, buckets=[Bucket(f"o:{choice}")])


def _multi_choice(prompt: Prompt, answer: AnswerIn, _: int) -> Normalised:
    choices = _required(answer.choices, "choices", prompt)
    if not choices:
        raise invalid("choices", "choose at least one option")
    if len(set(choices)) != len(choices):
        raise invalid("choices", "lists an option twice")
    for c in choices:
        _valid_option(prompt, "choices", c)
    return Normalised(value={"choices": list(choices)}, buckets=[Bucket(f"o:{c}") for c in choices])


def _scale(prompt: Prompt, answer: AnswerIn, _: int) -> Normalised:
    value = _required(answer.scale, "scale", prompt)
    low, high = prompt.scale_min or 0, prompt.scale_max or 0
    if not low <= value <= high:
        raise invalid("scale", f"must be between {low} and {high}")
    return Normalised(value={"scale": value}, buckets=[Bucket(f"s:{value}", 1, value)])


def _open_text(prompt: Prompt, answer: AnswerIn, max_text_length: int) -> Normalised:
    text = clean(_required(answer.text, "text", prompt))
    if not text:
        raise invalid("text", "must not be empty")
    if len(text) > max_text_length:
        raise invalid("text", f"must be at most {max_text_length} characters (it has {len(text)})")
    return Normalised(text=text)


def _word_cloud(prompt: Prompt, answer: AnswerIn, _: int) -> Normalised:
    phrases = _required(answer.phrases, "phrases", prompt)
    limit = prompt.max_phrases or 3
    if not 1 <= len(phrases) <= limit:
        raise invalid("phrases", f"give between 1 and {limit} words or short phrases")
    keys: dict[str, str] = {}
    for i, raw in enumerate(phrases):
        surface = surface_phrase(raw)
        if not surface:
            raise invalid(f"phrases.{i}", "must not be empty")
        if len(surface) > MAX_PHRASE_CHARS or len(surface.split()) > MAX_PHRASE_WORDS:
            raise invalid(f"phrases.{i}", f"keep it short: at most {MAX_PHRASE_WORDS} words and "
                                          f"{MAX_PHRASE_CHARS} characters")
        key = phrase_key(surface) or surface
        keys.setdefault(key, surface)  # the same phrase twice in one answer counts once
    return Normalised(value={"phrases": list(keys.values())}, text="\n".join(keys.values()),
                      buckets=[Bucket(f"w:{key}", label=surface) for key, surface in keys.items()])


def _ranking(prompt: Prompt, answer: AnswerIn, _: int) -> Normalised:
    ranking = _required(answer.ranking, "ranking", prompt)
    if not ranking:
        raise invalid("ranking", "rank at least one option")
    if len(set(ranking)) != len(ranking):
        raise invalid("ranking", "lists an option twice")
    for option in ranking:
        _valid_option(prompt, "ranking", option)
    n = len(prompt.option_ids)
    # Borda points: first place gets one point per option, each later place one less; unranked options get none.
    return Normalised(value={"ranking": list(ranking)},
                      buckets=[Bucket(f"o:{o}", 1, n - place) for place, o in enumerate(ranking)])


def _priority(prompt: Prompt, answer: AnswerIn, _: int) -> Normalised:
    points = _required(answer.points, "points", prompt)
    for option, value in points.items():
        _valid_option(prompt, "points", option)
        if value < 0:
            raise invalid(f"points.{option}", "must not be negative")
    total, expected = sum(points.values()), prompt.points_total or 100
    if total != expected:
        raise invalid("points", f"must add up to {expected} (they add up to {total})")
    kept = {o: v for o, v in points.items() if v > 0}
    return Normalised(value={"points": kept}, buckets=[Bucket(f"o:{o}", 1, v) for o, v in kept.items()])


_KINDS = {"choice": _choice, "multi_choice": _multi_choice, "scale": _scale, "open_text": _open_text,
          "word_cloud": _word_cloud, "ranking": _ranking, "priority": _priority}
