"""The typeface of the printables: Noto Sans (SIL Open Font License, shipped in the fontpkg-noto-sans wheel), embedded
in every PDF so that names beyond Latin-1 print ("Łukasz Żółć", "Nguyễn Thị Ánh", "Σοφία", "Ольга"); the PDF base
fonts (Helvetica) know only Latin-1.

The wheel holds the variable font, whose default instance is the regular weight; bold is drawn by stroking the
outline as well as filling it, which reads as bold on a badge and keeps one font file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fontpkg_noto_sans
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT = "SamlaSans"
FONT_FILE = Path(fontpkg_noto_sans.__file__).parent / "files" / "NotoSans[wdth,wght].ttf"
FILL, FILL_AND_STROKE = 0, 2


@cache
def font() -> str:
    """Registers the font once per process (reportlab's registry is global) and returns its name."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE)))
    return FONT


def width(text: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font(), size))


def draw(canvas: Canvas, x: float, y: float, text: str, size: float, *, bold: bool = False,
         centred: bool = False) -> None:
    """Draws `text` with its baseline at y, from x (or centred on x); bold strokes the outline too."""
    if centred:
        x -= width(text, size) / 2
    line = canvas.beginText(x, y)
    line.setFont(font(), size)
    line.setTextRenderMode(FILL_AND_STROKE if bold else FILL)
    canvas.saveState()
    canvas.setLineWidth(size / 30)
    line.textOut(text)
    canvas.drawText(line)
    canvas.restoreState()
