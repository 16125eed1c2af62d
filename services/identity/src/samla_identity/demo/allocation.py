"""How many managers each förvaltning, bolag and avdelning gets: numbers only, no names and no randomness."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from samla_identity.demo.catalogue import ORGANISATIONS, Department, Organisation

# Roughly how many managers an avdelning holds before the organisation opens another one.
SPAN_OF_CONTROL = 10
# The kommundirektör and one head per förvaltning or bolag come before anyone else.
FIXED_HEADS = 1 + len(ORGANISATIONS)


@dataclass(frozen=True)
class DepartmentPlan:
    department: Department
    units: int


@dataclass(frozen=True)
class OrganisationPlan:
    organisation: Organisation
    departments: tuple[DepartmentPlan, ...]

    @property
    def people(self) -> int:
        """Managers in the organisation: its head, its avdelningschefer and its enhetschefer."""
        return 1 + len(self.departments) + sum(d.units for d in self.departments)


def apportion(total: int, weights: Sequence[float], minimums: Sequence[int] | None = None,
              maximums: Sequence[int | None] | None = None) -> list[int]:
    """Splits `total` in proportion to `weights` (largest remainders), each share within its minimum and maximum."""
    lows = list(minimums) if minimums is not None else [0] * len(weights)
    highs = [math.inf if h is None else h for h in maximums] if maximums is not None else [math.inf] * len(weights)
    if not len(lows) == len(highs) == len(weights) or any(w < 0 for w in weights):
        raise ValueError("apportion needs one non-negative weight, one minimum and one maximum per share")
    shares = [w / max(weights) for w in weights] if any(weights) else [1.0] * len(weights)
    if not sum(lows) <= total <= sum(h if w else lo for w, lo, h in zip(shares, lows, highs, strict=True)):
        raise ValueError(f"{total} cannot be split within the minimums {lows} and maximums {highs}")

    def quotas(scale: float) -> list[float]:
        return [min(max(scale * w, lo), h) for w, lo, h in zip(shares, lows, highs, strict=True)]

    # The quotas grow with the scale; bisect for the scale at which they add up to the total.
    low, high = 0.0, 1.0
    while sum(quotas(high)) < total:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if sum(quotas(middle)) < total else (low, middle)
    exact = quotas(high)
    seats = [math.floor(q) for q in exact]
    open_shares = [i for i in range(len(seats)) if seats[i] < highs[i]]
    # Rounded, so that remainders equal but for float noise are broken by catalogue order, which puts the big first.
    for i in sorted(open_shares, key=lambda i: (round(seats[i] - exact[i], 9), i))[: total - sum(seats)]:
        seats[i] += 1
    return seats


def _minimum_budget(organisation: Organisation) -> int:
    return sum(1 + d.min_units for d in organisation.departments if d.min_units)


def _department_count(departments: Sequence[Department], budget: int) -> int:
    """How many avdelningar to open: one per SPAN_OF_CONTROL managers, and enough to give every enhet a name."""
    count = max(1, round(budget / SPAN_OF_CONTROL), sum(1 for d in departments if d.min_units))
    while count < len(departments) and sum(d.capacity for d in departments[:count]) < budget - count:
        count += 1
    return min(count, len(departments))


def _plan_organisation(organisation: Organisation, budget: int) -> OrganisationPlan:
    """Splits an organisation's managers below its head into avdelningschefer and enhetschefer."""
    if budget == 0:
        return OrganisationPlan(organisation, ())
    # Departments that must exist come first; otherwise the catalogue's order is the order of importance.
    ordered = sorted(organisation.departments, key=lambda d: d.min_units == 0)
    chosen = ordered[: _department_count(ordered, budget)]
    total = budget - len(chosen)
    capacities: list[int | None] = [d.capacity for d in chosen]
    # Past what the names allow, every avdelning grows in proportion and names come round again with a number.
    if sum(d.capacity for d in chosen) < total:
        capacities = [None] * len(chosen)
    units = apportion(total, [d.weight for d in chosen], [d.min_units for d in chosen], capacities)
    return OrganisationPlan(organisation, tuple(DepartmentPlan(d, n) for d, n in zip(chosen, units, strict=True)))


def minimum_managers() -> int:
    """The smallest demo that still has every förvaltning's and bolag's head and the programme's admins."""
    return FIXED_HEADS + sum(_minimum_budget(o) for o in ORGANISATIONS)


def plan(managers: int) -> tuple[OrganisationPlan, ...]:
    """Divides `managers` over the organisations (utbildning and social get most) and their avdelningar."""
    if managers < minimum_managers():
        raise ValueError(f"a demo needs at least {minimum_managers()} managers, not {managers}")
    budgets = apportion(managers - FIXED_HEADS, [o.weight for o in ORGANISATIONS],
                        [_minimum_budget(o) for o in ORGANISATIONS])
    return tuple(_plan_organisation(o, b) for o, b in zip(ORGANISATIONS, budgets, strict=True))
