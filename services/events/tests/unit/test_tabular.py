"""Spreadsheet exports: no formula injection, and Swedish conventions Excel understands."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time

import pytest
from openpyxl import load_workbook

from samla_common.spreadsheets import neutralise
from samla_events.exports.tabular import cell, to_csv, to_xlsx

DANGEROUS = ["=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\tTab", "\rCR"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Karin Lindqvist", "Åsa Öberg", "08:30", "2026-11-26", "", "a=b", "'quoted"])
def test_ordinary_text_is_left_alone(value: str) -> None:
    assert neutralise(value) == value


def test_values_take_swedish_formats() -> None:
    assert cell(date(2026, 11, 26)) == "2026-11-26"
    assert cell(time(8, 30)) == "08:30"
    assert cell(datetime(2026, 11, 26, 7, 42, tzinfo=UTC)) == "2026-11-26 08:42"  # shown in Stockholm time
    assert cell(True) == "Ja" and cell(False) == "Nej"
    assert cell(None) == "" and cell(17) == 17


def test_csv_is_semicolon_separated_utf8_with_bom_for_excel() -> None:
    data = to_csv(["Namn", "Tid"], [["Åsa Öberg", time(8, 30)], ["=1+1", None]])

    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8")), delimiter=";"))
    assert rows == [["Namn", "Tid"], ["Åsa Öberg", "08:30"], ["'=1+1", ""]]


def test_xlsx_opens_in_openpyxl_with_no_formulas() -> None:
    data = to_xlsx("Deltagare", ["Namn", "Datum"], [[v, date(2026, 11, 26)] for v in DANGEROUS])

    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None and ws.title == "Deltagare"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["Namn", "Datum"]
    # XML normalises a lone CR to LF on reading; what matters is the apostrophe in front.
    assert [r[0] for r in values[1:]] == ["'" + v.replace("\r", "\n") for v in DANGEROUS]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert values[1][1] == "2026-11-26"
