"""PATCH on a resource's SCIM form, attribute selection and input checking: pure functions, no database."""

from __future__ import annotations

from typing import Any

import pytest

from samla_identity.scim.attributes import ENTERPRISE_USER, SAMLA_USER, USER, normalize
from samla_identity.scim.errors import ScimError
from samla_identity.scim.listing import project
from samla_identity.scim.patch import PATCH_SCHEMA, apply


def karin() -> dict[str, Any]:
    return {"schemas": [USER.core.id], "id": "p-1", "userName": "karin", "displayName": "Karin", "active": True,
            "name": {"givenName": "Karin", "familyName": "Lindqvist"},
            "emails": [{"value": "k@work.se", "type": "work", "primary": True},
                       {"value": "k@home.se", "type": "home"}],
            ENTERPRISE_USER: {"employeeNumber": "1", "manager": {"value": "p-0", "displayName": "Boss"}},
            SAMLA_USER: {"subject": "p-1", "languages": ["sv"]}}


def ops(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}


def test_replace_through_a_value_filter_changes_only_the_matching_value() -> None:
    out = apply(USER, karin(), ops({"op": "replace", "path": 'emails[type eq "work"].value', "value": "n@work.se"}))
    assert [e["value"] for e in out["emails"]] == ["n@work.se", "k@home.se"]


def test_add_through_a_filter_that_matches_nothing_creates_the_value_entra_style() -> None:
    out = apply(USER, {**karin(), "emails": []},
                ops({"op": "add", "path": 'emails[type eq "work"].value', "value": "new@work.se"}))
    assert out["emails"] == [{"type": "work", "value": "new@work.se"}]


def test_replace_on_a_complex_attribute_merges_its_sub_attributes() -> None:
    out = apply(USER, karin(), ops({"op": "replace", "path": "name", "value": {"familyName": "Berg"}}))
    assert out["name"] == {"givenName": "Karin", "familyName": "Berg"}


def test_add_appends_to_multi_valued_and_keeps_one_primary() -> None:
    out = apply(USER, karin(), ops({"op": "add", "path": "emails",
                                    "value": [{"value": "x@y.se", "type": "work", "primary": True}]}))
    assert [e.get("primary") for e in out["emails"]] == [False, None, True]


def test_pathless_values_take_urn_qualified_keys_and_case_insensitive_names() -> None:
    out = apply(USER, karin(), ops({"op": "Replace", "value": {
        f"{ENTERPRISE_USER}:employeeNumber": "2", "TITLE": "Rektor", "active": "False"}}))
    assert out[ENTERPRISE_USER]["employeeNumber"] == "2" and out["title"] == "Rektor" and out["active"] is False


def test_a_manager_given_as_a_bare_id_is_accepted_as_entra_id_sends_it() -> None:
    out = apply(USER, karin(), ops({"op": "Replace", "path": f"{ENTERPRISE_USER}:manager", "value": "p-9"}))
    assert out[ENTERPRISE_USER]["manager"] == {"value": "p-9", "displayName": "Boss"}


def test_remove_a_filtered_value_and_an_extension_attribute() -> None:
    out = apply(USER, karin(), ops({"op": "remove", "path": 'emails[type eq "home"]'},
                                   {"op": "remove", "path": f"{ENTERPRISE_USER}:manager"}))
    assert [e["value"] for e in out["emails"]] == ["k@work.se"] and "manager" not in out[ENTERPRISE_USER]


@pytest.mark.parametrize(("operation", "scim_type"), [
    ({"op": "replace", "path": 'emails[type eq "other"].value', "value": "x"}, "noTarget"),
    ({"op": "remove"}, "noTarget"),
    ({"op": "replace", "path": "meta.version", "value": "x"}, "mutability"),
    ({"op": "replace", "path": f"{ENTERPRISE_USER}:manager.displayName", "value": "x"}, "mutability"),
    ({"op": "replace", "path": f"{SAMLA_USER}:subject", "value": "other"}, "mutability"),
    ({"op": "replace", "path": "nickName", "value": "x"}, "invalidPath"),
    ({"op": "replace", "path": "emails[type eq ]", "value": "x"}, "invalidFilter"),
    ({"op": "move", "path": "title", "value": "x"}, "invalidSyntax"),
    ({"op": "replace", "path": "active", "value": "perhaps"}, "invalidValue"),
    ({"op": "add", "path": "title"}, "invalidValue"),
])
def test_bad_operations_say_why(operation: dict[str, Any], scim_type: str) -> None:
    with pytest.raises(ScimError) as caught:
        apply(USER, karin(), ops(operation))
    assert caught.value.status == 400 and caught.value.scim_type == scim_type


def test_attributes_and_excluded_attributes_select_what_is_returned() -> None:
    resource = karin()
    assert project(USER, resource, ("emails.value", f"{ENTERPRISE_USER}:employeeNumber"), ()) == {
        "id": "p-1", "schemas": [USER.core.id], "emails": [{"value": "k@work.se"}, {"value": "k@home.se"}],
        ENTERPRISE_USER: {"employeeNumber": "1"}}
    trimmed = project(USER, resource, (), ("name.givenName", SAMLA_USER, "id"))
    assert trimmed["name"] == {"familyName": "Lindqvist"} and SAMLA_USER not in trimmed and trimmed["id"] == "p-1"


def test_input_is_normalised_to_declared_names_and_read_only_values_are_dropped() -> None:
    body = {"USERNAME": "k", "Emails": {"VALUE": "k@x.se"}, "id": "forged", "meta": {"version": "1"},
            "unknownThing": 1, ENTERPRISE_USER.upper(): {"MANAGER": {"value": "p-0", "displayName": "x"}}}
    assert normalize(USER, body) == {"userName": "k", "emails": [{"value": "k@x.se"}],
                                     ENTERPRISE_USER: {"manager": {"value": "p-0"}}}
    with pytest.raises(ScimError):
        normalize(USER, {"userName": ["a", "b"]})
