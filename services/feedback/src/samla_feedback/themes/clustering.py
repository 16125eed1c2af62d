"""Suggesting groups of similar Swedish answers: TF-IDF over stemmed words, cosine similarity, and average-linkage
agglomerative clustering, all in numpy (no models to download).

The suggestions help a facilitator theme a few hundred answers quickly; they decide, the clustering only proposes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from samla_feedback.language.text import content_tokens

MAX_TEXTS = 1000  # average linkage is quadratic in memory; beyond this a facilitator filters by prompt or round


@dataclass(frozen=True)
class Cluster:
    members: list[int]  # indices into the texts given
    terms: list[str]  # the stems that weigh most in the cluster, for a label
    cohesion: float  # mean similarity to the centroid, 0..1


def tfidf(texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Rows: L2-normalised TF-IDF vectors of the texts; columns: the vocabulary of stems."""
    docs = [content_tokens(t) for t in texts]
    vocabulary = sorted({tok for doc in docs for tok in doc})
    index = {tok: j for j, tok in enumerate(vocabulary)}
    counts = np.zeros((len(docs), len(vocabulary)), dtype=np.float64)
    for i, doc in enumerate(docs):
        for tok in doc:
            counts[i, index[tok]] += 1.0
    df = (counts > 0).sum(axis=0)
    idf = np.log((1.0 + len(docs)) / (1.0 + df)) + 1.0  # smoothed, so a word in every text still counts a little
    weighted = np.log1p(counts) * idf
    norms = np.linalg.norm(weighted, axis=1, keepdims=True)
    return np.divide(weighted, norms, out=np.zeros_like(weighted), where=norms > 0), vocabulary


def agglomerate(similarity: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage clustering: merge the two most similar clusters until none is more similar than threshold."""
    n = similarity.shape[0]
    sim = similarity.astype(np.float64).copy()
    np.fill_diagonal(sim, -np.inf)
    sizes = np.ones(n)
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    active = np.ones(n, dtype=bool)
    while len(groups) > 1:
        flat = int(np.argmax(sim))
        a, b = divmod(flat, n)
        if sim[a, b] < threshold:
            break
        # Lance-Williams update for average linkage: the merged cluster's similarity is the size-weighted mean.
        merged = (sizes[a] * sim[a] + sizes[b] * sim[b]) / (sizes[a] + sizes[b])
        sim[a, :] = merged
        sim[:, a] = merged
        sim[a, a] = -np.inf
        sim[b, :] = -np.inf
        sim[:, b] = -np.inf
        sim[:, ~active] = -np.inf
        sizes[a] += sizes[b]
        active[b] = False
        groups[a].extend(groups.pop(b))
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def suggest(texts: Sequence[str], *, threshold: float = 0.3, min_size: int = 2, top_terms: int = 5) -> list[Cluster]:
    """Groups of similar texts, largest first; texts that resemble nothing are left out."""
    if len(texts) > MAX_TEXTS:
        raise ValueError(f"suggestions work on at most {MAX_TEXTS} texts at a time")
    if len(texts) < 2:
        return []
    vectors, vocabulary = tfidf(texts)
    similarity = vectors @ vectors.T
    clusters = []
    for members in agglomerate(similarity, threshold):
        if len(members) < min_size:
            continue
        centroid = vectors[members].mean(axis=0)
        top = [vocabulary[j] for j in np.argsort(-centroid)[:top_terms] if centroid[j] > 0]
        norm = float(np.linalg.norm(centroid))
        cohesion = float((vectors[members] @ centroid).mean() / norm) if norm > 0 else 0.0
        clusters.append(Cluster(members=members, terms=top, cohesion=round(cohesion, 3)))
    return clusters


def most_representative(texts: Sequence[str], count: int) -> list[int]:
    """Indices of the texts closest to the group's centroid (for quotes that speak for a theme)."""
    if not texts:
        return []
    vectors, _ = tfidf(texts)
    centroid = vectors.mean(axis=0)
    scores = vectors @ centroid
    return [int(i) for i in np.argsort(-scores, kind="stable")[:count]]
