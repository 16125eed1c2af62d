"""An authorization matrix generated from a service's OpenAPI document: every endpoint × every kind of caller.

A rule says who may call an endpoint. An endpoint without a rule fails the test, so a new endpoint cannot ship
without someone deciding who may use it. "Allowed" means the answer is neither 401 nor 403 (it may well be
404 or 422 for the dummy input); "refused" means 401 for anonymous callers and 403 for signed-in ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

PUBLIC = "public"  # everyone, signed in or not
SIGNED_IN = "signed-in"  # any valid token
PERSON = "person"  # any person signed in; client-credentials callers (services, integrations) are refused
CLIENT_AUTH = "client-auth"  # HTTP Basic client credentials, not bearer tokens: refuses every bearer caller with 401
SELF = "self"  # the person named by {person_id} in the path

CALLERS: dict[str, dict[str, Any]] = {
    "anonymous": {},
    "manager": {"sub": "p-matrix-manager", "roles": []},
    "admin": {"sub": "p-matrix-admin", "roles": ["samla-admin"]},
    "facilitator": {"sub": "p-matrix-facilitator", "roles": ["samla-facilitator"]},
    "leadership": {"sub": "p-matrix-leader", "roles": ["samla-leadership"]},
    "service": {"sub": "samla-events", "azp": "samla-events", "roles": ["samla-service"]},
    "integration": {"sub": "samla-integration", "azp": "samla-integration", "roles": [], "scope": "insights:read"},
    "provisioner": {"sub": "entra-provisioning", "azp": "entra-provisioning", "roles": [],
                    "scope": "scim:provision"},
}
CLIENTS = {"service", "integration", "provisioner"}  # client-credentials tokens: nobody signed in behind them


@dataclass(frozen=True)
class Case:
    method: str
    path: str
    caller: str
    allowed: bool
    url: str


def endpoints(openapi: dict[str, Any]) -> list[tuple[str, str]]:
    return [(method.upper(), path) for path, ops in openapi["paths"].items() for method in ops]


def cases(openapi: dict[str, Any], rules: dict[str, set[str]]) -> tuple[list[Case], list[str]]:
    """Expands rules into cases; returns (cases, endpoints without a rule)."""
    out: list[Case] = []
    missing: list[str] = []
    for method, path in endpoints(openapi):
        key = f"{method} {path}"
        if key not in rules:
            missing.append(key)
            continue
        allowed = rules[key]
        for caller, claims in CALLERS.items():
            url = _fill(path, other="p-matrix-other")
            person = caller not in CLIENTS and caller != "anonymous"
            ok = PUBLIC in allowed or (caller != "anonymous" and (SIGNED_IN in allowed or caller in allowed)) \
                or (person and PERSON in allowed)
            if CLIENT_AUTH in allowed:
                ok = False
            out.append(Case(method, path, caller, ok, url))
            if SELF in allowed and "{person_id}" in path and caller != "anonymous":
                # A client whose id happens to be a person's id is still not that person.
                out.append(Case(method, path, f"{caller} (self)", person or caller in allowed,
                                _fill(path, other=claims["sub"])))
    return out, missing


def _fill(path: str, *, other: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: other if m.group(1) == "person_id" else f"x-{m.group(1)}", path)
