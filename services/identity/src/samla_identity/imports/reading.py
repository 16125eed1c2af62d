"""Reading an uploaded spreadsheet (CSV or XLSX) into rows of text, refusing what cannot be read safely.

Nothing here evaluates a cell: XLSX is opened with openpyxl in read-only mode without cached values, so a
formula arrives as its text ("=…") and the validation flags it.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePosixPath
from typing import Any

import openpyxl

from samla_common.errors import DomainError
from samla_identity.imports import messages

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 100  # cells to the right of this are not read
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # what an XLSX may unpack to
MAX_COMPRESSION_RATIO = 200  # for members over 10 MB; real workbooks stay far below
MAX_ZIP_MEMBERS = 1000
CSV_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx",)


class FileRejected(DomainError):
    """The file as a whole cannot be imported; `errors` holds one problem with Swedish and English text."""

    status = 422
    title = "Unreadable file"

    def __init__(self, code: str, **params: Any) -> None:
        problem = messages.file_problem(code, **params)
        super().__init__(problem["message"], errors=[problem])
        self.code = code


class FileTooLarge(FileRejected):
    status = 413
    title = "Request too large"


class UnsupportedFile(FileRejected):
    status = 415
    title = "Unsupported media type"


@dataclass
class Sheet:
    """The rows of the first sheet: the heading row and every non-blank row after it, numbered as in a
    spreadsheet program (the first row is 1)."""

    format: str  # csv, xlsx
    header_row: int
    header: list[str]
    rows: list[tuple[int, list[str]]]
    warnings: list[dict[str, Any]] = field(default_factory=list)


def read(*, filename: str, data: bytes) -> Sheet:
    """Reads `data`, whose type is told by its content and must agree with the file name's extension."""
    if len(data) > MAX_BYTES:
        raise FileTooLarge("file_too_large", size_mb=round(len(data) / 2**20, 1), limit_mb=MAX_BYTES // 2**20)
    if not data.strip():
        raise FileRejected("file_empty")
    ext = PurePosixPath(filename.lower()).suffix
    if ext and ext not in CSV_EXTENSIONS + XLSX_EXTENSIONS:
        raise UnsupportedFile("unsupported_type", ext=messages.shown(ext, 20))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFile("old_excel")
    is_zip = data.startswith(b"PK\x03\x04")
    if is_zip and ext in CSV_EXTENSIONS:
        raise UnsupportedFile("zip_named_csv", filename=messages.shown(filename))
    if not is_zip and ext in XLSX_EXTENSIONS:
        raise UnsupportedFile("text_named_xlsx", filename=messages.shown(filename))
    return _xlsx(data) if is_zip else _csv(data)


def _decode(data: bytes) -> tuple[str, list[dict[str, Any]]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError as exc:
            raise FileRejected("encoding_unknown", line=data.count(b"\n", 0, exc.start) + 1) from exc
    if b"\x00" in data:
        raise FileRejected("not_text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
    # Swedish Excel saves "CSV (semikolonavgränsad)" as Windows-1252: read it, but say so.
    try:
        return data.decode("cp1252"), [messages.file_problem("encoding_cp1252")]
    except UnicodeDecodeError as exc:
        raise FileRejected("encoding_unknown", line=line) from exc


def _delimiter(text: str) -> str:
    """The separator of the heading line: whichever of ; , or tab occurs most outside quotes (; on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = "".join(part for i, part in enumerate(first.split('"')) if i % 2 == 0)
    return max(";,\t", key=lambda d: (unquoted.count(d), -";,\t".index(d)))


def _csv(data: bytes) -> Sheet:
    text, notes = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list[str]]] = []
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            cells = [c.strip() for c in record[:MAX_COLUMNS]]
            if not any(cells):
                continue
            if header is None:
                header, header_row = cells, number
            elif len(rows) == MAX_ROWS:
                raise FileRejected("too_many_rows", limit=f"{MAX_ROWS:,}".replace(",", " "))
            else:
                rows.append((number, cells))
    except csv.Error as exc:
        raise FileRejected("csv_broken", row=number + 1, reason=messages.shown(exc)) from exc
    if header is None:
        raise FileRejected("file_empty")
    return Sheet("csv", header_row, header, rows, notes)


def _check_zip(data: bytes) -> None:
    """Refuses a zip bomb before openpyxl unpacks anything (zipfile never unpacks past the declared sizes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise FileRejected("not_zip") from exc
    unpacked = sum(m.file_size for m in members)
    too_dense = any(m.file_size > 10 * 2**20 and m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1)
                    for m in members)
    if len(members) > MAX_ZIP_MEMBERS or unpacked > MAX_UNPACKED_BYTES or too_dense:
        raise FileRejected("zip_bomb", size_mb=round(unpacked / 2**20), limit_mb=MAX_UNPACKED_BYTES // 2**20)
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise FileRejected("zip_without_workbook")


def _xlsx(data: bytes) -> Sheet:
    _check_zip(data)
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, list[str]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            for number, values in enumerate(book.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
                cells = [_cell_text(v) for v in values]
                while cells and not cells[-1]:  # read-only rows are padded to max_col
                    cells.pop()
                if not cells:
                    continue
                if header is None:
                    header, header_row = cells, number
                elif len(rows) == MAX_ROWS:
                    raise FileRejected("too_many_rows", limit=f"{MAX_ROWS:,}".replace(",", " "))
                else:
                    rows.append((number, cells))
        finally:
            book.close()
    except FileRejected:
        raise
    except Exception as exc:  # a hostile workbook can make any part of a third-party parser fail
        raise FileRejected("xlsx_unreadable", reason=messages.shown(f"{type(exc).__name__}: {exc}")) from exc
    if header is None:
        raise FileRejected("file_empty")
    return Sheet("xlsx", header_row, header, rows)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if not isinstance(value, str | int | float) and isinstance(getattr(value, "text", None), str):
        return str(value.text).strip()  # ArrayFormula and friends: keep the formula text so it gets flagged
    return str(value).strip()
