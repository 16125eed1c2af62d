"""The SCIM 2.0 server over real HTTP (uvicorn), on SQLite and PostgreSQL: what Entra ID and HR systems rely on."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.integration

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SAMLA = "urn:samla:params:scim:schemas:extension:samla:2.0:User"
SAMLA_GROUP = "urn:samla:params:scim:schemas:extension:samla:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Scim:
    """A running identity service and a way to sign tokens for callers with given roles or scopes."""

    base: str
    database_url: str
    mint: Callable[..., str]

    def client(self, *, roles: tuple[str, ...] = ("samla-service",), scope: str = "") -> httpx.Client:
        token = self.mint(roles=roles, scope=scope)
        return httpx.Client(base_url=f"{self.base}/scim/v2", timeout=30,
                            headers={"authorization": f"Bearer {token}", "content-type": "application/scim+json"})

    def outbox(self, topic: str = "identity.person.v1") -> list[tuple[str, str]]:
        """(type, key) of every event in the outbox for `topic`, in order."""
        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT type, key FROM outbox WHERE topic = :t ORDER BY id"), {"t": topic})
                return [(r[0], r[1]) for r in rows]
        finally:
            engine.dispose()


@pytest.fixture
def scim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[Scim]:
    """The identity app on a real port (its dev issuer signs the tokens), on SQLite and PostgreSQL."""
    http_port = _free_port()
    monkeypatch.setenv("SAMLA_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("SAMLA_IDENTITY_DATABASE_URL", database_url)
    monkeypatch.setenv("SAMLA_IDENTITY_GRPC_PORT", str(_free_port()))
    monkeypatch.setenv("SAMLA_IDENTITY_RELAY_ENABLED", "false")
    monkeypatch.setenv("SAMLA_IDENTITY_KAFKA_CONSUMER_ENABLED", "false")
    monkeypatch.setenv("SAMLA_CLIENT_SECRET", "test-secret")
    monkeypatch.setenv("OIDC_ISSUER", f"http://127.0.0.1:{http_port}/dev")
    from samla_common.migrations import upgrade
    from samla_identity import config

    config.get_settings.cache_clear()
    upgrade("identity", database_url)
    from samla_common.service import create_app
    from samla_identity.devauth import router as devauth
    from samla_identity.main import build

    devauth.signing_key.cache_clear()
    app = create_app(build())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=http_port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)

    def mint(*, roles: tuple[str, ...] = (), scope: str = "") -> str:
        claims: dict[str, Any] = {"azp": "scim-test", "realm_access": {"roles": list(roles)}, "scope": scope}
        return devauth.mint(settings=config.get_settings(), sub="scim-client", claims=claims)[0]

    yield Scim(f"http://127.0.0.1:{http_port}", database_url, mint)
    server.should_exit = True
    thread.join(timeout=10)
    config.get_settings.cache_clear()


def user(user_name: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"schemas": [USER, ENTERPRISE, SAMLA], "userName": user_name,
                            "name": {"givenName": "Karin", "familyName": "Lindqvist"},
                            "displayName": "Karin Lindqvist", "title": "Rektor", "active": True,
                            "emails": [{"value": user_name, "type": "work", "primary": True}]}
    body.update(extra)
    return body


def group(name: str, kind: str = "forvaltning", parent: str | None = None) -> dict[str, Any]:
    extension: dict[str, Any] = {"kind": kind}
    if parent:
        extension["parent"] = {"value": parent}
    return {"schemas": [GROUP, SAMLA_GROUP], "displayName": name, SAMLA_GROUP: extension}


def patch(*operations: dict[str, Any]) -> dict[str, Any]:
    return {"schemas": [PATCH], "Operations": list(operations)}


def assert_error(response: httpx.Response, status: int, scim_type: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/scim+json")
    body: dict[str, Any] = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status) and body["detail"]
    assert body.get("scimType") == scim_type
    return body


def test_a_user_is_created_read_and_mapped_onto_the_directory(scim: Scim) -> None:
    with scim.client() as c:
        unit = c.post("/Groups", json=group("Utbildningsförvaltningen")).json()
        boss = c.post("/Users", json=user("chef@kommun.example", displayName="Chefen Chefsson")).json()
        created = c.post("/Users", json=user(
            "karin@kommun.example", externalId="entra-42", preferredLanguage="sv",
            addresses=[{"type": "work", "locality": "Centrum"}],
            **{ENTERPRISE: {"employeeNumber": "10423", "department": "Utbildningsförvaltningen",
                            "manager": {"value": boss["id"]}},
               SAMLA: {"level": "enhetschef", "languages": ["en"]}}))
        assert created.status_code == 201, created.text
        body = created.json()
        assert created.headers["location"] == body["meta"]["location"] == f"{c.base_url}Users/{body['id']}".replace(
            "v2Users", "v2/Users")
        assert created.headers["etag"] == body["meta"]["version"] == 'W/"1"'
        read = c.get(f"/Users/{body['id']}").json()
    assert read["userName"] == "karin@kommun.example" and read["externalId"] == "entra-42"
    assert read["name"] == {"givenName": "Karin", "familyName": "Lindqvist"}
    assert read["emails"] == [{"value": "karin@kommun.example", "type": "work", "primary": True}]
    assert read["addresses"][0]["locality"] == "Centrum" and read["preferredLanguage"] == "sv"
    assert read[ENTERPRISE]["department"] == "Utbildningsförvaltningen"
    assert read[ENTERPRISE]["manager"]["value"] == boss["id"]
    assert read[ENTERPRISE]["manager"]["displayName"] == "Chefen Chefsson"
    assert read[SAMLA] == {"level": "enhetschef", "languages": ["en"], "subject": body["id"]}
    engine = create_engine(scim.database_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT name, org_unit_id, manager_id, source, employee_number FROM people "
                                "WHERE id = :i"), {"i": body["id"]}).one()
    engine.dispose()
    assert tuple(row) == ("Karin Lindqvist", unit["id"], boss["id"], "scim", "10423")


def test_a_subject_sent_at_creation_becomes_the_id(scim: Scim) -> None:
    with scim.client() as c:
        r = c.post("/Users", json=user("sub@kommun.example", **{SAMLA: {"subject": "kc-7f3a"}}))
        assert r.status_code == 201 and r.json()["id"] == "kc-7f3a"
        changed = c.put("/Users/kc-7f3a", json=user("sub@kommun.example", **{SAMLA: {"subject": "other"}}))
        assert_error(changed, 400, "mutability")


def test_a_duplicate_user_name_is_a_uniqueness_conflict_in_any_case(scim: Scim) -> None:
    with scim.client() as c:
        first = c.post("/Users", json=user("Anna.Berg@kommun.example")).json()
        dup = c.post("/Users", json=user("anna.berg@KOMMUN.example"))
        body = assert_error(dup, 409, "uniqueness")
        assert first["id"] in body["detail"]
        other = c.post("/Users", json=user("other@kommun.example")).json()
        taken = c.patch(f"/Users/{other['id']}", json=patch({"op": "replace", "path": "userName",
                                                              "value": "ANNA.BERG@kommun.example"}))
        assert_error(taken, 409, "uniqueness")


def test_put_replaces_and_an_identical_put_publishes_nothing(scim: Scim) -> None:
    with scim.client() as c:
        body = user("put@kommun.example")
        created = c.post("/Users", json=body).json()
        replaced = c.put(f"/Users/{created['id']}", json={**body, "title": "Förskolechef"})
        assert replaced.status_code == 200 and replaced.json()["title"] == "Förskolechef"
        assert replaced.json()["meta"]["version"] == 'W/"2"'
        again = c.put(f"/Users/{created['id']}", json={**body, "title": "Förskolechef"})
        assert again.json()["meta"]["version"] == 'W/"2"'
        dropped = c.put(f"/Users/{created['id']}", json={"schemas": [USER], "userName": "put@kommun.example"})
        assert "title" not in dropped.json() and "emails" not in dropped.json()
    assert scim.outbox() == [("se.samla.identity.person.upserted.v1", created["id"])] * 3


def test_patch_follows_rfc_paths_and_entra_habits(scim: Scim) -> None:
    with scim.client() as c:
        boss = c.post("/Users", json=user("boss@kommun.example")).json()
        created = c.post("/Users", json=user("p@kommun.example", emails=[])).json()
        uid = created["id"]
        added = c.patch(f"/Users/{uid}", json=patch(
            {"op": "Add", "path": 'emails[type eq "work"].value', "value": "p.new@kommun.example"},
            {"op": "Replace", "path": "name.givenName", "value": "Pia"},
            {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": boss["id"]}},
            {"op": "replace", "value": {f"{ENTERPRISE}:employeeNumber": "77", "title": "Enhetschef"}}))
        assert added.status_code == 200, added.text
        body = added.json()
        assert body["emails"] == [{"value": "p.new@kommun.example", "type": "work", "primary": True}] or \
            body["emails"] == [{"value": "p.new@kommun.example", "type": "work"}]
        assert body["name"]["givenName"] == "Pia" and body["title"] == "Enhetschef"
        assert body[ENTERPRISE]["manager"]["value"] == boss["id"] and body[ENTERPRISE]["employeeNumber"] == "77"
        replaced = c.patch(f"/Users/{uid}", json=patch(
            {"op": "replace", "path": 'emails[type eq "work"].value', "value": "pia@kommun.example"}))
        assert replaced.json()["emails"][0]["value"] == "pia@kommun.example"
        removed = c.patch(f"/Users/{uid}", json=patch({"op": "remove", "path": f"{ENTERPRISE}:manager"}))
        assert "manager" not in removed.json().get(ENTERPRISE, {})
        off = c.patch(f"/Users/{uid}", json=patch({"op": "Replace", "path": "active", "value": "False"}))
        assert off.json()["active"] is False
        assert c.get(f"/Users/{uid}").json()["active"] is False
        no_target = c.patch(f"/Users/{uid}", json=patch(
            {"op": "replace", "path": 'emails[type eq "home"].value', "value": "x@y.se"}))
        assert_error(no_target, 400, "noTarget")
        assert_error(c.patch(f"/Users/{uid}", json=patch({"op": "replace", "path": "id", "value": "x"})),
                     400, "mutability")
        assert_error(c.patch(f"/Users/{uid}", json=patch({"op": "replace", "path": "nosuch", "value": "x"})),
                     400, "invalidPath")
        assert_error(c.patch(f"/Users/{uid}", json=patch({"op": "remove"})), 400, "noTarget")
        assert_error(c.patch(f"/Users/{uid}", json={"Operations": []}), 400, "invalidSyntax")
    types = [t for t, key in scim.outbox() if key == uid]
    assert types == ["se.samla.identity.person.upserted.v1"] * 4 + ["se.samla.identity.person.deactivated.v1"]


def test_delete_deactivates_once_and_then_answers_404(scim: Scim) -> None:
    with scim.client() as c:
        uid = c.post("/Users", json=user("gone@kommun.example")).json()["id"]
        assert c.delete(f"/Users/{uid}").status_code == 204
        assert_error(c.get(f"/Users/{uid}"), 404)
        assert_error(c.delete(f"/Users/{uid}"), 404)
        assert c.get("/Users", params={"filter": 'userName eq "gone@kommun.example"'}).json()["totalResults"] == 0
        back = c.post("/Users", json=user("gone@kommun.example"))
        assert back.status_code == 201 and back.json()["id"] == uid and back.json()["active"] is True
    assert [t for t, _ in scim.outbox()] == ["se.samla.identity.person.upserted.v1",
                                             "se.samla.identity.person.deactivated.v1",
                                             "se.samla.identity.person.upserted.v1"]


def test_filters_sorting_and_pages(scim: Scim) -> None:
    names = ["Åsa Öberg", "anders berg", "Bo Ek", "Cecilia Dahl", "David Al"]
    with scim.client() as c:
        ids = {}
        for n, name in enumerate(names):
            body = user(f"{name.split()[0].lower()}@kommun.example", displayName=name, externalId=f"x{n}",
                        active=n != 4)
            ids[name] = c.post("/Users", json=body).json()["id"]

        def find(expression: str, **params: Any) -> list[str]:
            r = c.get("/Users", params={"filter": expression, **params})
            assert r.status_code == 200, r.text
            return [u["displayName"] for u in r.json()["Resources"]]

        assert find('userName eq "ÅSA@KOMMUN.EXAMPLE"') == ["Åsa Öberg"]
        assert find('displayName co "BERG"', sortBy="displayName") == ["anders berg", "Åsa Öberg"]
        assert find('displayName sw "b" or externalId eq "x3"', sortBy="userName") == ["Bo Ek", "Cecilia Dahl"]
        assert find('active eq false') == ["David Al"]
        assert find('not (active eq true) or displayName ew "Ek"', sortBy="displayName",
                    sortOrder="descending") == ["David Al", "Bo Ek"]
        assert find('emails[type eq "work" and value sw "bo@"]') == ["Bo Ek"]
        assert find('emails.value ew "@kommun.example" and title pr', count="2", startIndex="2",
                    sortBy="displayName") == ["Bo Ek", "Cecilia Dahl"]
        assert find(f'{ENTERPRISE}:employeeNumber pr') == []
        assert find('meta.lastModified gt "2000-01-01T00:00:00Z" and meta.lastModified lt "2999-01-01T00:00:00Z"',
                    sortBy="externalId") == names
        page = c.get("/Users", params={"sortBy": "userName", "startIndex": 5, "count": 2}).json()
        assert page["totalResults"] == 5 and page["startIndex"] == 5 and page["itemsPerPage"] == 1
        only = c.get("/Users", params={"attributes": "userName,name.familyName", "filter": 'externalId eq "x2"'})
        assert only.json()["Resources"] == [{"id": ids["Bo Ek"], "schemas": [USER, SAMLA],
                                             "userName": "bo@kommun.example", "name": {"familyName": "Lindqvist"}}]
        without = c.get(f"/Users/{ids['Bo Ek']}", params={"excludedAttributes": f"emails,{SAMLA}"}).json()
        assert "emails" not in without and SAMLA not in without and without["userName"] == "bo@kommun.example"
        searched = c.post("/Users/.search", json={"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
                                                  "filter": 'displayName sw "c"', "attributes": ["displayName"]})
        assert searched.json()["Resources"][0]["displayName"] == "Cecilia Dahl"


@pytest.mark.parametrize("expression", ['userName eq', 'userName eq "x', '(userName eq "x"', 'userName zz "x"',
                                        'nosuch eq "x"', 'active gt true', 'userName eq "x" and', 'emails co 5',
                                        'meta.lastModified gt "yesterday"', 'name eq "x"'])
def test_malformed_filters_are_400_invalid_filter(scim: Scim, expression: str) -> None:
    with scim.client() as c:
        assert_error(c.get("/Users", params={"filter": expression}), 400, "invalidFilter")


def test_malformed_bodies_and_oversized_requests(scim: Scim) -> None:
    with scim.client() as c:
        assert_error(c.post("/Users", content=b"{not json"), 400, "invalidSyntax")
        assert_error(c.post("/Users", content=b"[]"), 400, "invalidSyntax")
        assert_error(c.post("/Users", json={"userName": "no-schemas"}), 400, "invalidSyntax")
        assert_error(c.post("/Users", json={"schemas": [USER]}), 400, "invalidValue")
        assert_error(c.post("/Users", json=user("x@kommun.example", active="maybe")), 400, "invalidValue")
        assert_error(c.post("/Users", json=user("y@kommun.example", emails=[{"value": "not-an-address"}])),
                     400, "invalidValue")
        assert_error(c.post("/Users", json=user("z@kommun.example", **{SAMLA: {"level": "kung"}})),
                     400, "invalidValue")
        assert_error(c.post("/Users", content=b"{" + b" " * (5 * 1024 * 1024) + b"}"), 413)
        assert_error(c.get("/Users", params={"count": "many"}), 400, "invalidValue")
        assert_error(c.get("/Users", params={"sortBy": "nosuch"}), 400, "invalidPath")
        assert_error(c.get("/Users/nobody"), 404)
        assert_error(c.get("/Nothing"), 404)
        assert_error(c.delete("/Schemas"), 405)
    assert scim.outbox() == []


def test_etags_guard_writes_and_save_reads(scim: Scim) -> None:
    with scim.client() as c:
        created = c.post("/Users", json=user("etag@kommun.example")).json()
        uid, etag = created["id"], created["meta"]["version"]
        not_modified = c.get(f"/Users/{uid}", headers={"If-None-Match": etag})
        assert not_modified.status_code == 304 and not_modified.headers["etag"] == etag
        assert c.get(f"/Users/{uid}", headers={"If-None-Match": 'W/"99"'}).status_code == 200
        ok = c.patch(f"/Users/{uid}", headers={"If-Match": etag},
                     json=patch({"op": "replace", "path": "title", "value": "Chef"}))
        assert ok.status_code == 200 and ok.json()["meta"]["version"] == 'W/"2"'
        stale = c.put(f"/Users/{uid}", headers={"If-Match": etag}, json=user("etag@kommun.example"))
        assert_error(stale, 412)
        assert_error(c.patch(f"/Users/{uid}", headers={"If-Match": etag},
                             json=patch({"op": "replace", "path": "title", "value": "X"})), 412)
        assert_error(c.delete(f"/Users/{uid}", headers={"If-Match": etag}), 412)
        name_only = c.patch(f"/Users/{uid}", json=patch({"op": "replace", "path": "name.familyName",
                                                          "value": "Nyström"}))
        assert name_only.json()["meta"]["version"] == 'W/"3"'  # a SCIM-only detail still moves the ETag
        assert c.delete(f"/Users/{uid}", headers={"If-Match": '*'}).status_code == 204


@pytest.mark.parametrize(("roles", "scope", "status"), [
    ((), "", 403), (("samla-facilitator",), "openid", 403), (("samla-service",), "", 200),
    (("samla-admin",), "", 200), ((), "scim:provision", 200)])
def test_who_may_provision(scim: Scim, roles: tuple[str, ...], scope: str, status: int) -> None:
    with scim.client(roles=roles, scope=scope) as c:
        for response in (c.get("/Users"), c.get("/ServiceProviderConfig"),
                         c.post("/Users", json=user(f"caller-{len(roles)}-{len(scope)}@kommun.example"))):
            if status == 200:
                assert response.status_code in (200, 201), response.text
            else:
                assert_error(response, 403)


def test_anonymous_and_forged_tokens_are_401(scim: Scim) -> None:
    anonymous = httpx.get(f"{scim.base}/scim/v2/Users")
    assert_error(anonymous, 401)
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert_error(httpx.get(f"{scim.base}/scim/v2/Users", headers={"authorization": "Bearer not.a.jwt"}), 401)
    problem = httpx.get(f"{scim.base}/people/me")
    assert problem.headers["content-type"].startswith("application/problem+json")  # the rest keeps RFC 9457


def test_groups_are_org_units(scim: Scim) -> None:
    with scim.client() as c:
        top = c.post("/Groups", json=group("Kommunkoncernen", "kommunkoncern")).json()
        child = c.post("/Groups", json=group("Socialförvaltningen", parent=top["id"]))
        assert child.status_code == 201, child.text
        cid = child.json()["id"]
        assert child.json()[SAMLA_GROUP]["parent"] == {"value": top["id"], "$ref": f"{top['meta']['location']}",
                                                         "display": "Kommunkoncernen"}
        member = c.post("/Users", json=user("m@kommun.example", **{ENTERPRISE: {"department": cid}})).json()
        read = c.get(f"/Groups/{cid}").json()
        assert [m["value"] for m in read["members"]] == [member["id"]]
        entra = c.put(f"/Groups/{cid}", json={"schemas": [GROUP], "displayName": "Socialförvaltningen",
                                              "externalId": "entra-g1"})
        assert entra.json()[SAMLA_GROUP]["kind"] == "forvaltning" and entra.json()["externalId"] == "entra-g1"
        assert entra.json()["meta"]["version"] == 'W/"2"'
        same = c.put(f"/Groups/{cid}", json={"schemas": [GROUP], "displayName": "Socialförvaltningen",
                                             "externalId": "entra-g1"})
        assert same.json()["meta"]["version"] == 'W/"2"'
        renamed = c.patch(f"/Groups/{cid}", json=patch({"op": "replace", "path": "displayName",
                                                         "value": "Social- och omsorgsförvaltningen"}))
        assert renamed.json()["displayName"] == "Social- och omsorgsförvaltningen"
        assert_error(c.patch(f"/Groups/{cid}", json=patch({"op": "add", "path": "members",
                                                            "value": [{"value": member["id"]}]})), 400, "mutability")
        assert_error(c.post("/Groups", json=group("Okänd", kind="planet")), 400, "invalidValue")
        cycle = c.patch(f"/Groups/{top['id']}", json=patch(
            {"op": "replace", "path": f"{SAMLA_GROUP}:parent", "value": {"value": cid}}))
        assert_error(cycle, 400, "invalidValue")
        found = c.get("/Groups", params={"filter": f'displayName sw "social" and members[value eq "{member["id"]}"]'})
        assert [g["id"] for g in found.json()["Resources"]] == [cid]
        assert_error(c.delete(f"/Groups/{cid}"), 409)
        empty = c.post("/Groups", json=group("Tillfällig", "enhet", top["id"])).json()
        assert c.delete(f"/Groups/{empty['id']}").status_code == 204
        assert_error(c.get(f"/Groups/{empty['id']}"), 404)
    assert [t for t, _ in scim.outbox("identity.orgunit.v1")] == (
        ["se.samla.identity.orgunit.upserted.v1"] * 3 + ["se.samla.identity.orgunit.upserted.v1",
                                                         "se.samla.identity.orgunit.removed.v1"])


def test_bulk_runs_in_order_with_bulk_ids_and_stops_after_fail_on_errors(scim: Scim) -> None:
    bulk = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"
    with scim.client() as c:
        r = c.post("/Bulk", json={"schemas": [bulk], "Operations": [
            {"method": "POST", "path": "/Groups", "bulkId": "g", "data": group("Vatten AB", "bolag")},
            {"method": "POST", "path": "/Users", "bulkId": "boss",
             "data": user("vd@vatten.example", **{ENTERPRISE: {"department": "bulkId:g"}})},
            {"method": "POST", "path": "/Users", "bulkId": "u",
             "data": user("u@vatten.example", **{ENTERPRISE: {"department": "Vatten AB",
                                                              "manager": {"value": "bulkId:boss"}}})},
            {"method": "PATCH", "path": "/Users/bulkId:u",
             "data": patch({"op": "replace", "path": "title", "value": "Driftchef"})},
            {"method": "POST", "path": "/Users", "bulkId": "dup", "data": user("vd@vatten.example")},
            {"method": "POST", "path": "/Users", "bulkId": "late", "data": user("late@vatten.example")}]})
        assert r.status_code == 200, r.text
        ops = r.json()["Operations"]
        assert [o["status"] for o in ops] == ["201", "201", "201", "200", "409", "201"]
        assert ops[4]["response"]["scimType"] == "uniqueness"
        u = c.get(ops[2]["location"].rpartition("/scim/v2")[2]).json()
        assert u[ENTERPRISE]["manager"]["value"] == ops[1]["location"].rpartition("/")[2]
        assert u["title"] == "Driftchef" and u[ENTERPRISE]["department"] == "Vatten AB"
        stopped = c.post("/Bulk", json={"schemas": [bulk], "failOnErrors": 1, "Operations": [
            {"method": "POST", "path": "/Users", "bulkId": "a", "data": user("vd@vatten.example")},
            {"method": "POST", "path": "/Users", "bulkId": "b", "data": user("never@vatten.example")}]})
        assert [o["status"] for o in stopped.json()["Operations"]] == ["409"]
        forward = c.post("/Bulk", json={"schemas": [bulk], "Operations": [
            {"method": "PATCH", "path": "/Users/bulkId:later", "data": patch({"op": "remove", "path": "title"})}]})
        assert forward.json()["Operations"][0]["status"] == "409"
        too_many = c.post("/Bulk", json={"schemas": [bulk], "Operations": [
            {"method": "DELETE", "path": "/Users/x"}] * 1001})
        assert_error(too_many, 413)
    # Three users created and one patched; the failed operations' savepoints left nothing behind.
    assert len(scim.outbox()) == 4 and len(scim.outbox("identity.orgunit.v1")) == 1
