"""A process's structured input and decision log as CSV, XLSX and JSON for Swedish Excel and other systems.

CSV: semicolons, CRLF, UTF-8 with BOM, decimal comma, ISO dates. XLSX: real numbers and dates (formatted
2026-11-26), so Excel sorts and sums them. In both, text that a spreadsheet would run as a formula (=, +, -, @,
tab, CR first) gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from samla_common.spreadsheets import neutralise
from samla_feedback.processes.formats import STOCKHOLM, sv_date, sv_decimal
from samla_feedback.texts import DECISION_STATUS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INPUT_HEADERS = ["Process", "Chefsdag", "Fråga", "Metod", "Dimension", "Grupp", "Område", "Personer", "Svar",
                 "Summa", "Medel", "Min", "Q1", "Median", "Q3", "Max", "Standardavvikelse", "Undertryckt"]
DECISION_HEADERS = ["Process", "Tema/område", "Typ", "Status", "Ansvarig", "Svar", "Uppdaterad"]
Value = str | int | float | bool | date | datetime | None



def input_rows(process_id: str, items: list[dict[str, Any]]) -> list[list[Value]]:
    """One row per area per cell; a suppressed cell is one row with no figures."""
    rows: list[list[Value]] = []
    for item in items:
        titles = {a["id"]: a["title"] for a in item["areas"]}
        for cell in item["cells"]:
            group = cell["name"] if cell["dimension"] != "total" else "Alla"
            lead: list[Value] = [process_id, item["event_id"], item["title"], item["method"], cell["dimension"],
                                 group]
            if cell["suppressed"]:
                rows.append([*lead, None, None, None, *([None] * 8), True])
                continue
            for s in cell["areas"]:
                rows.append([*lead, titles.get(s["area_id"], s["area_id"]), cell["people"], cell["units"],
                             s["total"], s["mean"], s["min"], s["q1"], s["median"], s["q3"], s["max"], s["sd"],
                             False])
    return rows


def decision_rows(process_id: str, items: list[dict[str, Any]]) -> list[list[Value]]:
    return [[process_id, d["title"], d["subject_kind"], DECISION_STATUS[d["status"]].sv,
             d["owner_name"] or d["owner_id"], d["response"],
             datetime.fromisoformat(d["updated_at"].replace("Z", "+00:00")) if d["updated_at"] else None]
            for d in items]


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return sv_date(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return sv_decimal(value, 4).rstrip("0").rstrip(",") if value != int(value) else str(int(value))
    return neutralise(value)


def to_csv(headers: Sequence[str], rows: list[list[Value]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def _xlsx_cell(value: Value) -> Value:
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).replace(tzinfo=None)
    if isinstance(value, str):
        return neutralise(value)
    return value


def to_xlsx(sheets: list[tuple[str, Sequence[str], list[list[Value]]]]) -> bytes:
    """One sheet per table: a bold frozen header, numbers as numbers, dates as dates shown as 2026-11-26."""
    wb = Workbook()
    first = wb.active
    if first is not None:
        wb.remove(first)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append([neutralise(h) for h in headers])
        for row in rows:
            ws.append([_xlsx_cell(v) for v in row])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row_cells in ws.iter_rows(min_row=2):
            for c in row_cells:
                if isinstance(c.value, datetime):
                    c.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(c.value, float):
                    c.number_format = "0.0###"
        ws.freeze_panes = "A2"
        for i, h in enumerate(headers, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, min(40, len(h) + 4))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
