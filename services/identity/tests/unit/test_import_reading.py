"""Reading uploads: encodings, separators, formats and hostile files are told apart before any row is checked."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import EmailStr, TypeAdapter, ValidationError

from samla_common.spreadsheets import FORMULA_STARTS, neutralise
from samla_identity.imports import emails, reading
from samla_identity.imports.columns import map_headings
from samla_identity.imports.reading import FileRejected, FileTooLarge, UnsupportedFile
from services.identity.tests.fixtures.imports.files import (
    chefer_csv,
    csv_bytes,
    xlsx_bytes,
    zip_bomb,
    zip_without_workbook,
)

ROW = [["p-1", "Åsa Öberg", "asa@exempelstad.se", "Rektor", "enhetschef", "", "Älvsby"]]


@pytest.mark.parametrize("sep", [";", ",", "\t"])
@pytest.mark.parametrize("bom", [True, False])
def test_csv_in_utf8_with_or_without_bom_and_any_usual_separator_is_read(sep: str, bom: bool) -> None:
    sheet = reading.read(filename="chefer.csv", data=csv_bytes(ROW, sep=sep, bom=bom))
    assert sheet.header[0] == "Id" and sheet.rows == [(2, ROW[0])] and sheet.warnings == []


def test_the_recorded_swedish_file_is_read_with_its_row_numbers() -> None:
    sheet = reading.read(filename="chefer.csv", data=chefer_csv())
    assert sheet.header[1:3] == ["Förnamn", "Efternamn"] and [n for n, _ in sheet.rows] == [2, 3, 4, 5, 6, 7]


def test_a_windows_1252_file_is_read_and_the_admin_is_told_which_encoding_was_used() -> None:
    sheet = reading.read(filename="chefer.csv", data=csv_bytes(ROW, encoding="cp1252"))
    assert sheet.rows[0][1][1] == "Åsa Öberg"
    assert [w["code"] for w in sheet.warnings] == ["encoding_cp1252"] and "Windows-1252" in sheet.warnings[0]["message"]


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused_with_advice() -> None:
    with pytest.raises(FileRejected) as refused:
        reading.read(filename="x.csv", data=b"Id;Namn\r\np-1;\x81\x8d\x90\r\n")
    assert refused.value.code == "encoding_unknown" and "CSV UTF-8" in refused.value.detail
    assert "rad 2" in refused.value.detail


def test_utf16_text_from_excel_is_read() -> None:
    data = "Id\tNamn\tE-post\r\np-1\tÅsa\ta@x.se\r\n".encode("utf-16")
    assert reading.read(filename="x.txt", data=data).rows == [(2, ["p-1", "Åsa", "a@x.se"])]


@pytest.mark.parametrize("data", [b"", b"   \r\n\r\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(FileRejected) as refused:
        reading.read(filename="x.csv", data=data)
    assert refused.value.code == "file_empty" and refused.value.detail == "Filen är tom."


def test_a_file_over_20_mb_is_refused_as_too_large() -> None:
    with pytest.raises(FileTooLarge) as refused:
        reading.read(filename="x.csv", data=b"a" * (reading.MAX_BYTES + 1))
    assert refused.value.status == 413 and "20 MB" in refused.value.detail


def test_more_than_100_000_rows_are_refused() -> None:
    data = b"Id;Namn\n" + b"".join(b"p-%d;N\n" % i for i in range(reading.MAX_ROWS + 1))
    with pytest.raises(FileRejected) as refused:
        reading.read(filename="x.csv", data=data)
    assert refused.value.code == "too_many_rows" and "100 000" in refused.value.detail


@pytest.mark.parametrize(("filename", "data", "code"), [
    ("chefer.xlsx", b"Id;Namn\np-1;A\n", "text_named_xlsx"),
    ("chefer.csv", xlsx_bytes([]), "zip_named_csv"),
    ("chefer.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "unsupported_type"),
    ("chefer", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old_excel"),
    ("chefer.pdf", b"%PDF-1.7", "unsupported_type"),
])
def test_a_wrong_extension_or_content_is_refused_as_unsupported(filename: str, data: bytes, code: str) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        reading.read(filename=filename, data=data)
    assert refused.value.code == code and refused.value.status == 415


@pytest.mark.parametrize(("data", "code"), [
    (b"PK\x03\x04 this is not really a zip", "not_zip"),
    (zip_without_workbook(), "zip_without_workbook"),
])
def test_an_xlsx_that_is_no_workbook_is_refused(data: bytes, code: str) -> None:
    with pytest.raises(FileRejected) as refused:
        reading.read(filename="x.xlsx", data=data)
    assert refused.value.code == code


def test_a_zip_bomb_is_refused_before_anything_is_unpacked() -> None:
    bomb = zip_bomb(300)
    assert len(bomb) < 1_000_000
    with pytest.raises(FileRejected) as refused:
        reading.read(filename="x.xlsx", data=bomb)
    assert refused.value.code == "zip_bomb"


def test_a_zip_that_lies_about_its_sizes_is_refused_as_unreadable() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook>" + "x" * 5000 + "</workbook>")
    data = bytearray(out.getvalue())
    central = data.rfind(b"PK\x01\x02")  # the last member's central-directory entry: claim 10 unpacked bytes
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(FileRejected) as refused:
        reading.read(filename="x.xlsx", data=bytes(data))
    assert refused.value.code in ("xlsx_unreadable", "not_zip")


def test_xlsx_cells_are_read_as_text_and_formulas_arrive_unevaluated() -> None:
    data = xlsx_bytes([["p-1", "Åsa", "a@x.se", "=HYPERLINK(\"http://evil\",\"klicka\")", "enhetschef", None, 10042.0]])
    sheet = reading.read(filename="x.xlsx", data=data)
    assert sheet.format == "xlsx"
    assert sheet.rows == [(2, ["p-1", "Åsa", "a@x.se", '=HYPERLINK("http://evil","klicka")', "enhetschef", "",
                               "10042"])]


def test_swedish_and_english_headings_map_to_the_same_fields() -> None:
    sv = map_headings(["Id", "Förnamn", "Efternamn", "E-post", "Chefsnivå", "Organisationsenhet", "Chef"], row=1)
    en = map_headings(["ID", "First name", "Last name", "Email", "Level", "Org unit", "Manager"], row=1)
    assert sv.index == en.index and sv.errors == en.errors == []


def test_missing_essential_columns_and_repeated_ones_are_heading_errors() -> None:
    cols = map_headings(["Titel", "E-post", "Email", "Favoritfärg"], row=1)
    assert [e["code"] for e in cols.errors] == ["duplicate_column", "missing_name"]
    assert [w["code"] for w in cols.warnings] == ["unknown_column"]
    assert cols.errors[1]["message"] == "Rad 1 (rubriker): Kolumnen Namn saknas (eller Förnamn och Efternamn)."


def test_enhet_is_a_path_level_next_to_forvaltning_and_a_reference_on_its_own() -> None:
    assert map_headings(["Namn", "Id", "Förvaltning", "Enhet"], row=1).path_mode
    alone = map_headings(["Namn", "Id", "Enhet"], row=1)
    assert not alone.path_mode and alone.has("org_unit")


@given(st.text(alphabet=st.sampled_from("abcAB09.-_+@'\"<> äx"), max_size=30))
def test_the_fast_email_check_agrees_with_email_str(raw: str) -> None:
    try:
        expected: str | None = TypeAdapter(EmailStr).validate_python(raw)
    except ValidationError:
        expected = None
    assert emails.normalise(raw) == expected


@given(st.text(max_size=20))
def test_neutralised_text_never_starts_like_a_formula(raw: str) -> None:
    assert not neutralise(raw).startswith(FORMULA_STARTS)
