"""Property: whatever the population, the published networks hold exactly its matchable people, each once."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from samla_network.groups.models import Membership, NetworkGroup

from .conftest import Network

pytestmark = [pytest.mark.integration, pytest.mark.parametrize("network", ["sqlite"], indirect=True)]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sizes=st.lists(st.integers(min_value=1, max_value=5), min_size=3, max_size=6),
       opted_out=st.sets(st.integers(min_value=0, max_value=29), max_size=4))
def test_published_groups_cover_exactly_the_chosen_population(network: Network, sizes: list[int],
                                                              opted_out: set[int]) -> None:
    tag = uuid.uuid4().hex[:6]
    network.org_unit(f"{tag}-k", "Kommunen", "kommun")
    ids = []
    for a, size in enumerate(sizes):
        network.org_unit(f"{tag}-a{a}", f"F{a}", "forvaltning", f"{tag}-k")
        for k in range(size):
            ids.append(f"{tag}-p{a}-{k}")
            network.person(ids[-1], org_unit_id=f"{tag}-a{a}")
    out = {ids[i] for i in opted_out if i < len(ids)}
    for pid in out:
        network.call("PUT", "/me/profile", as_=pid, role="", expect=200, json={"opted_out": True})
    chosen = sorted(set(ids) - out)
    if len(chosen) < 3:
        return
    run = network.call("POST", "/runs", expect=201, json={
        "name": "egenskap", "population": {"kind": "people", "person_ids": ids},
        "parameters": {"min_size": 3, "max_size": 5, "max_per_administration": 5, "time_budget_seconds": 0.1}}).json()
    done = network.run_to_end(run["id"])
    if done["status"] == "failed":  # rules that cannot be met publish nothing, and say why
        assert done["error"]["detail"]
        return
    network.call("POST", f"/runs/{run['id']}/publish", expect=200)

    with network.factory() as session:
        members = list(session.scalars(select(Membership.person_id).join(NetworkGroup)
                                       .where(NetworkGroup.run_id == run["id"])))
    assert sorted(members) == chosen
