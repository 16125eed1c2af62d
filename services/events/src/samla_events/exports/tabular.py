"""CSV and XLSX for Swedish Excel: semicolons, UTF-8 with BOM, ISO dates, 24-hour times, no formula injection."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from openpyxl import Workbook
from openpyxl.styles import Font

from samla_common.spreadsheets import neutralise
from samla_events.localtime import STOCKHOLM

Cell = str | int | float | bool | date | time | datetime | None
# A spreadsheet runs a cell starting with these as a formula (=HYPERLINK(...), +cmd|..., @SUM, or after a tab/CR).



def cell(value: Cell) -> str | int | float:
    """One value as Swedish users expect it: 2026-11-26, 08:30, Ja/Nej, moments in Stockholm time."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, datetime):
        return value.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, int | float):
        return value
    return neutralise(str(value))


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Semicolon-separated, CRLF, UTF-8 with BOM: Excel in Swedish opens it with the columns right."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def to_xlsx(sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """One sheet, bold frozen header row, columns wide enough for their content."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook has its first sheet
    ws.title = sheet[:31]
    ws.append([neutralise(h) for h in headers])
    widths = [len(h) for h in headers]
    for row in rows:
        values = [cell(v) for v in row]
        ws.append(values)
        widths = [max(w, len(str(v))) for w, v in zip(widths, values, strict=False)]
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(60, width + 2)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
