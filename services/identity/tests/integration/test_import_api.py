"""Spreadsheet imports through the HTTP API: preview, commit all or nothing, and hostile files, on SQLite and
PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from samla_common.auth import ADMIN, FACILITATOR, SERVICE
from services.identity.tests.fixtures.imports.files import (
    HEADINGS,
    chefer_csv,
    csv_bytes,
    excel_style_xlsx,
    managers,
    xlsx_bytes,
    zip_bomb,
)
from services.identity.tests.fixtures.keycloak.identity_app import Identity, serve_identity

pytestmark = pytest.mark.integration
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[Identity]:
    with serve_identity(tmp_path, monkeypatch, database_url) as app:
        yield app


@pytest.fixture
def rows(database_url: str) -> Iterator[Any]:
    engine = create_engine(database_url)

    def count() -> dict[str, int]:
        with engine.connect() as c:
            return {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                    for t in ("people", "org_units", "outbox", "person_placements", "directory_imports")}

    yield count
    engine.dispose()


def upload(identity: Identity, data: bytes, filename: str = "chefer.csv", content_type: str = CSV,
           **params: str) -> httpx.Response:
    return httpx.post(f"{identity.url}/imports", files={"file": (filename, data, content_type)}, params=params,
                      headers=identity.token(ADMIN), timeout=120)


def commit(identity: Identity, import_id: str) -> httpx.Response:
    return httpx.post(f"{identity.url}/imports/{import_id}/commit", headers=identity.token(ADMIN), timeout=120)


def test_an_admin_previews_a_swedish_csv_then_commits_it_and_the_org_tree_is_created(identity: Identity,
                                                                                      rows: Any) -> None:
    preview = upload(identity, chefer_csv())

    assert preview.status_code == 201, preview.text
    body = preview.json()
    assert body["valid"] and body["format"] == "csv" and body["rows_total"] == 6 and body["errors"] == []
    assert body["summary"] == {"create": 6, "update": 0, "unchanged": 0, "deactivate": 0, "org_units_create": 5}
    omar = next(r for r in body["preview"] if r["id"] == "p-103")
    assert (omar["row"], omar["action"], omar["level"], omar["manager_id"], omar["languages"]) == \
        (5, "create", "enhetschef", "p-102", ["sv", "ar"])
    assert rows()["people"] == 0  # a preview writes nothing but the upload itself

    done = commit(identity, body["id"])

    assert done.status_code == 200 and done.json()["status"] == "imported"
    assert rows() | {"directory_imports": 1} == {"people": 6, "org_units": 5, "outbox": 11, "person_placements": 6,
                                                 "directory_imports": 1}
    units = {u["name"]: u for u in httpx.get(f"{identity.url}/org-units", headers=identity.token(ADMIN)).json()}
    assert units["Älvskolan"]["kind"] == "enhet" and units["Grundskola"]["kind"] == "avdelning"
    assert units["Älvskolan"]["parent_id"] == units["Grundskola"]["id"]
    person = httpx.get(f"{identity.url}/people/p-103", headers=identity.token(ADMIN)).json()
    assert person["org_unit_id"] == units["Älvskolan"]["id"] and person["employee_number"] == "10042"


def test_a_second_commit_is_refused_and_changes_nothing(identity: Identity, rows: Any) -> None:
    import_id = upload(identity, chefer_csv()).json()["id"]
    assert commit(identity, import_id).status_code == 200
    before = rows()

    again = commit(identity, import_id)

    assert again.status_code == 409 and "already imported" in again.json()["detail"]
    assert rows() == before


def test_every_invalid_row_is_reported_by_row_and_column_and_nothing_is_imported(identity: Identity,
                                                                                rows: Any) -> None:
    data = csv_bytes([
        ["p-1", "Anna Ek", "anna.ek@exempelstad.se", "Rektor", "förvaltningschef", "", "Centrum"],
        ["p-2", "Bo Lind", "anna@", "Rektor", "enhetschef", "p-1", "Centrum"],               # row 3
        ["p-1", "Cia Berg", "cia@exempelstad.se", "Rektor", "enhetschef", "", "Centrum"],     # row 4: same id
        ["p-4", "Dan Ek", "ANNA.EK@exempelstad.se", "Rektor", "enhetschef", "p-1", "Centrum"],  # row 5: same e-mail
        ["p-5", "Eva Ås", "eva@exempelstad.se", "Rektor", "överchef", "p-1", "Centrum"],       # row 6: level
        ["p-6", "Fia Ny", "fia@exempelstad.se", "Rektor", "enhetschef", "nobody@x.se", "Centrum"],  # row 7
        ["p-7", "Gun Al", "gun@exempelstad.se", "Rektor", "enhetschef", "p-8", "Centrum"],     # rows 8 and 9:
        ["p-8", "Hans Al", "hans@exempelstad.se", "Rektor", "enhetschef", "p-7", "Centrum"],   # a circle
        ["p-9", "", "ivar@exempelstad.se", "Rektor", "enhetschef", "p-1", "Centrum"],          # row 10: no name
    ])

    body = upload(identity, data).json()

    assert not body["valid"] and body["summary"]["create"] == 1
    found = {(e["row"], e["column"], e["code"]) for e in body["errors"]}
    assert found == {(3, "E-post", "invalid_email"), (4, "Id", "duplicate_id"), (5, "E-post", "duplicate_email"),
                     (6, "Chefsnivå", "unknown_level"), (7, "Chef", "unknown_manager"),
                     (8, "Chef", "manager_cycle"), (9, "Chef", "manager_cycle"), (10, "Namn", "required")}
    messages = {e["code"]: e for e in body["errors"]}
    assert messages["invalid_email"]["message"] == "Rad 3, kolumn E-post: 'anna@' är ingen giltig e-postadress"
    assert messages["invalid_email"]["message_en"] == "Row 3, column E-post: 'anna@' is not a valid e-mail address"
    assert "rad 2" in messages["duplicate_id"]["message"] and "Gun Al → Hans Al → Gun Al" in \
        messages["manager_cycle"]["message"]
    before = rows()

    refused = commit(identity, body["id"])

    assert refused.status_code == 409 and len(refused.json()["errors"]) == 8
    assert rows() == before and before["people"] == 0 and before["outbox"] == 0


def test_formulas_are_refused_and_formula_like_text_is_stored_neutralised(identity: Identity) -> None:
    data = csv_bytes([
        ["p-1", "Anna Ek", "anna@exempelstad.se", '=HYPERLINK("http://evil.example","Klicka")', "enhetschef", "", ""],
        ["p-2", "Bo Lind", "bo@exempelstad.se", "+46 8 123 45", "enhetschef", "", "@Centrum"],
        ["-p3", "Cia Berg", "cia@exempelstad.se", "Rektor", "enhetschef", "", ""],
    ])

    body = upload(identity, data).json()

    assert {(e["row"], e["column"], e["code"]) for e in body["errors"]} == {
        (2, "Titel", "formula"), (4, "Id", "formula_start")}
    assert {(w["row"], w["column"], w["code"]) for w in body["warnings"]} == {
        (3, "Titel", "neutralised"), (3, "Ort", "neutralised")}
    ok = upload(identity, csv_bytes([["p-2", "Bo Lind", "bo@exempelstad.se", "+46 8 123 45", "enhetschef", "",
                                      "@Centrum"]])).json()
    assert commit(identity, ok["id"]).status_code == 200
    person = httpx.get(f"{identity.url}/people/p-2", headers=identity.token(ADMIN)).json()
    assert (person["title"], person["location"]) == ("'+46 8 123 45", "'@Centrum")


def test_a_formula_in_an_xlsx_cell_is_flagged_and_never_evaluated(identity: Identity) -> None:
    data = xlsx_bytes([["p-1", "Anna Ek", "anna@exempelstad.se", "=1+1", "enhetschef", None, "Centrum"]])
    body = upload(identity, data, "chefer.xlsx", XLSX).json()
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [(2, "Titel", "formula")]
    assert "'=1+1'" in body["errors"][0]["message"]


def test_an_excel_workbook_with_numbers_and_english_headings_is_imported(identity: Identity, rows: Any) -> None:
    data = xlsx_bytes([["p-1", "Anna Ek", "anna@exempelstad.se", "Rektor", "Unit manager", None, "Centrum", 10042]],
                      headings=["ID", "Name", "Email", "Title", "Level", "Manager", "Location", "Employee number"])
    body = upload(identity, data, "chefer.xlsx", XLSX).json()
    assert body["valid"] and body["format"] == "xlsx" and body["preview"][0]["employee_number"] == "10042"
    assert commit(identity, body["id"]).status_code == 200 and rows()["people"] == 1


def test_the_upload_is_stored_under_its_own_id_whatever_the_client_calls_it(identity: Identity, tmp_path: Path,
                                                                           rows: Any) -> None:
    before = {p for p in tmp_path.rglob("*")}
    for hostile in ("../../../../etc/passwd.csv", "..\\..\\windows\\chefer.csv", "/tmp/evil\x00.csv"):
        body = upload(identity, chefer_csv(), filename=hostile).json()
        assert "/" not in body["filename"] and "\\" not in body["filename"] and ".." not in body["filename"]
        assert httpx.get(f"{identity.url}/imports/{body['id']}", headers=identity.token(ADMIN)).json()["id"] == \
            body["id"]
    assert {p for p in tmp_path.rglob("*") if "passwd" in p.name or "evil" in p.name} == set()
    assert rows()["directory_imports"] == 3 and len({p for p in tmp_path.rglob("*")} - before) <= 2  # sqlite wal


@pytest.mark.parametrize(("data", "filename", "status", "code"), [
    (b"", "chefer.csv", 422, "file_empty"),
    (b"Id;Namn;E-post\r\np-1;\x81\x8d\x90;a@x.se\r\n", "chefer.csv", 422, "encoding_unknown"),
    (b"\x00\x01\x02binary\x00", "chefer.csv", 422, "not_text"),
    (b"Id;Namn\r\np-1;A\r\n", "chefer.xlsx", 415, "text_named_xlsx"),
    (b"Id;Namn\r\np-1;A\r\n", "chefer.exe", 415, "unsupported_type"),
    (b"PK\x03\x04garbage", "chefer.xlsx", 422, "not_zip"),
    (zip_bomb(300), "chefer.xlsx", 422, "zip_bomb"),
    (b"Id;Namn\r\n" + b"x" * (20 * 2**20), "chefer.csv", 413, "file_too_large"),
])
def test_a_hostile_or_malformed_file_gets_a_clear_error_and_is_not_kept(
        identity: Identity, rows: Any, data: bytes, filename: str, status: int, code: str) -> None:
    r = upload(identity, data, filename=filename)

    assert r.status_code == status and r.headers["content-type"].startswith("application/problem+json")
    (problem,) = r.json()["errors"]
    assert problem["code"] == code and problem["message"] and problem["message_en"]
    assert rows()["directory_imports"] == 0


def test_a_windows_1252_file_is_imported_with_a_warning_and_its_letters_intact(identity: Identity) -> None:
    body = upload(identity, csv_bytes([["p-1", "Åsa Öberg", "asa@exempelstad.se", "Förskolechef", "enhetschef",
                                        "", "Älvsby"]], encoding="cp1252")).json()
    assert body["valid"] and [w["code"] for w in body["warnings"]] == ["encoding_cp1252"]
    assert body["preview"][0]["name"] == "Åsa Öberg" and body["preview"][0]["location"] == "Älvsby"


def test_a_second_file_updates_changed_people_and_can_deactivate_those_left_out(identity: Identity,
                                                                               rows: Any) -> None:
    assert commit(identity, upload(identity, csv_bytes(managers(3))).json()["id"]).status_code == 200
    changed = managers(3)[:2]
    changed[1][3] = "Förskolechef"
    before = rows()

    body = upload(identity, csv_bytes(changed), deactivate_missing="true").json()
    done = commit(identity, body["id"])

    assert body["summary"] == {"create": 0, "update": 1, "unchanged": 1, "deactivate": 1, "org_units_create": 0}
    assert done.status_code == 200 and rows()["outbox"] == before["outbox"] + 2
    assert httpx.get(f"{identity.url}/people/p-3", headers=identity.token(ADMIN)).json()["active"] is False


def test_a_row_without_id_is_matched_by_e_mail_and_units_are_found_by_name_or_id(identity: Identity) -> None:
    admin = identity.token(ADMIN)
    for unit in ({"id": "ou-k", "name": "Kommunen", "kind": "kommunkoncern", "parent_id": None},
                 {"id": "ou-a", "name": "Hemtjänst Norra", "kind": "enhet", "parent_id": "ou-k"},
                 {"id": "ou-b", "name": "Hemtjänst Norra", "kind": "enhet", "parent_id": "ou-k"},
                 {"id": "ou-c", "name": "Älvskolan", "kind": "enhet", "parent_id": "ou-k"}):
        httpx.put(f"{identity.url}/org-units/{unit['id']}", json=unit, headers=admin).raise_for_status()
    httpx.put(f"{identity.url}/people/kc-1", headers=admin,
              json={"id": "kc-1", "name": "Anna Ek", "email": "anna@exempelstad.se"}).raise_for_status()
    headings = ["Namn", "E-post", "Enhet"]

    body = upload(identity, csv_bytes([["Anna Ek", "Anna@Exempelstad.se", "älvskolan"],
                                       ["Bo Lind", "bo@exempelstad.se", "ou-a"],
                                       ["Cia Berg", "cia@exempelstad.se", "Hemtjänst Norra"],
                                       ["Dan Ek", "dan@exempelstad.se", "Månskolan"]], headings=headings)).json()

    preview = {r["name"]: r for r in body["preview"]}
    assert preview["Anna Ek"]["id"] == "kc-1" and preview["Anna Ek"]["action"] == "update"
    assert preview["Anna Ek"]["org_unit_id"] == "ou-c" and preview["Bo Lind"]["org_unit_id"] == "ou-a"
    assert [(e["row"], e["code"]) for e in body["errors"]] == [(4, "ambiguous_unit"), (5, "unknown_unit")]


@pytest.mark.parametrize("roles", [(), (FACILITATOR,), (SERVICE,)])
def test_only_admins_may_upload_read_or_commit(identity: Identity, roles: tuple[str]) -> None:
    import_id = upload(identity, chefer_csv()).json()["id"]
    headers = identity.token(*roles, sub="someone")
    files = {"file": ("chefer.csv", chefer_csv(), CSV)}
    assert httpx.post(f"{identity.url}/imports", files=files, headers=headers).status_code == 403
    assert httpx.get(f"{identity.url}/imports/{import_id}", headers=headers).status_code == 403
    assert httpx.post(f"{identity.url}/imports/{import_id}/commit", headers=headers).status_code == 403
    assert httpx.get(f"{identity.url}/imports/{import_id}").status_code == 401


def test_an_unknown_import_is_not_found(identity: Identity) -> None:
    assert httpx.get(f"{identity.url}/imports/nope", headers=identity.token(ADMIN)).status_code == 404
    assert commit(identity, "nope").status_code == 404


def test_a_file_of_100_000_rows_is_checked_whole(identity: Identity) -> None:
    # How long it takes is measured in bench/, not asserted here.
    r = upload(identity, csv_bytes(managers(100_000)))
    assert r.status_code == 201 and r.json()["valid"] and r.json()["summary"]["create"] == 100_000


def test_excel_style_workbooks_are_read(identity: Identity) -> None:
    body = upload(identity, excel_style_xlsx(managers(5)), "chefer.xlsx", XLSX).json()
    assert body["valid"] and body["summary"]["create"] == 5 and body["preview"][0]["name"] == "Person 1"


def test_headings_missing_the_essentials_make_the_file_invalid(identity: Identity) -> None:
    body = upload(identity, csv_bytes([["x"]], headings=["Titel"])).json()
    assert not body["valid"] and [e["code"] for e in body["errors"]] == ["missing_name", "missing_identifier"]
    assert HEADINGS[0] == "Id"
