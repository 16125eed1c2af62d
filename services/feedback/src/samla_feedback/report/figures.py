"""Which chart shows a prompt's result: built from the k-protected summary only, never from raw answers.

A result that is suppressed (fewer than k answered) has no chart; open text has none either (its texts are shown).
"""

from __future__ import annotations

from typing import Any

from samla_feedback.documents.charts import Chart
from samla_feedback.prompts.models import Prompt

MAX_TERMS = 15


def chart_for(prompt: Prompt, result: dict[str, Any]) -> Chart | None:
    """The chart of one prompt's overall result, or None when there is nothing that may be drawn."""
    summary = result.get("summary")
    if result["suppressed"] or not summary:
        return None
    if prompt.kind in ("choice", "multi_choice"):
        options = summary["options"]
        return Chart([o["label"] for o in options], [float(o["count"]) for o in options], "Antal svar")
    if prompt.kind in ("ranking", "priority"):
        options = summary["options"]
        axis = "Poäng i medel" if prompt.kind == "priority" else "Borda-poäng i medel"
        return Chart([o["label"] for o in options], [float(o["mean"] or 0) for o in options], axis, digits=1)
    if prompt.kind == "scale":
        labels = summary.get("labels") or {}
        values = summary["distribution"]
        return Chart([f"{v}\n{labels[v]}" if labels.get(v) else v for v in values],
                     [float(c) for c in values.values()], "Antal svar", vertical=True)
    if prompt.kind == "word_cloud" and summary.get("terms"):
        terms = summary["terms"][:MAX_TERMS]
        return Chart([t["term"] for t in terms], [float(t["count"]) for t in terms], "Antal gånger")
    return None
