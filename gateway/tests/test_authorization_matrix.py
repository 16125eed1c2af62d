"""Every gateway route × every role → the status it must answer (DESIGN §7). The routes are read from the app, so a
route added without an expectation here fails `test_every_route_has_an_expectation`.

Access classes: ANYONE; PERSON (a page for any signed-in person: anonymous → sign-in page); ADMIN (a page for
samla-admin: other people → 403); STAFF (a page for those who run the day, samla-admin and samla-facilitator: other
people → 403); CALLER (an API for any verified caller: anonymous → 401 problem, otherwise the
service behind decides). People sign in through the real dev sign-in, and again after a cell signed them out.
An integration client (a client-credentials token with the scope insights:read, nobody signed in behind it) calls
with its bearer token and no cookies: the APIs pass it on to the service behind, and no page is shown to it (it is
sent to sign in, like anyone who is not a signed-in person). Pages open to anyone are not asked on its behalf.
A refusal must come from the gateway itself: no request may reach a service first (identity refuses many of the
same people again, which would hide a missing check here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from prometheus_client import REGISTRY
from starlette.routing import Mount

from gateway.tests.conftest import MakeGateway
from gateway.tests.support import ROLE_PEOPLE, Browser, Identity, start_beside
from samla_gateway.config import SERVICES

ANYONE, PERSON, ADMIN, STAFF, CALLER = "anyone", "person", "admin", "staff", "caller"
STAFF_ROLES = ("samla-admin", "samla-facilitator")
DAY = "/chefsdagar/no-such-day"  # a day events does not know: callers who may ask get its 404 page
ANONYMOUS = "anonymous"
CLIENT = "samla-integration"  # the dev issuer's integration client: scope insights:read, no roles
ROLES = [ANONYMOUS, *ROLE_PEOPLE, CLIENT]
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ADMIN_SENT_ON = {"samla-admin": 303}  # a member's page of a network: an admin is sent to its admin page


@dataclass(frozen=True)
class Case:
    access: str
    path: str  # the request to send (templates filled in)
    ok: int  # the status when the caller may call it
    form: dict[str, str] | None = None  # sent with the caller's CSRF token
    by_role: dict[str, int] = field(default_factory=dict)  # where the service behind answers differently


EXPECTED: dict[tuple[str, str], Case] = {
    ("GET", "/"): Case(ANYONE, "/", 200),
    ("GET", "/logga-in"): Case(ANYONE, "/logga-in", 200),
    ("POST", "/logga-in"): Case(ANYONE, "/logga-in", 303, form={"person_id": "p-nobody"}),
    ("GET", "/auth/login"): Case(ANYONE, "/auth/login", 303),  # dev mode: on to /logga-in
    ("GET", "/auth/callback"): Case(ANYONE, "/auth/callback", 404),  # dev mode: no IdP to come back from
    ("POST", "/logga-ut"): Case(ANYONE, "/logga-ut", 303, form={}),
    ("POST", "/auth/backchannel-logout"): Case(ANYONE, "/auth/backchannel-logout", 400),
    ("GET", "/auth/session"): Case(CALLER, "/auth/session", 200),
    ("GET", "/utloggad"): Case(ANYONE, "/utloggad", 200),
    ("GET", "/tillganglighet"): Case(ANYONE, "/tillganglighet", 200),
    ("GET", "/min-profil"): Case(PERSON, "/min-profil", 200),
    ("GET", "/katalog"): Case(ADMIN, "/katalog?q=a", 200),
    ("GET", "/katalog/import"): Case(ADMIN, "/katalog/import", 200),
    ("POST", "/katalog/import"): Case(ADMIN, "/katalog/import", 400, form={}),  # no file chosen
    ("POST", "/katalog/import/{import_id}/commit"): Case(ADMIN, "/katalog/import/no-such-import/commit", 404,
                                                         form={}),
    ("GET", "/katalog/synk"): Case(ADMIN, "/katalog/synk", 200),
    # Identity has no Keycloak configured here and says so (503 problem), which the page shows as a 400.
    ("POST", "/katalog/synk"): Case(ADMIN, "/katalog/synk", 400, form={"dry_run": "true"}),
    # Chefsdagar (admin): events answers for real; the pages of an unknown day are 404 pages.
    ("GET", "/chefsdagar"): Case(ADMIN, "/chefsdagar", 200),
    ("GET", "/chefsdagar/ny"): Case(ADMIN, "/chefsdagar/ny", 200),
    ("POST", "/chefsdagar"): Case(ADMIN, "/chefsdagar", 400, form={}),  # nothing filled in
    ("GET", "/chefsdagar/{event_id}"): Case(ADMIN, DAY, 404),
    ("POST", "/chefsdagar/{event_id}/status"): Case(ADMIN, f"{DAY}/status", 404, form={"to": "ongoing"}),
    ("GET", "/chefsdagar/{event_id}/program"): Case(ADMIN, f"{DAY}/program", 404),
    ("POST", "/chefsdagar/{event_id}/program"): Case(ADMIN, f"{DAY}/program", 404, form={}),
    ("GET", "/chefsdagar/{event_id}/inbjudningar"): Case(ADMIN, f"{DAY}/inbjudningar", 404),
    ("POST", "/chefsdagar/{event_id}/inbjudningar/forhandsgranska"): Case(
        ADMIN, f"{DAY}/inbjudningar/forhandsgranska", 404, form={"scope": "all"}),
    ("POST", "/chefsdagar/{event_id}/inbjudningar"): Case(ADMIN, f"{DAY}/inbjudningar", 404, form={"scope": "all"}),
    ("GET", "/chefsdagar/{event_id}/anmalningar"): Case(ADMIN, f"{DAY}/anmalningar", 404),
    ("POST", "/chefsdagar/{event_id}/vantelista/{person_id}/ge-plats"): Case(
        ADMIN, f"{DAY}/vantelista/p-chef/ge-plats", 404, form={}),
    ("POST", "/chefsdagar/{event_id}/vantelista/{person_id}/ta-bort"): Case(
        ADMIN, f"{DAY}/vantelista/p-chef/ta-bort", 404, form={}),
    ("GET", "/chefsdagar/{event_id}/export"): Case(ADMIN, f"{DAY}/export", 404),
    ("GET", "/chefsdagar/{event_id}/placering"): Case(ADMIN, f"{DAY}/placering", 404),
    ("POST", "/chefsdagar/{event_id}/placering"): Case(ADMIN, f"{DAY}/placering", 404, form={}),
    ("POST", "/chefsdagar/{event_id}/placering/publicera"): Case(ADMIN, f"{DAY}/placering/publicera", 404, form={}),
    ("GET", "/chefsdagar/{event_id}/andra"): Case(ADMIN, f"{DAY}/andra", 404),
    ("POST", "/chefsdagar/{event_id}/andra"): Case(ADMIN, f"{DAY}/andra", 404, form={}),
    ("GET", "/chefsdagar/{event_id}/placering/sena-andringar"): Case(ADMIN, f"{DAY}/placering/sena-andringar", 404),
    ("POST", "/chefsdagar/{event_id}/placering/sena-andringar"): Case(ADMIN, f"{DAY}/placering/sena-andringar", 404,
                                                                    form={}),
    ("GET", "/chefsdagar/{event_id}/placering/byt"): Case(ADMIN, f"{DAY}/placering/byt", 404),
    ("POST", "/chefsdagar/{event_id}/placering/byt/forhandsgranska"): Case(
        ADMIN, f"{DAY}/placering/byt/forhandsgranska", 404, form={"round": "1", "person_a": "p-chef",
                                                                 "person_b": "p-forv"}),
    ("POST", "/chefsdagar/{event_id}/placering/byt"): Case(ADMIN, f"{DAY}/placering/byt", 404,
                                                          form={"round": "1", "person_a": "p-chef",
                                                                "person_b": "p-forv"}),
    # A day's evaluation report is for samla-admin, -facilitator and -leadership, but the gateway lets every person
    # through and feedback refuses managers. Feedback reports on any day id, even one events does not know.
    ("GET", "/chefsdagar/{event_id}/rapport"): Case(PERSON, f"{DAY}/rapport", 200, by_role={"manager": 403}),
    ("GET", "/chefsdagar/{event_id}/rapport.pdf"): Case(PERSON, f"{DAY}/rapport.pdf", 200, by_role={"manager": 403}),
    ("GET", "/chefsdagar/{event_id}/rapport/diagram/{prompt_id}.svg"): Case(
        PERSON, f"{DAY}/rapport/diagram/no-such-prompt.svg", 404, by_role={"manager": 403}),
    # Dialog and questions on the participant's phone: every signed-in person; feedback decides per day.
    ("GET", "/dag/{event_id}/dialog"): Case(PERSON, "/dag/no-such-day/dialog", 404),
    ("GET", "/dag/{event_id}/dialog/oppna"): Case(PERSON, "/dag/no-such-day/dialog/oppna", 200),
    ("POST", "/dag/{event_id}/dialog/svarskod"): Case(PERSON, "/dag/no-such-day/dialog/svarskod", 404, form={}),
    ("POST", "/dag/{event_id}/dialog/{prompt_id}"): Case(PERSON, "/dag/no-such-day/dialog/no-such-prompt", 404,
                                                         form={}),
    ("GET", "/dag/{event_id}/fragor"): Case(PERSON, "/dag/no-such-day/fragor", 404),
    # Asking is not checked against the day: feedback takes a question for a day events does not know.
    ("POST", "/dag/{event_id}/fragor"): Case(PERSON, "/dag/no-such-day/fragor", 303, form={"text": "Varför?"}),
    ("POST", "/dag/{event_id}/fragor/{question_id}/rost"): Case(PERSON, "/dag/no-such-day/fragor/no-such-q/rost", 404,
                                                                form={}),
    # Dialogue control and the big screen: those who run the day.
    ("GET", "/dialog"): Case(STAFF, "/dialog", 200),
    ("GET", "/dialog/{event_id}"): Case(STAFF, "/dialog/no-such-day", 404),
    ("GET", "/dialog/{event_id}/storskarm"): Case(STAFF, "/dialog/no-such-day/storskarm", 404),
    ("GET", "/dialog/{event_id}/qr.svg"): Case(STAFF, "/dialog/no-such-day/qr.svg", 200),  # drawn from the address
    ("POST", "/dialog/{event_id}/ny"): Case(STAFF, "/dialog/no-such-day/ny", 404, form={"kind": "scale"}),
    ("POST", "/dialog/{event_id}/fraga/{prompt_id}/{action}"): Case(STAFF, "/dialog/no-such-day/fraga/no-such-prompt/"
                                                                    "oppna", 404, form={}),
    ("POST", "/dialog/{event_id}/utvardering"): Case(STAFF, "/dialog/no-such-day/utvardering", 404, form={}),
    ("POST", "/dialog/{event_id}/utvardering/{action}"): Case(STAFF, "/dialog/no-such-day/utvardering/oppna", 404,
                                                              form={}),
    ("POST", "/dialog/{event_id}/modera/{question_id}"): Case(STAFF, "/dialog/no-such-day/modera/no-such-q", 404,
                                                              form={"action": "approve"}),
    # Budget and vision processes: any signed-in person, since a process's owner may be any manager; feedback
    # decides per process (the owner, staff and leadership read the report; the owner and leadership decide) and
    # refuses a role before it looks the process up.
    ("GET", "/processer"): Case(PERSON, "/processer", 200),
    ("GET", "/processer/{process_id}"): Case(PERSON, "/processer/no-such-process", 404),
    ("GET", "/processer/{process_id}/uppfoljning"): Case(PERSON, "/processer/no-such-process/uppfoljning", 404),
    ("GET", "/processer/{process_id}/rapport"): Case(PERSON, "/processer/no-such-process/rapport", 404,
                                                     by_role={"manager": 403}),
    ("GET", "/processer/{process_id}/rapport.pdf"): Case(PERSON, "/processer/no-such-process/rapport.pdf", 404,
                                                         by_role={"manager": 403}),
    ("POST", "/processer/{process_id}/beslut/{subject_id}"): Case(
        PERSON, "/processer/no-such-process/beslut/no-such-theme", 404, form={"status": "decided", "response": "Ja."},
        by_role={"manager": 403, "samla-admin": 403, "samla-facilitator": 403}),
    # Leadership networks, the admin's side: matching runs, groups, health.
    ("GET", "/natverk"): Case(ADMIN, "/natverk", 200),
    ("GET", "/natverk/halsa"): Case(ADMIN, "/natverk/halsa", 200),
    ("GET", "/natverk/korningar/ny"): Case(ADMIN, "/natverk/korningar/ny", 200),
    ("POST", "/natverk/korningar"): Case(ADMIN, "/natverk/korningar", 400, form={}),
    ("GET", "/natverk/korningar/{run_id}"): Case(ADMIN, "/natverk/korningar/no-such-run", 404),
    ("GET", "/natverk/korningar/{run_id}/forlopp"): Case(ADMIN, "/natverk/korningar/no-such-run/forlopp", 404),
    ("POST", "/natverk/korningar/{run_id}/starta"): Case(ADMIN, "/natverk/korningar/no-such-run/starta", 404, form={}),
    ("POST", "/natverk/korningar/{run_id}/stoppa"): Case(ADMIN, "/natverk/korningar/no-such-run/stoppa", 404, form={}),
    ("POST", "/natverk/korningar/{run_id}/byt/forhandsgranska"): Case(
        ADMIN, "/natverk/korningar/no-such-run/byt/forhandsgranska", 404, form={"person_a": "p-chef",
                                                                                "person_b": "p-forv"}),
    ("POST", "/natverk/korningar/{run_id}/byt"): Case(ADMIN, "/natverk/korningar/no-such-run/byt", 404,
                                                      form={"person_a": "p-chef", "person_b": "p-forv"}),
    ("POST", "/natverk/korningar/{run_id}/publicera"): Case(ADMIN, "/natverk/korningar/no-such-run/publicera", 404,
                                                            form={}),
    ("GET", "/natverk/grupper/{group_id}"): Case(ADMIN, "/natverk/grupper/no-such-group", 404),
    ("POST", "/natverk/grupper/{group_id}/ta-bort"): Case(ADMIN, "/natverk/grupper/no-such-group/ta-bort", 404,
                                                          form={"person_id": "p-chef"}),
    ("POST", "/natverk/grupper/{group_id}/upplos"): Case(ADMIN, "/natverk/grupper/no-such-group/upplos", 404, form={}),
    ("POST", "/natverk/grupper/{group_id}/sla-ihop"): Case(ADMIN, "/natverk/grupper/no-such-group/sla-ihop", 404,
                                                           form={"other_group_id": "no-other-group"}),
    ("GET", "/natverk/traffa-ledningen"): Case(ADMIN, "/natverk/traffa-ledningen", 200),
    ("POST", "/natverk/traffa-ledningen"): Case(ADMIN, "/natverk/traffa-ledningen", 400, form={}),  # no period
    ("GET", "/natverk/pulser"): Case(ADMIN, "/natverk/pulser", 200),
    ("POST", "/natverk/pulser"): Case(ADMIN, "/natverk/pulser", 400, form={}),  # no cohort, no period
    ("GET", "/natverk/pulser/{pulse_id}"): Case(ADMIN, "/natverk/pulser/no-such-pulse", 404),
    ("POST", "/natverk/pulser/{pulse_id}/stang"): Case(ADMIN, "/natverk/pulser/no-such-pulse/stang", 404, form={}),
    # Leadership networks, the member's side: every signed-in person; network decides who is a member. An admin
    # who is not a member of the network is sent to the admin's view of it.
    ("GET", "/mitt-natverk"): Case(PERSON, "/mitt-natverk", 200),
    ("GET", "/mitt-natverk/profil"): Case(PERSON, "/mitt-natverk/profil", 200),
    ("POST", "/mitt-natverk/profil"): Case(PERSON, "/mitt-natverk/profil", 400, form={}),
    ("GET", "/natverk/{group_id}"): Case(PERSON, "/natverk/no-such-group", 404, by_role=ADMIN_SENT_ON),
    ("GET", "/natverk/{group_id}/forsta-traffen.ics"): Case(PERSON, "/natverk/no-such-group/forsta-traffen.ics", 404),
    ("POST", "/natverk/{group_id}/traffar"): Case(PERSON, "/natverk/no-such-group/traffar", 404, form={},
                                                  by_role=ADMIN_SENT_ON),
    ("POST", "/natverk/{group_id}/avstamning"): Case(PERSON, "/natverk/no-such-group/avstamning", 404,
                                                     form={"period": "2026-01", "met": "yes"}, by_role=ADMIN_SENT_ON),
    ("POST", "/natverk/{group_id}/lamna"): Case(PERSON, "/natverk/no-such-group/lamna", 404, form={"confirm": "yes"},
                                                by_role=ADMIN_SENT_ON),
    # A pulse that does not ask the person (or does not exist) is a 404 on "Mitt nätverk".
    ("POST", "/mitt-natverk/pulser/{pulse_id}"): Case(PERSON, "/mitt-natverk/pulser/no-such-pulse", 404,
                                                      form={"met": "nej"}),
    # "Min dag": every signed-in person; a day they are not invited to is a 404 page.
    ("GET", "/min-dag"): Case(PERSON, "/min-dag", 200),
    ("GET", "/dag/{event_id}"): Case(PERSON, "/dag/no-such-day", 404),
    ("POST", "/dag/{event_id}/svar"): Case(PERSON, "/dag/no-such-day/svar", 404, form={"attending": "no"}),
    ("POST", "/dag/{event_id}/lamna-vantelistan"): Case(PERSON, "/dag/no-such-day/lamna-vantelistan", 404, form={}),
    ("POST", "/dag/{event_id}/ersattare"): Case(PERSON, "/dag/no-such-day/ersattare", 404,
                                               form={"email": "nobody@testby.se"}),
    # The doors: admins and facilitators.
    ("GET", "/incheckning"): Case(STAFF, "/incheckning", 200),
    ("GET", "/incheckning/{event_id}"): Case(STAFF, "/incheckning/no-such-day?q=Maja", 404),
    ("GET", "/incheckning/{event_id}/lage"): Case(STAFF, "/incheckning/no-such-day/lage", 404),
    ("POST", "/incheckning/{event_id}/checka-in"): Case(STAFF, "/incheckning/no-such-day/checka-in", 404,
                                                        form={"person_id": "p-chef"}),
    ("POST", "/incheckning/{event_id}/angra"): Case(STAFF, "/incheckning/no-such-day/angra", 404,
                                                    form={"person_id": "p-chef"}),
    ("POST", "/incheckning/{event_id}/pa-plats"): Case(STAFF, "/incheckning/no-such-day/pa-plats", 404,
                                                       form={"person_id": "p-chef"}),
    ("GET", "/healthz"): Case(ANYONE, "/healthz", 200),
    ("GET", "/readyz"): Case(ANYONE, "/readyz", 503),  # the broker is not running
    ("GET", "/metrics"): Case(ANYONE, "/metrics", 200),
    ("GET", "/openapi.json"): Case(ANYONE, "/openapi.json", 200),
    ("GET", "/static"): Case(ANYONE, "/static/samla.css", 200),
    # Identity answers "me" for people only: the integration client is passed on and refused there.
    ("GET", "/api/{service}/{path:path}"): Case(CALLER, "/api/identity/people/me", 200, by_role={CLIENT: 403}),
    # Live streams never end for a caller who may watch; a malformed event id gets its 422 instead.
    ("GET", "/live/events/{event_id}/board"): Case(CALLER, "/live/events/no%20such%20day/board", 422),
    ("GET", "/live/events/{event_id}/prompts"): Case(CALLER, "/live/events/no%20such%20day/prompts", 422),
    # SCIM is for provisioning clients: identity lets samla-admin (and services) in, and refuses other people.
    ("GET", "/scim/v2/{path:path}"): Case(CALLER, "/scim/v2/ServiceProviderConfig", 403,
                                          by_role={"samla-admin": 200}),
    # /org-units answers GET only: a write reaching identity is refused there with 405, not at the gateway.
    **{(m, "/api/{service}/{path:path}"): Case(CALLER, "/api/identity/org-units", 405) for m in WRITE_METHODS},
    **{(m, "/scim/v2/{path:path}"): Case(CALLER, "/scim/v2/ServiceProviderConfig", 405) for m in WRITE_METHODS},
}


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route, routers included (FastAPI includes them lazily)."""
    routes: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            routes.add(("GET", str(route.path)))
        else:
            routes |= {(method, str(route.path)) for method in route.methods or () if method != "HEAD"}
    return routes


