"""The interest round: tables get a topic in proportion to how many people share it, then people are seated
at a table whose topic they chose, as far as the seats allow."""

from __future__ import annotations

import numpy as np

from samla_events.seating.problem import Problem


def assign_topics(*, pb: Problem, in_use: np.ndarray, targets: np.ndarray) -> tuple[np.ndarray, list[str],
                                                                                      list[set[int]]]:
    """Returns a topic number per table (-1: mixed), the topic names, and the topics each person likes."""
    names = sorted({tag for tags in pb.interests for tag in tags})
    number = {name: k for k, name in enumerate(names)}
    likes = [{number[tag] for tag in tags} for tags in pb.interests]
    topics = np.full(len(pb.seats), -1, dtype=np.int64)
    used = [int(t) for t in np.flatnonzero(in_use)]
    if not names or not used:
        return topics, names, likes
    # Someone with k interests adds 1/k to each of them: demand in people, shared out over tables.
    demand = np.zeros(len(names))
    for mine in likes:
        for k in mine:
            demand[k] += 1.0 / len(mine)
    mean_size = float(targets[used].sum()) / len(used)
    wanted = min(len(used), round(float(demand.sum()) / mean_size))
    share = demand / max(float(demand.sum()), 1e-9) * wanted
    count = np.floor(share).astype(np.int64)
    for k in np.argsort(-(share - count), kind="stable")[: wanted - int(count.sum())]:
        count[k] += 1
    # Tables with a pinned host take one of the host's topics where it is still on offer.
    host_at = {int(t): int(i) for i, t in enumerate(pb.pinned_table) if t >= 0}
    for t in sorted(used, key=lambda t: t not in host_at):
        options = [k for k in (likes[host_at[t]] if t in host_at else ()) if count[k] > 0]
        if not options:
            if count.max(initial=0) <= 0:
                break
            options = [int(np.argmax(count))]
        k = max(options, key=lambda k: count[k])
        topics[t] = k
        count[k] -= 1
    return topics, names, likes


def interest_order(*, pb: Problem, likes: list[set[int]], rng: np.random.Generator) -> list[int]:
    """Returns the seating order: pinned hosts, then the fewest interests first (hardest to place)."""
    noise = rng.random(pb.n)
    return sorted(range(pb.n), key=lambda i: (pb.pinned_table[i] < 0, not pb.needs_accessible[i],
                                              len(likes[i]) or 99, noise[i]))
