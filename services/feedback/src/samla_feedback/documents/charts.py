"""Bar charts as images (matplotlib), for the PDF reports (PNG) and the web pages (SVG).

Figures are built with the object API (no pyplot), so concurrent requests share no global figure state. Text
drawn in a chart comes from people (option labels, terms); matplotlib draws it as glyph paths, never as markup.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.figure import Figure

from samla_feedback.processes.formats import sv_decimal

BAR_COLOUR = "#2b6cb0"  # 5.9:1 against white
MAX_LABEL = 40
WIDTH_INCHES = 6.8


@dataclass(frozen=True)
class Chart:
    """What a chart shows: one bar per label. `digits` sets the decimals on the bar values."""

    labels: list[str]
    values: list[float]
    axis_label: str = ""
    digits: int = 0
    vertical: bool = False  # scale distributions read left to right; options read top to bottom

    @property
    def size(self) -> tuple[float, float]:
        if self.vertical:
            return WIDTH_INCHES, 2.8
        return WIDTH_INCHES, max(1.6, 0.38 * len(self.labels) + 0.9)


def png(chart: Chart) -> bytes:
    """The chart as PNG (150 dpi: sharp in print, small enough for a PDF with many charts)."""
    buf = io.BytesIO()
    _figure(chart).savefig(buf, format="png", dpi=150)
    return buf.getvalue()


def svg(chart: Chart) -> bytes:
    """The chart as SVG, for an <img> on a web page (an SVG shown as an image runs no scripts)."""
    buf = io.BytesIO()
    _figure(chart).savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _figure(chart: Chart) -> Figure:
    figure = Figure(figsize=chart.size, layout="constrained")
    axes = figure.add_subplot()
    labels = [_short(str(label)) for label in chart.labels]
    positions = list(range(len(labels)))
    if chart.vertical:
        bars = axes.bar(positions, chart.values, color=BAR_COLOUR)
        axes.set_xticks(positions, labels)
        axes.set_ylabel(chart.axis_label)
    else:
        bars = axes.barh(positions, chart.values, color=BAR_COLOUR)
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()  # the first option on top
        axes.set_xlabel(chart.axis_label)
    axes.bar_label(bars, labels=[sv_decimal(v, chart.digits) for v in chart.values], padding=3, fontsize=8)
    axes.tick_params(labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    if chart.vertical:
        axes.margins(y=0.15)
    else:
        axes.margins(x=0.12)  # room for the value beside the longest bar
    return figure
