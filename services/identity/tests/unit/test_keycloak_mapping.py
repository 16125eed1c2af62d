"""Mapping Keycloak's users and groups to people and org units: pure rules, no sockets."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from samla_identity.imports import values
from samla_identity.keycloak_sync.client import Group, Snapshot
from samla_identity.keycloak_sync.mapping import wanted


def group(gid: str, depth: int, parent: str | None = None, *, kind: str | None = None,
          roles: tuple[str, ...] = ()) -> Group:
    return Group(id=gid, name=gid.title(), path=f"/{gid}", parent_id=parent, depth=depth,
                 attributes={"kind": [kind]} if kind else {}, realm_roles=roles)


def user(uid: str, **attributes: str) -> dict[str, Any]:
    return {"id": uid, "username": uid, "firstName": uid.title(), "lastName": "Test", "email": f"{uid}@x.se",
            "enabled": True, "attributes": {k: [v] for k, v in attributes.items()}}


TREE = [group("k", 0), group("f", 1, "k"), group("b", 1, "k", kind="Bolag"), group("a", 2, "f"),
        group("e", 3, "a", roles=("samla-facilitator",)), group("x", 4, "e")]


def snapshot(users: list[dict[str, Any]], memberships: dict[str, list[str]] | None = None,
             roles: dict[str, set[str]] | None = None, groups: list[Group] | None = None) -> Snapshot:
    return Snapshot(users=users, users_count=len(users), groups=groups or TREE, memberships=memberships or {},
                    role_members=roles or {})


def test_group_kinds_follow_depth_unless_the_group_says_otherwise() -> None:
    units = {u.id: u.kind for u in wanted(snapshot([])).units}
    assert units == {"k": "kommunkoncern", "f": "forvaltning", "b": "bolag", "a": "avdelning", "e": "enhet",
                     "x": "enhet"}


def test_an_unknown_kind_is_reported_and_the_depth_default_used() -> None:
    result = wanted(snapshot([], groups=[group("k", 0, kind="stadsdel")]))
    assert result.units[0].kind == "kommunkoncern"
    assert [(i.code, i.group_id) for i in result.issues] == [("kc_unknown_kind", "k")]


def test_a_person_gets_the_deepest_group_and_the_roles_of_that_group_and_its_parents() -> None:
    result = wanted(snapshot([user("u1")], memberships={"u1": ["f", "e"]}, roles={"samla-admin": {"u1"}}))
    person = result.people[0].data
    assert person.org_unit_id == "e" and person.roles == ["samla-admin", "samla-facilitator"]


def test_two_groups_at_the_same_depth_are_reported() -> None:
    result = wanted(snapshot([user("u1")], memberships={"u1": ["f", "b"]}))
    assert result.people[0].data.org_unit_id == "b"  # /b sorts before /f
    assert [i.code for i in result.issues] == ["kc_several_groups"]


def test_levels_are_read_in_swedish_or_english_and_unknown_ones_reported() -> None:
    result = wanted(snapshot([user("u1", level="Förvaltningschef"), user("u2", level="unit manager"),
                              user("u3", level="boss")]))
    assert [p.data.level for p in result.people] == ["forvaltningschef", "enhetschef", None]
    assert [(i.code, i.user_id) for i in result.issues] == [("kc_unknown_level", "u3")]


def test_a_manager_is_found_by_id_or_username_and_a_self_reference_is_dropped() -> None:
    users = [user("boss"), user("u1", manager="boss"), user("u2", manager="BOSS"), user("u3", manager="u3")]
    result = wanted(snapshot(users))
    assert [p.data.manager_id for p in result.people] == [None, "boss", "boss", None]
    assert [i.code for i in result.issues] == ["kc_self_manager"]


def test_people_on_a_reporting_cycle_keep_their_manager_and_the_cycle_is_named() -> None:
    result = wanted(snapshot([user("a1", manager="a2"), user("a2", manager="a3"), user("a3", manager="a1"),
                              user("b1", manager="a1")]))
    keep = {p.data.id: p.keep_manager for p in result.people}
    assert keep == {"a1": True, "a2": True, "a3": True, "b1": False}
    (cycle,) = result.issues
    assert cycle.code == "kc_manager_cycle" and "a1 → a2 → a3 → a1" in cycle.message


def test_service_accounts_are_not_people_and_bad_values_are_dropped_field_by_field() -> None:
    bad_mail = user("u1") | {"email": "not-an-address"}
    account = {"id": "sa", "username": "service-account-sync", "enabled": True, "serviceAccountClientLink": "c"}
    result = wanted(snapshot([bad_mail, account]))
    assert [p.data.id for p in result.people] == ["u1"] and result.people[0].data.email is None
    assert [i.code for i in result.issues] == ["kc_invalid_value"]
    assert result.listed_ids == {"u1", "sa"}


def test_a_user_without_groups_is_placed_by_department_id_path_or_unique_name() -> None:
    users = [user("u1", department="a"), user("u2", department="/f"), user("u3", department="B"),
             user("u4", department="nowhere")]
    result = wanted(snapshot(users))
    assert [p.data.org_unit_id for p in result.people] == ["a", "f", "b", None]
    assert [(i.code, i.user_id) for i in result.issues] == [("kc_unknown_group", "u4")]


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.none() | st.sampled_from("abcdefghij")))
def test_find_cycles_finds_exactly_the_people_whose_manager_chain_returns_to_them(links: dict[str, str | None]) -> None:
    on_cycles = {p for cycle in values.find_cycles(links) for p in cycle}

    def returns(start: str) -> bool:
        seen, node = set(), links.get(start)
        while node is not None and node not in seen:
            if node == start:
                return True
            seen.add(node)
            node = links.get(node)
        return False

    assert on_cycles == {p for p in links if returns(p)}