def expected_status(case: Case, role: str) -> int:
    if role in (ANONYMOUS, CLIENT) and case.access in (PERSON, ADMIN, STAFF):
        return 303  # to the sign-in page
    if role == ANONYMOUS and case.access == CALLER:
        return 401
    if (case.access == ADMIN and role != "samla-admin") or (case.access == STAFF and role not in STAFF_ROLES):
        return 403
    return case.by_role.get(role, case.ok)


def refused_at_the_gateway(case: Case, role: str) -> bool:
    return ((role == ANONYMOUS and case.access != ANYONE) or (role == CLIENT and case.access != CALLER)
            or (case.access == ADMIN and role != "samla-admin")
            or (case.access == STAFF and role not in STAFF_ROLES))


def send(browser: Browser, method: str, case: Case, token: str) -> Any:
    client = browser.client
    if case.form is not None:
        return client.request(method, case.path, data=case.form | {"csrf_token": token}, follow_redirects=False)
    # A page's script sends the session's CSRF token with API writes, as htmx does.
    return client.request(method, case.path, headers={"x-csrf-token": token}, follow_redirects=False)


def test_every_route_has_an_expectation(gateway: Browser) -> None:
    routes = app_routes(gateway.client.app)  # type: ignore[arg-type]

    missing, stale = routes - set(EXPECTED), set(EXPECTED) - routes

    assert not missing, f"routes without an expectation in the authorization matrix: {sorted(missing)}"
    assert not stale, f"expectations for routes that no longer exist: {sorted(stale)}"


