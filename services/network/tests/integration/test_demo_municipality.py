"""The demo municipality (identity's generator, as `make run` and the browser stack load it) through the API.

Regression: group runs of the demo always failed with "4 brott kvar", because the kommundirektör (or, for one
förvaltning, its chef) is above everyone else in the reporting line and fits in no group.
"""

from __future__ import annotations

import pytest

from samla_identity.demo.generator import generate

from .conftest import Network

pytestmark = pytest.mark.integration


def _load_demo(network: Network, tag: str) -> dict[str, str]:
    """Delivers the demo's org units and people (ids prefixed by the tag); returns generator id → level."""
    units, people = generate()
    for u in units:
        network.org_unit(f"{tag}-{u.id}", u.name, u.kind, f"{tag}-{u.parent_id}" if u.parent_id else None)
    for p in people:
        network.person(f"{tag}-{p.id}", org_unit_id=f"{tag}-{p.org_unit_id}", level=p.level,
                       manager_id=f"{tag}-{p.manager_id}" if p.manager_id else None)
    return {f"{tag}-{p.id}": p.level for p in people}


def test_the_whole_demo_kommun_and_one_forvaltning_are_matched_with_no_broken_rule(network: Network,
                                                                                    tag: str) -> None:
    levels = _load_demo(network, tag)
    root = f"{tag}-{generate()[0][0].id}"
    miljo = f"{tag}-ou-mil"

    everyone = network.call("POST", "/runs", expect=201, json={
        "name": "alla", "population": {"kind": "org_unit", "org_unit_id": root},
        "parameters": {"min_size": 4, "max_size": 8, "max_per_administration": 3,
                       "time_budget_seconds": 1.0}}).json()
    one = network.call("POST", "/runs", expect=201, json={
        "name": "miljö", "population": {"kind": "org_unit", "org_unit_id": miljo},
        "parameters": {"max_per_administration": 6, "time_budget_seconds": 0.5}}).json()
    done = network.run_to_end(everyone["id"]), network.run_to_end(one["id"])

    for run in done:
        assert run["status"] == "done", run["error"]
        assert run["result"]["violations"] == []
    assert [(levels[e["person_id"]], e["reason"]) for e in done[0]["excluded"]] == [("kommundirektor",
                                                                                     "reporting_line")]
    assert [(levels[e["person_id"]], e["reason"]) for e in done[1]["excluded"]] == [("forvaltningschef",
                                                                                     "reporting_line")]
    assert sum(len(g["members"]) for g in done[0]["result"]["groups"]) == len(levels) - 1
