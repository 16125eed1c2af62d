"""Who may call what (DESIGN §7): every endpoint of the events service against every role, and without a token.

The matrix lists every operation in the OpenAPI document, so a new endpoint without an entry here fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest

from services.events.tests.conftest import Api
from services.events.tests.support.directory import Directory

# Authorization does not depend on the database: SQLite is enough here.
pytestmark = [pytest.mark.integration, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True, scope="module")]

ADMIN, FAC, LEAD, CHEF = "samla-admin", "samla-facilitator", "samla-leadership", ""
CALLERS = {"m-admin": ADMIN, "m-fac": FAC, "m-lead": LEAD, "m-chef": CHEF}
STAFF, READERS, EVERYONE = {ADMIN, FAC}, {ADMIN, FAC, LEAD}, {ADMIN, FAC, LEAD, CHEF}
# Client-credentials callers (client id, roles, scope): no events endpoint is for them, not even the people's own.
CLIENTS = {"gateway service": ("samla-gateway", ["samla-service"], "samla"),
           "integration": ("samla-integration", [], "insights:read")}

MATRIX: dict[tuple[str, str], set[str]] = {
    ("POST", "/events"): {ADMIN},
    ("GET", "/events"): READERS,
    ("GET", "/events/{event_id}"): READERS,
    ("PATCH", "/events/{event_id}"): {ADMIN},
    ("POST", "/events/{event_id}/start"): STAFF,
    ("POST", "/events/{event_id}/close"): STAFF,
    ("POST", "/events/{event_id}/archive"): {ADMIN},
    ("GET", "/events/{event_id}/agenda"): READERS,
    ("PUT", "/events/{event_id}/agenda"): STAFF,
    ("POST", "/events/{event_id}/invitations/preview"): {ADMIN},
    ("POST", "/events/{event_id}/invitations"): {ADMIN},
    ("GET", "/events/{event_id}/invitations"): {ADMIN},
    ("POST", "/events/{event_id}/reminders"): {ADMIN},
    ("GET", "/events/{event_id}/mail"): {ADMIN},
    ("GET", "/events/{event_id}/registrations"): STAFF,
    ("GET", "/events/{event_id}/waiting-list"): {ADMIN},
    ("POST", "/events/{event_id}/waiting-list/{person_id}/promote"): {ADMIN},
    ("POST", "/events/{event_id}/waiting-list/{person_id}/move"): {ADMIN},
    ("DELETE", "/events/{event_id}/waiting-list/{person_id}"): {ADMIN},
    ("POST", "/events/{event_id}/waiting-list/expire-offers"): {ADMIN},
    ("GET", "/events/{event_id}/attendees"): STAFF,
    ("POST", "/events/{event_id}/check-in"): STAFF,
    ("POST", "/events/{event_id}/check-in/walk-in"): STAFF,
    ("POST", "/events/{event_id}/check-in/batch"): STAFF,
    ("POST", "/events/{event_id}/check-in/{person_id}/undo"): STAFF,
    ("GET", "/events/{event_id}/check-in/counts"): READERS,
    ("GET", "/events/{event_id}/exports/participants.{fmt}"): {ADMIN},
    ("GET", "/events/{event_id}/exports/attendance.{fmt}"): {ADMIN},
    ("GET", "/events/{event_id}/exports/dietary"): {ADMIN},
    ("GET", "/events/{event_id}/exports/dietary.{fmt}"): {ADMIN},
    ("GET", "/events/{event_id}/exports/badges.pdf"): {ADMIN},
    ("GET", "/events/{event_id}/exports/table-cards.pdf"): {ADMIN},
    # Seating: the admin plans, changes and publishes; facilitators read the plan to run the rounds.
    ("POST", "/events/{event_id}/seating"): {ADMIN},
    ("GET", "/events/{event_id}/seating"): STAFF,
    ("POST", "/events/{event_id}/seating/changes"): {ADMIN},
    ("POST", "/events/{event_id}/seating/swap/preview"): {ADMIN},
    ("POST", "/events/{event_id}/seating/swap"): {ADMIN},
    ("POST", "/events/{event_id}/seating/publish"): {ADMIN},
    # A participant's own day: anyone signed in, about themselves (everyone here is invited).
    ("GET", "/me/events"): EVERYONE,
    ("GET", "/me/events/{event_id}"): EVERYONE,
    ("GET", "/me/events/{event_id}/qr.svg"): EVERYONE,
    ("PUT", "/me/events/{event_id}/registration"): EVERYONE,
    ("DELETE", "/me/events/{event_id}/waiting-list"): EVERYONE,
    ("POST", "/me/events/{event_id}/deputy"): EVERYONE,
    # The mail catcher: admins only once real sign-in is on (SAMLA_AUTH=oidc here).
    ("GET", "/dev/mail"): {ADMIN},
    ("GET", "/dev/mail/{mail_id}.eml"): {ADMIN},
}
OPEN = {("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics")}
SELF_OR_ADMIN = {("GET", "/people/{person_id}")}  # the directory read model, covered where it is defined


@pytest.fixture(scope="module")
def day(api: Api, directory: tuple[Directory, str]) -> str:
    d, _ = directory
    for sub in CALLERS:
        d.add_person(sub, f"Matris {sub}")
    event = api.call("POST", "/events", json={"title": "Matris", "date": "2030-11-26", "starts_at": "08:30",
                                              "ends_at": "16:00", "venue": "Stadshuset", "capacity": 10}).json()
    assert api.call("POST", f"/events/{event['id']}/invitations", json={"person_ids": list(CALLERS)}).status_code == 200
    return str(event["id"])


def test_every_route_is_in_the_matrix(api: Api) -> None:
    served = {(method.upper(), path) for path, ops in api.app.openapi()["paths"].items() for method in ops}

    assert served - OPEN - SELF_OR_ADMIN == set(MATRIX)


def _path(template: str, event_id: str) -> str:
    return (template.replace("{event_id}", event_id).replace("{person_id}", "m-chef").replace("{fmt}", "csv")
            .replace("{mail_id}", "1"))


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]} {r[1]}")
def test_each_role_is_let_in_or_refused_as_the_matrix_says(api: Api, day: str, route: tuple[str, str]) -> None:
    method, template = route
    path = _path(template, day)
    body: dict[str, Any] | None = None if method in ("GET", "DELETE") else {}

    assert api.client.request(method, path, json=body).status_code == 401
    for sub, role in CALLERS.items():
        response = api.call(method, path, sub=sub, roles=[role] if role else [], json=body)
        if role in MATRIX[route]:
            assert response.status_code not in (401, 403), (sub, response.text)
        else:
            assert response.status_code == 403, (sub, response.status_code, response.text)
    for name, (client_id, roles, scope) in CLIENTS.items():
        token = api.issuer.token(sub=client_id, azp=client_id, roles=roles, scope=scope)
        response = api.client.request(method, path, headers={"authorization": f"Bearer {token}"}, json=body)
        assert response.status_code == 403, (name, response.status_code, response.text)