@pytest.fixture(scope="module")
def service_urls(identity: Identity) -> dict[str, str]:
    """Feedback and network beside identity and events, so their pages answer for real (a 404 page, a refusal)."""
    ports = identity.stack.ports
    return {"feedback_url": start_beside(identity, "feedback"), "network_url": start_beside(identity, "network"),
            "network_grpc_target": f"127.0.0.1:{ports.grpc('network')}"}


@pytest.mark.parametrize("role", ROLES)
def test_each_route_answers_each_role_as_expected(make_gateway: MakeGateway, identity: Identity,
                                                  service_urls: dict[str, str], role: str) -> None:
    browser = make_gateway(**service_urls)
    upstream: list[str] = []

    async def record(request: httpx.Request) -> None:
        upstream.append(f"{request.method} {request.url}")

    state = browser.client.app.state  # type: ignore[attr-defined]
    state.http.event_hooks["request"].append(record)

    def proxied() -> float:  # what the API proxy (aiohttp, no request hooks) sent on, from its own counter
        return sum(REGISTRY.get_sample_value("samla_gateway_upstream_requests_total", {"service": s}) or 0
                   for s in SERVICES)

    if role == CLIENT:
        browser.client.headers["authorization"] = f"Bearer {identity.service_token(CLIENT)}"
    failures = []
    token = ""
    for (method, template), case in sorted(EXPECTED.items()):
        if role == CLIENT and case.access == ANYONE:
            continue  # the sign-in forms and open pages are for browsers
        if role != CLIENT and (not token or (role != ANONYMOUS and not browser.session_cookie())):
            if role != ANONYMOUS:  # the last cell signed them out
                assert browser.sign_in(ROLE_PEOPLE[role]).status_code == 303
            token = browser.csrf("/")
        want = expected_status(case, role)
        upstream.clear()
        sent_before = proxied()

        resp = send(browser, method, case, token)
        if proxied() > sent_before:
            upstream.append(f"{method} {case.path} (API proxy)")

        location = resp.headers.get("location", "")
        refused = refused_at_the_gateway(case, role)
        if resp.status_code != want:
            failures.append(f"{method} {template} as {role}: {resp.status_code}, expected {want}: {resp.text[:160]}")
        elif want == 303 and refused and not location.startswith("/logga-in?next="):
            failures.append(f"{method} {template} as {role}: redirected to {location!r}, not to sign-in")
        elif refused and upstream:
            failures.append(f"{method} {template} as {role}: asked {upstream} before refusing")
    assert not failures, "\n".join(failures)
