"""Pair scores and forbidden pairs as dense numpy matrices over the active population."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from samla_network.matching.model import History, MatchWeights, Person


def _codes(values: Sequence[str]) -> np.ndarray:
    """Maps labels to small integer codes so comparisons become vector operations."""
    lookup: dict[str, int] = {}
    return np.array([lookup.setdefault(v, len(lookup)) for v in values], dtype=np.int64)


def _incidence(sets: Sequence[frozenset[str]]) -> np.ndarray:
    """Returns a person × label 0/1 matrix so overlaps are one matrix product."""
    labels = sorted({label for s in sets for label in s})
    column = {label: k for k, label in enumerate(labels)}
    matrix = np.zeros((len(sets), max(len(labels), 1)), dtype=np.float64)
    for row, s in enumerate(sets):
        for label in s:
            matrix[row, column[label]] = 1.0
    return matrix


def _pair_mask(*, rows: Sequence[Person], cols: Sequence[Person], pairs: frozenset[tuple[str, str]]
               ) -> np.ndarray:
    """Returns a rows × cols boolean matrix marking the given pairs (in either order)."""
    row_at = {p.id: k for k, p in enumerate(rows)}
    col_at = {p.id: k for k, p in enumerate(cols)}
    mask = np.zeros((len(rows), len(cols)), dtype=bool)
    for a, b in pairs:
        for x, y in ((a, b), (b, a)):
            if x in row_at and y in col_at:
                mask[row_at[x], col_at[y]] = True
    return mask


def cross_scores(*, rows: Sequence[Person], cols: Sequence[Person], weights: MatchWeights,
                 history: History) -> np.ndarray:
    """Returns the pair score of every row person with every column person (one term per admin goal)."""
    both = [*rows, *cols]
    split = len(rows)

    def encode(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return values[:split], values[split:]

    admin_r, admin_c = encode(_codes([p.administration for p in both]))
    level_r, level_c = encode(_codes([p.level for p in both]))
    place_r, place_c = encode(_codes([p.location for p in both]))
    tags_r, tags_c = encode(_incidence([p.challenges for p in both]))
    lang_r, lang_c = encode(_incidence([p.languages for p in both]))
    slot_r, slot_c = encode(_incidence([p.availability for p in both]))

    scores = np.zeros((len(rows), len(cols)))
    scores += weights.mix_administrations * (admin_r[:, None] != admin_c[None, :])
    scores += weights.mix_levels * (level_r[:, None] != level_c[None, :])
    scores += weights.shared_challenges * (tags_r @ tags_c.T)
    scores += weights.same_location * (place_r[:, None] == place_c[None, :])
    # A pair without a shared language cannot talk; without a shared slot it cannot meet.
    scores -= weights.common_language * ((lang_r @ lang_c.T) == 0)
    known = (slot_r.sum(axis=1) > 0)[:, None] & (slot_c.sum(axis=1) > 0)[None, :]
    no_slot = ((slot_r @ slot_c.T) == 0) & known
    scores -= weights.common_availability * no_slot
    if weights.history_mode == "avoid":
        scores -= weights.history * _pair_mask(rows=rows, cols=cols, pairs=history.met)
    else:
        scores += weights.history * _pair_mask(rows=rows, cols=cols, pairs=history.same_table)
    return scores


def pair_scores(*, people: Sequence[Person], weights: MatchWeights, history: History) -> np.ndarray:
    """Returns the symmetric pair-score matrix (zero diagonal); the run maximises its sum within groups."""
    scores = cross_scores(rows=people, cols=people, weights=weights, history=history)
    np.fill_diagonal(scores, 0.0)
    return np.ascontiguousarray(scores, dtype=np.float64)


def management_chain(*, person_id: str, managers: Mapping[str, str | None]) -> list[str]:
    """Returns everyone above a person in the reporting line, nearest first (cycles are cut)."""
    chain: list[str] = []
    seen = {person_id}
    current = managers.get(person_id)
    while current is not None and current not in seen:
        chain.append(current)
        seen.add(current)
        current = managers.get(current)
    return chain


def cross_forbidden(*, rows: Sequence[Person], cols: Sequence[Person], directory: Sequence[Person],
                    apart: frozenset[tuple[str, str]]) -> np.ndarray:
    """Returns a rows × cols boolean matrix of pairs that may not be together (reporting line, kept apart)."""
    managers = {p.id: p.manager_id for p in directory}
    managers.update({p.id: p.manager_id for p in [*rows, *cols]})
    row_at = {p.id: k for k, p in enumerate(rows)}
    col_at = {p.id: k for k, p in enumerate(cols)}
    mask = _pair_mask(rows=rows, cols=cols, pairs=apart)
    # The chain runs through the whole directory, so a skip-level line via an absent manager still counts.
    for c, p in enumerate(cols):
        for boss in management_chain(person_id=p.id, managers=managers):
            if boss in row_at:
                mask[row_at[boss], c] = True
    for r, p in enumerate(rows):
        for boss in management_chain(person_id=p.id, managers=managers):
            if boss in col_at:
                mask[r, col_at[boss]] = True
    return mask


def forbidden_pairs(*, people: Sequence[Person], directory: Sequence[Person],
                    apart: frozenset[tuple[str, str]]) -> np.ndarray:
    """Returns a symmetric int8 matrix of pairs that may not share a group: reporting lines or kept apart."""
    mask = cross_forbidden(rows=people, cols=people, directory=directory, apart=apart)
    np.fill_diagonal(mask, False)
    return mask.astype(np.int8)
