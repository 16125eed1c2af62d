"""Exports open in Excel's readers with Swedish formats and no formula injection; the PDF report has its pages and
prints people's text as text; webhook signatures verify and refuse tampering."""

from __future__ import annotations

import base64
import csv
import io
import re
import zlib
from datetime import UTC, datetime
from typing import Any

import openpyxl

from samla_feedback.integration import exports
from samla_feedback.processes import pdf
from samla_feedback.webhooks import signing

CELL = {"dimension": "total", "value": "", "name": "", "suppressed": False, "units": 12, "people": 12,
        "areas": [{"area_id": "skola", "total": 150.0, "mean": 12.5, "min": 0.0, "q1": 5.0, "median": 10.0,
                   "q3": 20.0, "max": 40.0, "sd": 9.25}]}
ITEM = {"prompt_id": "p1", "event_id": "chefsdag-2026-11", "title": "=HYPERLINK(\"http://evil\")", "kind": "priority",
        "method": "points", "audience": "individual", "status": "closed", "k": 5, "points_total": 100,
        "areas": [{"id": "skola", "title": "Skola"}], "groups_shown": True,
        "cells": [CELL, {"dimension": "administration", "value": "ou-soc", "name": "Socialförvaltningen",
                         "suppressed": True, "units": None, "people": None, "areas": []}]}
DECISION = {"subject_id": "skola", "subject_kind": "area", "title": "Skola", "status": "decided",
            "owner_id": "kd", "owner_name": "Anna Kd", "response": "@SUM(1+1) vi satsar",
            "updated_at": "2026-11-26T08:30:00Z"}


def test_csv_is_semicolon_separated_utf8_with_bom_decimal_comma_and_no_formulas() -> None:
    body = exports.to_csv(exports.INPUT_HEADERS, exports.input_rows("budget-2027", [ITEM]))

    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Process", "Chefsdag", "Fråga"]
    shown = dict(zip(rows[0], rows[1], strict=True))
    assert shown["Medel"] == "12,5" and shown["Summa"] == "150" and shown["Standardavvikelse"] == "9,25"
    assert shown["Fråga"].startswith("'=")  # shown as text, never run
    assert rows[2][-1] == "Ja" and rows[2][7] == ""  # the suppressed group has no figures


def test_decisions_csv_has_iso_dates_in_stockholm_time_and_neutralised_text() -> None:
    body = exports.to_csv(exports.DECISION_HEADERS, exports.decision_rows("budget-2027", [DECISION]))

    row = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))[1]

    assert row[5] == "'@SUM(1+1) vi satsar" and row[6] == "2026-11-26 09:30"


def test_xlsx_opens_with_numbers_as_numbers_dates_as_dates_and_text_as_text() -> None:
    body = exports.to_xlsx([("Underlag", exports.INPUT_HEADERS, exports.input_rows("budget-2027", [ITEM])),
                            ("Beslut", exports.DECISION_HEADERS, exports.decision_rows("budget-2027", [DECISION]))])

    wb = openpyxl.load_workbook(io.BytesIO(body))
    underlag, beslut = wb["Underlag"], wb["Beslut"]
    assert underlag["K2"].value == 12.5 and underlag["C2"].data_type == "s"
    assert str(underlag["C2"].value).startswith("'=")
    assert beslut["G2"].value == datetime(2026, 11, 26, 9, 30) and beslut["G2"].number_format == "yyyy-mm-dd hh:mm"
    assert beslut["F2"].data_type == "s"


def pdf_text(body: bytes) -> tuple[int, str]:
    """(pages, the text drawn): inflates the content streams and joins their string literals."""
    pages = len(re.findall(rb"/Type /Page\b", body))
    texts = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\n?endstream", body, re.S):
        try:  # reportlab writes /ASCII85Decode /FlateDecode streams (ending in ~>)
            data = zlib.decompress(base64.a85decode(stream.strip().removesuffix(b"~>")))
        except (ValueError, zlib.error):
            continue
        texts += [_literal(m) for m in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", data)]
    return pages, " ".join(texts)


def _literal(raw: bytes) -> str:
    """A PDF string literal (octal and backslash escapes) in the standard fonts' WinAnsi encoding."""
    def unescape(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        return bytes([int(code, 8)]) if code[:1].isdigit() else code
    return re.sub(rb"\\([0-7]{1,3}|.)", unescape, raw).decode("cp1252")


def report(quote: str) -> dict[str, Any]:
    return {"process": {"id": "budget-2027", "title": "Budget 2027", "kind": "budget", "owner_id": "eva",
                        "description": None, "series": "budget", "year": 2027, "current_phase": None,
                        "phases": [{"phase": "kick_off", "starts_on": "2026-11-26", "ends_on": "2026-11-26"}],
                        "event_ids": ["chefsdag-2026-11"]},
            "asked": [{"prompt_id": "p1", "event_id": "chefsdag-2026-11", "title": "Fördela 100 poäng",
                       "kind": "priority", "status": "closed"}],
            "participation": [{"prompt_id": "p1", "event_id": "chefsdag-2026-11", "title": "Fördela 100 poäng",
                               "k": 5, "people": 12, "suppressed": False,
                               "administrations": [{"id": "ou-soc", "name": "Socialförvaltningen", "people": None,
                                                    "suppressed": True}]}],
            "priorities": [ITEM],
            "themes": [{"id": "t1", "event_id": "chefsdag-2026-11", "title": "Tid för dialog", "description": None,
                        "status": "decided", "answers": 7, "people": 7, "suppressed": False, "quotes": [quote],
                        "spread": [], "suppressed_groups": 0}],
            "decisions": [DECISION],
            "log": [{"subject_id": "skola", "title": "Skola", "status_from": "received", "status_to": "decided",
                     "owner_id": "kd", "response": None, "changed_at": "2026-11-26T08:30:00Z"}]}


def test_the_pdf_has_one_page_per_section_and_prints_markup_in_answers_as_text() -> None:
    body = pdf.render(report("<script>alert('x')</script> & <b>mer tid</b>"))

    pages, text = pdf_text(body)

    assert body.startswith(b"%PDF") and pages == 5
    for expected in ("Budget 2027", "Vad vi frågade", "Deltagande per förvaltning", "Prioriteringar",
                     "Teman och citat", "Beslutslogg", "<script>alert('x')</script> & <b>mer tid</b>", "12,5"):
        assert "".join(expected.split()) in "".join(text.split()), expected  # Tj runs split at spaces


def test_a_signature_verifies_for_the_same_body_and_secret_only() -> None:
    body, secret, now = b'{"id":"1"}', "s" * 32, 1_790_000_000
    value = signing.header(secret, body, timestamp=now)

    assert re.fullmatch(r"t=1790000000,v1=[0-9a-f]{64}", value)
    assert signing.verify(secret, value, body, now=now)
    assert not signing.verify(secret, value, body + b" ", now=now)
    assert not signing.verify("t" * 32, value, body, now=now)
    assert not signing.verify(secret, value, body, now=now + 3600)  # too old


def test_moments_and_dates_are_written_the_swedish_way() -> None:
    assert exports._csv_cell(datetime(2026, 6, 1, 22, 30, tzinfo=UTC)) == "2026-06-02 00:30"
