"""Runs left "running" when the service stopped are marked interrupted with a message, and can be started again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from samla_common.db import unit_of_work
from samla_network.runs import recovery
from samla_network.runs.models import RUNNING, MatchingRun
from samla_network.topics import utcnow

from .conftest import Network, open_network, wait_for

pytestmark = pytest.mark.integration


def _draft_run(network: Network, tag: str, *, budget: float) -> str:
    ids = network.municipality(tag, administrations=2, per_administration=4)
    run = network.call("POST", "/runs", expect=201, json={
        "name": f"R {tag}", "population": {"kind": "people", "person_ids": ids},
        "parameters": {"min_size": 4, "max_size": 4, "time_budget_seconds": budget}}).json()
    return str(run["id"])


def _mark_running(network: Network, run_id: str, *, started_ago: timedelta) -> None:
    """What a process that died mid-run leaves behind: the run still says running, and nobody works on it."""
    with unit_of_work(network.factory) as session:
        run = session.get(MatchingRun, run_id)
        assert run is not None
        run.status, run.progress, run.started_at = RUNNING, 0.4, utcnow() - started_ago


def test_a_run_left_running_by_a_stopped_service_is_interrupted_at_start_and_can_run_again(
        database: tuple[str, str], tmp_path: Path) -> None:
    url, backend = database
    (tmp_path / "before").mkdir()
    (tmp_path / "after").mkdir()
    with open_network(url, tmp_path / "before", backend) as before:
        run_id = _draft_run(before, "crash", budget=0.3)
        _mark_running(before, run_id, started_ago=timedelta(hours=1))

    with open_network(url, tmp_path / "after", backend) as after:
        seen = after.call("GET", f"/runs/{run_id}", expect=200).json()
        again = after.run_to_end(run_id)

    assert seen["status"] == "interrupted" and seen["finished_at"] is not None
    assert "Start it again" in seen["error"]["detail"]
    assert again["status"] == "done" and again["error"] is None and again["result"]["violations"] == []


def test_a_run_started_just_before_a_restart_is_interrupted_once_its_budget_and_grace_have_passed(
        database: tuple[str, str], tmp_path: Path) -> None:
    url, backend = database
    with open_network(url, tmp_path, backend, SAMLA_NETWORK_RUN_GRACE_SECONDS="0.2",
                      SAMLA_NETWORK_RUN_WATCHDOG_SECONDS="0.05") as network:
        run_id = _draft_run(network, "quick", budget=0.5)
        _mark_running(network, run_id, started_ago=timedelta(0))

        def settled() -> str | None:
            status = str(network.call("GET", f"/runs/{run_id}/status").json()["status"])
            return None if status == "running" else status

        status = wait_for(settled)

    assert status == "interrupted"


def test_the_check_leaves_runs_that_are_within_their_budget_or_running_in_this_process_alone(
        database: tuple[str, str], tmp_path: Path) -> None:
    url, backend = database
    with open_network(url, tmp_path, backend) as network:
        mine = _draft_run(network, "mine", budget=0.3)
        young = _draft_run(network, "young", budget=100)
        lost = _draft_run(network, "lost", budget=0.3)
        for run_id in (mine, lost):
            _mark_running(network, run_id, started_ago=timedelta(minutes=5))
        _mark_running(network, young, started_ago=timedelta(seconds=1))

        with unit_of_work(network.factory) as session:
            marked = recovery.interrupt_lost(session=session, now=utcnow(), grace=60,
                                             running_here=lambda run_id: run_id == mine)
        statuses = {r: network.call("GET", f"/runs/{r}/status").json()["status"] for r in (mine, young, lost)}

    assert marked == [lost]
    assert statuses == {mine: "running", young: "running", lost: "interrupted"}
