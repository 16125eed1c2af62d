"""The evaluation report of a chefsdag as PDF: participation, one section per prompt with its chart as an image,
themes with quotes, and the questions with their follow-up. People's text is escaped (documents.pdf.paragraph)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, SimpleDocTemplate, Spacer

from samla_feedback.documents import charts
from samla_feedback.documents.charts import Chart
from samla_feedback.documents.pdf import MARGINS, QUOTE, SMALL, STYLES, paragraph, png_image, table
from samla_feedback.processes.formats import sv_date, sv_decimal

KINDS_SV = {"open_text": "Öppen fråga", "choice": "Enkelval", "multi_choice": "Flerval", "scale": "Skala",
            "word_cloud": "Ordmoln", "ranking": "Rangordning", "priority": "Poängfördelning"}
SECTIONS_SV = {"dialogue": "Dialog", "evaluation": "Utvärdering"}
MAX_TEXTS = 12


def render(report: dict[str, Any]) -> bytes:
    """The report as PDF bytes."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, title=f"Utvärdering – {report['event_id']}", author="Samla",
                            **MARGINS)
    story: list[Flowable] = [*_cover(report), PageBreak(), *_prompts(report), PageBreak(), *_themes(report),
                             PageBreak(), *_questions(report)]
    doc.build(story)
    return buf.getvalue()


def _dash(value: object) -> object:
    return "–" if value is None else value


def _cover(report: dict[str, Any]) -> list[Flowable]:
    p = report["participation"]
    out: list[Flowable] = [
        paragraph(f"Utvärdering av chefsdagen {report['event_id']}", STYLES["Title"]),
        paragraph(f"Sammanställd {sv_date(report['generated_at'])}. Resultat för grupper med färre än "
                  f"{report['k']} svarande, eller som går att räkna fram ur andra grupper, visas inte.", SMALL),
        Spacer(1, 4 * mm), paragraph("Deltagande", STYLES["Heading2"]),
        table([["Placerade vid bord", "Inbjudna", "Anmälda", "Incheckade"],
               [_dash(p["seated"]), _dash(p["invited"]), _dash(p["registered"]), _dash(p["checked_in"])]]),
        paragraph("”–” betyder att uppgiften inte finns i återkopplingstjänsten.", SMALL),
        Spacer(1, 4 * mm), paragraph("Svarande per fråga", STYLES["Heading2"])]
    rows: list[list[object]] = [["Fråga", "Del", "Svar"]]
    rows += [[i["title"], SECTIONS_SV.get(i["section"], i["section"]),
              f"färre än {report['k']}" if i["suppressed"] else i["respondents"]] for i in p["prompts"]]
    out.append(table(rows, [110 * mm, 30 * mm, 34 * mm]) if p["prompts"] else paragraph("Inga frågor har öppnats."))
    return out


def _prompts(report: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [paragraph("Resultat per fråga", STYLES["Heading1"])]
    for item in report["prompts"]:
        prompt, result = item["prompt"], item["results"]
        head: list[Flowable] = [Spacer(1, 4 * mm), paragraph(prompt["title"], STYLES["Heading3"]),
                                paragraph(f"{KINDS_SV.get(prompt['kind'], prompt['kind'])} · "
                                          f"{result['respondents']} svar", SMALL)]
        if result["suppressed"]:
            out.append(KeepTogether([*head, paragraph(f"Färre än {report['k']} har svarat; resultatet visas inte.")]))
            continue
        if item["chart"]:
            chart = Chart(**item["chart"])
            head.append(png_image(charts.png(chart), chart.size))
        summary = result["summary"] or {}
        if summary.get("mean") is not None and prompt["kind"] == "scale":
            head.append(paragraph(f"Medelvärde {sv_decimal(summary['mean'], 2)}", SMALL))
        out.append(KeepTogether(head))
        texts = result.get("texts") or []
        out += [paragraph(f"”{t['text']}”", QUOTE) for t in texts[:MAX_TEXTS]]
        if len(texts) > MAX_TEXTS:
            out.append(paragraph(f"… och {len(texts) - MAX_TEXTS} svar till.", SMALL))
    if not report["prompts"]:
        out.append(paragraph("Inga frågor har öppnats under dagen."))
    return out


def _themes(report: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [paragraph("Teman och citat", STYLES["Heading1"])]
    for theme in report["themes"]:
        out += [Spacer(1, 3 * mm), paragraph(theme["title"], STYLES["Heading3"])]
        if theme["suppressed"]:
            out.append(paragraph(f"Färre än {report['k']} personer i temat; citat och spridning visas inte.", SMALL))
            continue
        spread = ", ".join(f"{s['name']} {s['answers']}" for s in theme["spread"])
        out.append(paragraph(f"{theme['answers']} svar" + (f" · {spread}" if spread else ""), SMALL))
        if theme.get("description"):
            out.append(paragraph(theme["description"]))
        out += [paragraph(f"”{q}”", QUOTE) for q in theme["quotes"]]
    if not report["themes"]:
        out.append(paragraph("Inga teman har skapats."))
    return out


def _questions(report: dict[str, Any]) -> list[Flowable]:
    out: list[Flowable] = [paragraph("Frågor till ledningen", STYLES["Heading1"])]
    rows: list[list[object]] = [["Fråga", "Röster", "Svar", "Uppföljning"]]
    for q in report["questions"]:
        text = "(raderad enligt gallringsbeslut)" if q["text_deleted"] else q["text"]
        answer = q["answer_text"] or ("Besvarad från scenen" if q["answer_mode"] == "stage" else "")
        follow = q["follow_up_label"] + (f": {q['follow_up_note']}" if q["follow_up_note"] else "")
        rows.append([text, q["votes"], answer, follow])
    out.append(table(rows, [70 * mm, 16 * mm, 48 * mm, 40 * mm]) if report["questions"]
               else paragraph("Inga frågor ställdes."))
    return out
