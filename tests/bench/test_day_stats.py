"""The `day` benchmark's pure helpers (bench/day_stats.py): what its figures are computed with."""

from __future__ import annotations

import math

from bench.day_stats import Call, ProcessLoad, freshness_ms, one_more_node, percentile, summarize, vote_outcomes


def test_percentile_is_nearest_rank() -> None:
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7.0
    assert percentile([3, 1, 2], 0) == 1
    assert math.isnan(percentile([], 50))


def test_summarize_counts_errors_and_keeps_failed_requests_in_the_latencies() -> None:
    calls = [Call("answer", 0.0, 10.0, "201"), Call("answer", 0.5, 20.0, "201"),
             Call("answer", 1.0, 3000.0, "ReadTimeout"), Call("vote", 2.0, 5.0, "409")]
    summary = summarize(calls)
    answer = summary["answer"]
    assert (answer.count, answer.errors) == (3, 1)
    assert answer.p99 == 3000.0  # a timeout is the slowest answer, not a missing one
    assert answer.statuses == {"201": 2, "ReadTimeout": 1}
    assert answer.throughput == 3 / 4.0  # first sent at 0 s, last done at 4 s
    assert summary["vote"].errors == 1


def test_freshness_pairs_the_rth_acknowledgement_with_the_board_showing_r() -> None:
    sent = [0.0, 0.1, 0.2]
    acked = [0.05, 0.3, 0.25]  # the third submission was acknowledged second
    shown = [(0.5, 1), (1.0, 2), (2.0, 3)]
    delays = freshness_ms(sent, acked, shown)
    # rank 1 = submission 0 (shown at 0.5), rank 2 = submission 2 (1.0), rank 3 = submission 1 (2.0)
    assert [round(d) for d in delays] == [500, 800, 1900]


def test_freshness_leaves_out_what_the_board_never_showed() -> None:
    assert freshness_ms([0.0, 0.1], [0.1, 0.2], [(1.0, 1)]) == [1000.0]


def test_one_more_node_names_a_saturated_process_as_the_bottleneck() -> None:
    loads = [ProcessLoad("gateway", 90.0, 300), ProcessLoad("feedback", 30.0, 200),
             ProcessLoad("load generator", 50.0, 500)]
    lines = one_more_node(loads, wall_seconds=100, cores=2, stack=["gateway", "feedback"])
    assert "gateway, used 0.90" in lines[0]
    assert "gateway is the bottleneck" in lines[1]


def test_one_more_node_names_the_machine_when_no_process_is_saturated() -> None:
    loads = [ProcessLoad("gateway", 50.0, 1), ProcessLoad("feedback", 50.0, 1), ProcessLoad("load generator", 70.0, 1)]
    lines = one_more_node(loads, wall_seconds=100, cores=2, stack=["gateway", "feedback"])
    assert "cores are the bottleneck" in lines[1]


def test_one_more_node_sees_headroom_on_an_idle_machine() -> None:
    lines = one_more_node([ProcessLoad("gateway", 10.0, 1)], wall_seconds=100, cores=2, stack=["gateway"])
    assert "headroom" in lines[1]


def test_a_vote_that_timed_out_is_neither_lost_nor_counted_twice() -> None:
    acked, sent = {"q1": 10, "q2": 5}, {"q1": 12, "q2": 5}
    # q1: 10 acknowledged, 2 timed out of which 1 was stored; q2: one acknowledged vote is missing
    assert vote_outcomes({"q1": 11, "q2": 4}, acked, sent) == (1, 0, 1)
    # more on the wall than was ever sent is counted twice
    assert vote_outcomes({"q1": 13, "q2": 5}, acked, sent) == (0, 1, 3)
    # a question missing from the wall loses all its acknowledged votes
    assert vote_outcomes({"q1": 10}, acked, sent) == (5, 0, 0)
