"""Suggested themes: similar Swedish answers end up together, unrelated ones apart."""

from __future__ import annotations

import numpy as np

from samla_feedback.themes.clustering import agglomerate, most_representative, suggest, tfidf

TEXTS = [
    "Vi behöver mer tid för dialog med medarbetarna",
    "Mer tid till dialogen med medarbetare vore bra",
    "Tid för dialog med våra medarbetare saknas",
    "Budgeten för lokalerna är för liten",
    "Lokalerna kostar för mycket i budgeten",
    "Budgetramen för lokaler räcker inte",
    "Parkeringen vid stadshuset",
]


def test_answers_about_the_same_thing_are_suggested_as_one_theme() -> None:
    clusters = suggest(TEXTS, threshold=0.2)

    groups = sorted(sorted(c.members) for c in clusters)
    assert groups == [[0, 1, 2], [3, 4, 5]]
    dialogue = next(c for c in clusters if 0 in c.members)
    assert "dialog" in dialogue.terms and dialogue.cohesion > 0.3


def test_inflected_forms_share_a_stem_so_they_count_as_the_same_word() -> None:
    vectors, vocabulary = tfidf(["medarbetarna", "medarbetare"])

    assert vocabulary == ["medarbet"]
    assert float(vectors[0] @ vectors[1]) == 1.0


def test_average_linkage_stops_at_the_threshold() -> None:
    similarity = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]])

    assert agglomerate(similarity, 0.5) == [[0, 1], [2]]
    assert agglomerate(similarity, 0.1) == [[0, 1, 2]]  # (0.1 + 0.2) / 2 = 0.15 >= 0.1


def test_the_text_unlike_the_others_is_the_least_representative() -> None:
    texts = [*TEXTS[:3], "Parkeringen vid stadshuset"]

    assert most_representative(texts, 4)[-1] == 3
    assert most_representative([], 3) == []
