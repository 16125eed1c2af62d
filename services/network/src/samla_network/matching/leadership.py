"""'Meet the leadership': small groups of first-line managers drawn fairly across periods."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from samla_network.matching.model import FIRST_LINE_LEVEL, Person


@dataclass(frozen=True)
class LeadershipDraw:
    """Drawn groups; `repeated` were drawn before (only once everyone eligible has had a turn)."""

    groups: tuple[tuple[str, ...], ...]
    repeated: tuple[str, ...]
    eligible: int


def draw_leadership_groups(*, people: Sequence[Person], group_count: int, group_size: int = 5,
                           earlier_draws: Sequence[Collection[str]] = (), seed: int = 0) -> LeadershipDraw:
    """Draws first-line managers (fewest earlier turns first, random in a tie) into mixed groups."""
    rng = random.Random(seed)
    eligible = [p for p in people if p.level == FIRST_LINE_LEVEL and not p.opted_out]
    turns = Counter(pid for draw in earlier_draws for pid in set(draw))
    tickets = {p.id: rng.random() for p in eligible}
    ranked = sorted(eligible, key=lambda p: (turns[p.id], tickets[p.id]))
    chosen = ranked[:group_count * group_size]
    count = min(group_count, len(chosen))
    # Dealing people sorted by administration round-robin spreads each administration over the groups.
    by_admin = Counter(p.administration for p in chosen)
    dealt = sorted(chosen, key=lambda p: (-by_admin[p.administration], p.administration, tickets[p.id]))
    groups = [tuple(p.id for p in dealt[g::count]) for g in range(count)]
    return LeadershipDraw(groups=tuple(groups), repeated=tuple(p.id for p in chosen if turns[p.id] > 0),
                          eligible=len(eligible))
