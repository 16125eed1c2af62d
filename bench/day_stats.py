"""Pure helpers of the `day` benchmark: percentiles, per-operation summaries, board freshness, CPU shares and
what one more node would buy. No sockets, no clocks: tests/bench/test_day_stats.py checks them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (the value below which p % of the samples lie); NaN for no samples."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return ordered[min(len(ordered) - 1, max(0, rank - 1))]


@dataclass(frozen=True)
class Call:
    """One measured request: what it was, when it was sent (perf_counter seconds), how long, and its outcome."""

    op: str
    sent: float
    latency_ms: float
    status: str  # the HTTP status, or the exception's class name

    @property
    def ok(self) -> bool:
        return self.status.startswith("2")


@dataclass(frozen=True)
class OpSummary:
    op: str
    count: int
    errors: int
    throughput: float  # completed requests per second over the operation's own span
    p50: float
    p95: float
    p99: float
    statuses: dict[str, int]


def summarize(calls: Iterable[Call]) -> dict[str, OpSummary]:
    """Per operation: count, errors, throughput and latency percentiles (of every request, failed ones too:
    a timeout is the slowest answer there is)."""
    by_op: dict[str, list[Call]] = {}
    for call in calls:
        by_op.setdefault(call.op, []).append(call)
    out: dict[str, OpSummary] = {}
    for op, group in by_op.items():
        latencies = [c.latency_ms for c in group]
        start = min(c.sent for c in group)
        end = max(c.sent + c.latency_ms / 1000 for c in group)
        statuses: dict[str, int] = {}
        for c in group:
            statuses[c.status] = statuses.get(c.status, 0) + 1
        out[op] = OpSummary(op=op, count=len(group), errors=sum(not c.ok for c in group),
                            throughput=len(group) / (end - start) if end > start else float(len(group)),
                            p50=percentile(latencies, 50), p95=percentile(latencies, 95),
                            p99=percentile(latencies, 99), statuses=statuses)
    return out


def first_time_at_least(shown: Sequence[tuple[float, int]], count: int) -> float | None:
    """When a board first showed at least `count` (`shown` is (time, count) in time order)."""
    return next((t for t, n in shown if n >= count), None)


def freshness_ms(sent: Sequence[float], acked: Sequence[float], shown: Sequence[tuple[float, int]]) -> list[float]:
    """Submission → board for counted things (answers to one prompt, votes on one question).

    The board shows a count, not who: the r-th acknowledged submission is on screen once the board shows r.
    Each delay runs from that submission's send time; submissions never shown are left out (count them apart).
    """
    order = sorted(range(len(acked)), key=lambda i: acked[i])
    delays = []
    for rank, i in enumerate(order, 1):
        t = first_time_at_least(shown, rank)
        if t is not None:
            delays.append(max(0.0, t - sent[i]) * 1000)
    return delays


@dataclass(frozen=True)
class ProcessLoad:
    name: str
    cpu_seconds: float
    peak_rss_mb: float


def cores_used(load: ProcessLoad, wall_seconds: float) -> float:
    return load.cpu_seconds / wall_seconds if wall_seconds > 0 else 0.0


def one_more_node(loads: Sequence[ProcessLoad], wall_seconds: float, cores: int,
                  stack: Iterable[str]) -> list[str]:
    """Reasoning from measured CPU: each Samla process is one Python interpreter, so it can use at most one core
    (the GIL); the machine has `cores`. Says which limit binds and what a second node (same size, running one
    more replica of every stateless process) would change."""
    names = set(stack)
    mine = [x for x in loads if x.name in names]
    if not mine or wall_seconds <= 0:
        return ["no CPU figures: nothing to reason from"]
    hottest = max(mine, key=lambda x: x.cpu_seconds)
    stack_cores = sum(cores_used(x, wall_seconds) for x in mine)
    everyone = sum(cores_used(x, wall_seconds) for x in loads)
    hot = cores_used(hottest, wall_seconds)
    lines = [f"the stack used {stack_cores:.2f} of {cores} cores on average ({everyone:.2f} with the load "
             f"generator and baseline); the busiest process, {hottest.name}, used {hot:.2f} of the 1 core one "
             f"Python process can use"]
    if hot >= 0.7:
        lines.append(f"{hottest.name} is the bottleneck (near one core): a second node running another "
                     f"{hottest.name} replica behind the load balancer halves its share, roughly doubling the "
                     f"rate of the operations it serves until the next process saturates")
    elif everyone >= 0.8 * cores:
        lines.append(f"the machine's {cores} cores are the bottleneck (no single process is): a second node adds "
                     f"{cores} cores, so the same load would leave roughly half the CPU idle and queueing (p99) "
                     f"would fall; twice the load would fit")
    else:
        headroom = min(1.0 / max(hot, 1e-9), cores / max(everyone, 1e-9))
        lines.append(f"there is CPU headroom (this load could grow about {headroom:.1f}× on this node before a "
                     f"process or the machine saturates), so a second node buys redundancy more than capacity")
    lines.append("SQLite allows one writer per service database: replicas of a writing service need PostgreSQL "
                 "(DATABASE_URL); the gateway and the board fan-out scale out without shared state")
    return lines


def vote_outcomes(on_wall: dict[str, int], acked: dict[str, int], sent: dict[str, int]) -> tuple[int, int, int]:
    """(lost, counted twice, on the wall without an answer) over the questions voted on.

    Lost: acknowledged votes missing from the wall. Counted twice: votes on the wall beyond those sent. A vote whose
    answer never came (the phone gave up waiting) may be on the wall or not; it is neither lost nor doubled, and
    the third figure counts those that are there."""
    lost = sum(max(0, n - on_wall.get(q, 0)) for q, n in acked.items())
    doubled = sum(max(0, on_wall.get(q, 0) - sent.get(q, 0)) for q in acked)
    unanswered = sum(max(0, on_wall.get(q, 0) - n) for q, n in acked.items())
    return lost, doubled, unanswered
