"""Cleaning what people type, and turning Swedish text into comparable tokens (word clouds, theme suggestions)."""

from __future__ import annotations

import re
import unicodedata

from samla_feedback.language.stemmer import stem

# Control characters other than newline and tab are dropped: they carry nothing a reader needs and break exports.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_SPACES = re.compile(r"\s+")

# Common Swedish function words: they say nothing about a theme.
_STOPWORDS = """
alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din dina ditt du där då efter
ej eller en er era ert ett från för ha hade han hans har henne hennes hon honom hur här i icke ingen inom inte jag
ju kan kunde man med mellan men mig min mina mitt mot mycket ni nu när någon något några och om oss på samma sedan
sig sin sina sitta själv skulle som så sådan sådana sådant till under upp ut utan vad var vara varför varit varje
vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än är åt över också bara mer fler få kunna ska även
"""
STOPWORDS = frozenset(_STOPWORDS.split())


def clean(value: str) -> str:
    """The text as people meant it: NFC, no control characters, no surrounding whitespace. Never HTML-escaped."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()


def surface_phrase(value: str) -> str:
    """A short phrase for display: cleaned, lower case, single spaces."""
    return _SPACES.sub(" ", clean(value)).lower()


def words(value: str) -> list[str]:
    """The words of a text in lower case (letters and digits; hyphenated and apostrophe words kept whole)."""
    return _WORD.findall(clean(value).casefold())


def phrase_key(value: str) -> str:
    """The normalised form of a word-cloud phrase: case, whitespace and Swedish inflection folded away."""
    return " ".join(stem(w) for w in words(value))


def content_tokens(value: str) -> list[str]:
    """Stemmed words that carry meaning (no stop words, no one-letter words), for comparing texts."""
    return [stem(w) for w in words(value) if w not in STOPWORDS and len(w) > 1]
