"""What every PDF report of the service shares (reportlab): styles, escaped paragraphs, grid tables, chart images.

Every text that came from people (titles, answers, quotes, responses) goes through `paragraph`, which escapes it
for reportlab's paragraph markup: an answer such as `<script>` or `<b>` is printed as typed, never interpreted.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Paragraph, Table, TableStyle

STYLES = getSampleStyleSheet()
SMALL = ParagraphStyle("small", parent=STYLES["BodyText"], fontSize=8.5, leading=10.5)
QUOTE = ParagraphStyle("quote", parent=STYLES["BodyText"], leftIndent=8 * mm, textColor=colors.HexColor("#333333"),
                       fontName="Helvetica-Oblique")
GRID = TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                   ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTSIZE", (0, 0), (-1, -1), 8.5)])
MARGINS = {"leftMargin": 18 * mm, "rightMargin": 18 * mm, "topMargin": 18 * mm, "bottomMargin": 18 * mm}
CONTENT_WIDTH = 174 * mm  # A4 minus the margins


def paragraph(text: object, style: ParagraphStyle = STYLES["BodyText"]) -> Paragraph:
    """A paragraph that prints `text` literally (people's text never becomes markup)."""
    return Paragraph(escape(str(text if text is not None else "")), style)


def table(rows: list[list[object]], widths: list[float] | None = None) -> Table:
    """A grid with a header row repeated on every page; cells that are not flowables are escaped text."""
    grid = Table([[c if isinstance(c, Flowable) else paragraph(c, SMALL) for c in row] for row in rows],
                 colWidths=widths, repeatRows=1)
    grid.setStyle(GRID)
    return grid


def png_image(png: bytes, size: tuple[float, float], *, width: float = CONTENT_WIDTH) -> Image:
    """A chart image (PNG bytes of `size` inches) scaled to `width`, keeping its proportions."""
    w, h = size
    return Image(io.BytesIO(png), width=width, height=width * h / w)
