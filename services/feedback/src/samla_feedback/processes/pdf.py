"""The leadership report as PDF (reportlab): one section per page, bar charts as images (documents.charts).

Every text that came from people (titles, quotes, responses) goes through `documents.pdf.paragraph`, which escapes
it for reportlab's paragraph markup: an answer such as `<script>` or `<b>` is printed as typed, never interpreted.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer

from samla_feedback.documents import charts
from samla_feedback.documents.pdf import MARGINS, QUOTE, SMALL, STYLES, png_image
from samla_feedback.documents.pdf import paragraph as _p
from samla_feedback.documents.pdf import table as _table
from samla_feedback.processes.formats import sv_date, sv_decimal
from samla_feedback.texts import DECISION_STATUS

KINDS_SV = {"budget": "Budgetprocess", "vision": "Visionsarbete", "other": "Process"}
METHOD_SV = {"points": "poängfördelning (medel per person eller bord)", "borda": "rangordning (Borda-poäng, medel)"}


def bar_chart(labels: list[str], values: list[float]) -> Flowable:
    """Horizontal bars, one per label, as an image."""
    chart = charts.Chart(labels, values, "Medel", digits=1)
    return png_image(charts.png(chart), chart.size)


def render(report: dict[str, Any]) -> bytes:
    """The report as PDF bytes: cover and questions, participation, priorities, themes, decision log."""
    process = report["process"]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=f"Rapport – {process['title']}", author="Samla", **MARGINS)
    story: list[Flowable] = []
    story += _cover(report)
    story += [PageBreak(), *_participation(report)]
    story += [PageBreak(), *_priorities(report)]
    story += [PageBreak(), *_themes(report)]
    story += [PageBreak(), *_decisions(report)]
    doc.build(story)
    return buf.getvalue()


def _cover(report: dict[str, Any]) -> list[Flowable]:
    process = report["process"]
    out: list[Flowable] = [_p(process["title"], STYLES["Title"]),
                           _p(f"{KINDS_SV.get(process['kind'], 'Process')} · ägare {process['owner_id']}")]
    if process.get("description"):
        out.append(_p(process["description"]))
    if process["phases"]:
        out += [Spacer(1, 4 * mm), _p("Faser", STYLES["Heading2"]),
                _table([["Fas", "Från", "Till"]] + [[p["phase"], sv_date(p["starts_on"]), sv_date(p["ends_on"])]
                                                    for p in process["phases"]])]
    out += [Spacer(1, 4 * mm), _p("Vad vi frågade", STYLES["Heading2"])]
    if report["asked"]:
        out.append(_table([["Fråga", "Typ", "Chefsdag"]] + [[a["title"], a["kind"], a["event_id"]]
                                                            for a in report["asked"]]))
    else:
        out.append(_p("Inga frågor är kopplade till processen."))
    return out


def _participation(report: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [_p("Deltagande per förvaltning", STYLES["Heading1"]),
                           _p("Grupper med färre än k svarande, eller som skulle gå att räkna fram ur andra "
                              "grupper, visas inte (”–”).", SMALL)]
    for item in report["participation"]:
        rows: list[list[object]] = [["Förvaltning", "Svarande"]]
        rows += [[a["name"], "–" if a["suppressed"] else a["people"]] for a in item["administrations"]]
        rows.append(["Totalt", "–" if item["suppressed"] else item["people"]])
        out += [Spacer(1, 3 * mm), _p(f"{item['title']} (k = {item['k']})", STYLES["Heading3"]), _table(rows)]
    return out


def _priorities(report: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [_p("Prioriteringar", STYLES["Heading1"])]
    for item in report["priorities"]:
        total = next(c for c in item["cells"] if c["dimension"] == "total")
        out += [Spacer(1, 3 * mm), _p(item["title"], STYLES["Heading3"]), _p(METHOD_SV[item["method"]], SMALL)]
        if total["suppressed"]:
            out.append(_p(f"Färre än {item['k']} har svarat; resultatet visas inte."))
            continue
        titles = {a["id"]: a["title"] for a in item["areas"]}
        spreads = sorted(total["areas"], key=lambda s: -s["mean"])
        out.append(bar_chart([titles[s["area_id"]] for s in spreads], [s["mean"] for s in spreads]))
        rows: list[list[object]] = [["Område", "Summa", "Medel", "Min", "Q1", "Median", "Q3", "Max", "Std.av."]]
        rows += [[titles[s["area_id"]], *(sv_decimal(s[f], 1) for f in
                                           ("total", "mean", "min", "q1", "median", "q3", "max", "sd"))]
                 for s in spreads]
        out += [_table(rows), _p(f"{total['people']} personer, {total['units']} svar.", SMALL)]
    if not report["priorities"]:
        out.append(_p("Processen har inga prioriterings- eller rangordningsfrågor."))
    return out


def _themes(report: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [_p("Teman och citat", STYLES["Heading1"])]
    for theme in report["themes"]:
        status = DECISION_STATUS[theme["status"]].sv
        out += [Spacer(1, 3 * mm), _p(theme["title"], STYLES["Heading3"]),
                _p(f"{theme['answers']} svar · status: {status}", SMALL)]
        if theme.get("description"):
            out.append(_p(theme["description"]))
        out += [_p(f"”{q}”", QUOTE) for q in theme["quotes"]]
    if not report["themes"]:
        out.append(_p("Inga teman har publicerats till processen ännu."))
    return out


def _decisions(report: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [_p("Beslutslogg", STYLES["Heading1"])]
    rows: list[list[object]] = [["Tema/område", "Status", "Ansvarig", "Svar"]]
    rows += [[d["title"], DECISION_STATUS[d["status"]].sv, d["owner_name"] or d["owner_id"] or "", d["response"] or ""]
             for d in report["decisions"]]
    out.append(_table(rows, [45 * mm, 28 * mm, 30 * mm, 71 * mm]))
    if report["log"]:
        out += [Spacer(1, 4 * mm), _p("Ändringar", STYLES["Heading2"])]
        out.append(_table([["Datum", "Tema/område", "Från", "Till"]] +
                          [[sv_date(e["changed_at"]), e["title"], DECISION_STATUS[e["status_from"]].sv,
                            DECISION_STATUS[e["status_to"]].sv] for e in report["log"]]))
    return out
