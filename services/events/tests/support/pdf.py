"""Reading back what reportlab wrote, with pypdf: page count and the text drawn on the pages (the fonts are
embedded subsets, so only a real PDF reader maps the glyphs back to the names)."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def drawn_text(pdf: bytes) -> str:
    """The text of every page, as a PDF reader extracts it (what copy and paste or a screen reader get)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def fonts(pdf: bytes) -> set[str]:
    """The base names of the fonts the pages use (an embedded subset is named like "ABCDEF+NotoSans-Regular")."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources is not None else None
        for ref in (font_dict.get_object().values() if font_dict is not None else []):
            names.add(str(ref.get_object().get("/BaseFont", "")).lstrip("/"))
    return names
