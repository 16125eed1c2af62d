"""Spreadsheet safety shared by every export and import: CSV/XLSX formula injection (OWASP "CSV injection").

A cell that starts with one of these characters is run as a formula by Excel and LibreOffice; exports prefix it
with an apostrophe so it is shown as text, and imports flag or neutralise it before it is stored.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Text a spreadsheet will show, never evaluate: a leading apostrophe before a formula character."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
