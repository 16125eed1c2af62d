"""Swedish stemming (Snowball) and word-cloud normalisation."""

from __future__ import annotations

import pytest

from samla_feedback.language.stemmer import r1_start, stem
from samla_feedback.language.text import clean, content_tokens, phrase_key

# From the Snowball project's Swedish sample vocabulary and its expected output.
SNOWBALL_SAMPLES = {
    "jaktkarlarne": "jaktkarl", "jaktkarlens": "jaktkarl", "klokhet": "klok", "klokheten": "klok",
    "kloka": "klok", "klokare": "klok", "klokast": "klok", "klokt": "klokt", "lärandet": "lär",
    "möjligheter": "möj", "tydlighet": "tyd", "kommunikationen": "kommunikation",
}


@pytest.mark.parametrize(("word", "expected"), sorted(SNOWBALL_SAMPLES.items()))
def test_the_stemmer_matches_the_snowball_reference(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_r1_starts_after_the_first_consonant_after_a_vowel_but_never_before_the_third_letter() -> None:
    assert r1_start("ledarskap") == 3  # l-e-d|arskap
    assert r1_start("ansvar") == 3  # a-n|svar would be 2; at least 3
    assert r1_start("strategi") == 5  # s-t-r-a-t|egi


def test_an_s_is_removed_only_after_a_valid_s_ending() -> None:
    assert stem("chefens") == "chef"  # the -ens suffix
    assert stem("kommuns") == "kommun"  # n is a valid s-ending
    assert stem("hus") == "hus"  # too short for R1


def test_word_cloud_phrases_fold_case_whitespace_and_inflection() -> None:
    assert phrase_key("  Tillit ") == phrase_key("TILLIT") == phrase_key("tilliten")
    assert phrase_key("Bättre  samverkan") == phrase_key("bättre samverkan")
    assert phrase_key("cheferna") == phrase_key("chefer") == phrase_key("chef")


def test_cleaning_keeps_markup_as_text_and_drops_control_characters() -> None:
    assert clean(" <script>alert('x')</script>\x00 ") == "<script>alert('x')</script>"


def test_content_tokens_leave_out_swedish_function_words() -> None:
    assert content_tokens("Vi behöver mer tid för dialogen med medarbetarna") == [
        stem("behöver"), stem("tid"), stem("dialogen"), stem("medarbetarna")]
