"""OpenAPI text for the SCIM routes: who may call them and example bodies (STYLE 11)."""

from __future__ import annotations

from typing import Any

from samla_identity.scim.attributes import CORE_GROUP, CORE_USER, ENTERPRISE_USER, SAMLA_GROUP, SAMLA_USER

ROLES = "Scope scim:provision, or roles samla-service or samla-admin."

_USER = {
    "schemas": [CORE_USER, ENTERPRISE_USER, SAMLA_USER],
    "userName": "karin.lindqvist@kommun.example", "externalId": "8f0c2b1e",
    "name": {"givenName": "Karin", "familyName": "Lindqvist"}, "displayName": "Karin Lindqvist",
    "title": "Rektor", "preferredLanguage": "sv", "active": True,
    "emails": [{"value": "karin.lindqvist@kommun.example", "type": "work", "primary": True}],
    "addresses": [{"type": "work", "locality": "Centrum"}],
    ENTERPRISE_USER: {"employeeNumber": "10423", "department": "Utbildningsförvaltningen",
                      "manager": {"value": "p-1001"}},
    SAMLA_USER: {"level": "enhetschef", "languages": ["sv", "en"]},
}
_GROUP = {"schemas": [CORE_GROUP, SAMLA_GROUP], "displayName": "Grundskola Norr", "externalId": "hr-4711",
          SAMLA_GROUP: {"kind": "avdelning", "parent": {"value": "ou-utb"}}}
_PATCH = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
    {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "karin.l@kommun.example"},
    {"op": "replace", "path": "active", "value": False}]}
_SEARCH = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
           "filter": "userName sw \"karin\" and active eq true", "sortBy": "userName", "startIndex": 1, "count": 50}
_BULK = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "failOnErrors": 1, "Operations": [
    {"method": "POST", "path": "/Groups", "bulkId": "g1", "data": _GROUP},
    {"method": "POST", "path": "/Users", "bulkId": "u1",
     "data": {**_USER, ENTERPRISE_USER: {"department": "bulkId:g1"}}}]}


def _body(example: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {
        "application/scim+json": {"schema": {"type": "object"}, "example": example}}}}


BODY_EXAMPLES = {"User": _body(_USER), "Group": _body(_GROUP), "patch": _body(_PATCH), "search": _body(_SEARCH),
                 "bulk": _body(_BULK)}
