"""Printables: name badges (eight per A4 sheet, with the check-in QR code) and folded table cards."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from samla_events.chefsdag.models import Event
from samla_events.exports import fonts
from samla_events.exports.service import Badge
from samla_events.localtime import hhmm, long_date_sv

BADGE_W, BADGE_H = 90 * mm, 62 * mm
COLUMNS, ROWS = 2, 4
QR_SIZE = 30 * mm
PAD = 5 * mm
GREY = HexColor("#9a9a9a")
BLACK = HexColor("#000000")


def _fit(text: str, size: float, width: float, smallest: float = 7) -> float:
    """The largest font size up to `size` at which `text` fits `width`."""
    while size > smallest and fonts.width(text, size) > width:
        size -= 0.5
    return size


def _qr(canvas: Canvas, value: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def badges_pdf(event: Event, badges: Sequence[Badge]) -> bytes:
    """One badge per person, in name order; the PDF's outline lists every badge by name."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    canvas.setTitle(f"Namnbrickor – {event.title}")
    page_w, page_h = A4
    left = (page_w - COLUMNS * BADGE_W) / 2
    top = page_h - (page_h - ROWS * BADGE_H) / 2
    per_page = COLUMNS * ROWS
    for i, badge in enumerate(badges):
        if i and i % per_page == 0:
            canvas.showPage()
        slot = i % per_page
        x = left + (slot % COLUMNS) * BADGE_W
        y = top - (slot // COLUMNS + 1) * BADGE_H
        _badge(canvas, event, badge, x, y, key=f"badge-{i}")
    if not badges:
        fonts.draw(canvas, 20 * mm, page_h - 30 * mm, "Inga anmälda deltagare ännu.", 12)
    canvas.save()
    return buf.getvalue()


def _badge(canvas: Canvas, event: Event, badge: Badge, x: float, y: float, *, key: str) -> None:
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.3)
    canvas.rect(x, y, BADGE_W, BADGE_H)  # cutting guide
    text_w = BADGE_W - QR_SIZE - 3 * PAD
    canvas.setFillColor(GREY)
    fonts.draw(canvas, x + PAD, y + BADGE_H - PAD - 4, f"{event.title} · {event.day.isoformat()}"[:70], 7.5)
    canvas.setFillColor(BLACK)
    canvas.setStrokeColor(BLACK)
    fonts.draw(canvas, x + PAD, y + BADGE_H - PAD - 22, badge.name, _fit(badge.name, 16, text_w), bold=True)
    canvas.bookmarkHorizontal(key, x, y + BADGE_H)
    canvas.addOutlineEntry(badge.name, key, level=0)
    line_y = y + BADGE_H - PAD - 36
    for text in (badge.title, badge.org_unit_name):
        if text:
            fonts.draw(canvas, x + PAD, line_y, text, _fit(text, 9.5, text_w))
            line_y -= 12
    if badge.tables:
        fonts.draw(canvas, x + PAD, y + PAD, "Bord: " + "  ".join(f"runda {r}: {t}" for r, t in
                                                                  sorted(badge.tables.items())), 9, bold=True)
    _qr(canvas, badge.token, x + BADGE_W - QR_SIZE - PAD, y + PAD, QR_SIZE)


def table_cards_pdf(event: Event, tables: Sequence[tuple[str, bool]]) -> bytes:
    """One A4 tent card per table, folded across the middle: the number reads from both sides."""
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=landscape(A4))
    canvas.setTitle(f"Bordskort – {event.title}")
    page_w, page_h = landscape(A4)
    for i, (label, accessible) in enumerate(tables):
        if i:
            canvas.showPage()
        canvas.bookmarkPage(f"table-{label}")
        canvas.addOutlineEntry(f"Bord {label}", f"table-{label}", level=0)
        canvas.setStrokeColor(GREY)
        canvas.setDash(3, 3)
        canvas.line(10 * mm, page_h / 2, page_w - 10 * mm, page_h / 2)  # fold here
        canvas.setDash()
        for upside_down in (False, True):
            canvas.saveState()
            if upside_down:
                canvas.translate(page_w, page_h)
                canvas.rotate(180)
            _card_half(canvas, event, label, accessible, page_w, page_h / 2)
            canvas.restoreState()
    if not tables:
        fonts.draw(canvas, 20 * mm, page_h - 30 * mm, "Inga bord är inlagda för dagen.", 14)
    canvas.save()
    return buf.getvalue()


def _card_half(canvas: Canvas, event: Event, label: str, accessible: bool, width: float, height: float) -> None:
    canvas.setFillColor(BLACK)
    canvas.setStrokeColor(BLACK)
    fonts.draw(canvas, width / 2, height * 0.38, f"Bord {label}", 110, bold=True, centred=True)
    fonts.draw(canvas, width / 2, height * 0.18,
               f"{event.title} · {long_date_sv(event.day)} {hhmm(event.starts_at)}–{hhmm(event.ends_at)}", 14,
               centred=True)
    if accessible:
        fonts.draw(canvas, width / 2, height * 0.08, "Tillgänglighetsanpassat bord", 16, bold=True, centred=True)
