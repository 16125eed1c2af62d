"""The facilitator's "new prompt" form: a kind or a ready template, and the fields that kind needs, turned into
feedback's `PromptIn`. Options are typed one per line; their ids are made here (o1, o2, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from samla_gateway.errors import N_

KINDS = ("open_text", "choice", "multi_choice", "scale", "word_cloud", "ranking", "priority")
WITH_OPTIONS = ("choice", "multi_choice", "ranking", "priority")


@dataclass(frozen=True)
class Template:
    label: str
    defaults: dict[str, Any] = field(default_factory=dict)


# Ready-made starting points; what the facilitator types in the form wins over a template's defaults.
TEMPLATES = {
    "scale_agree": Template(N_("Scale 1–5, from disagree to agree"),
                            {"kind": "scale", "scale_min": "1", "scale_max": "5",
                             "scale_low": "Instämmer inte alls", "scale_high": "Instämmer helt"}),
    "yes_no": Template(N_("Yes / No / Don't know"), {"kind": "choice", "options": "Ja\nNej\nVet inte"}),
    "three_words": Template(N_("Word cloud, three words each"), {"kind": "word_cloud", "max_phrases": "3"}),
    "table_talk": Template(N_("Table discussion, one written answer per table"),
                           {"kind": "open_text", "audience": "table"}),
    "budget_points": Template(N_("Spread 100 points over priorities"), {"kind": "priority", "points_total": "100"}),
}


class PromptFormProblem(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors  # form field -> catalogue id


def prompt_body(form: FormData) -> dict[str, Any]:
    """The prompt to create; raises PromptFormProblem with a message at each wrong field."""
    template = TEMPLATES.get(str(form.get("template", "")))
    values = dict(template.defaults) if template else {}
    values |= {k: str(v).strip() for k, v in form.items() if str(v).strip()}
    errors: dict[str, str] = {}
    kind = values.get("kind", "")
    if kind not in KINDS:
        errors["kind"] = N_("Choose a kind of question or a template.")
    title = values.get("title", "")
    if not title:
        errors["title"] = N_("Write the question.")
    body: dict[str, Any] = {"kind": kind, "title": title[:500], "description": values.get("description") or None,
                            "audience": "table" if values.get("audience") == "table" else "individual",
                            "anonymous": values.get("anonymous") == "true"}
    round_no = _int(values, "round_no", errors, 0, 50, N_("Write the round as a number from 0 to 50."))
    if round_no is not None:
        body["round_no"] = round_no
    if kind in WITH_OPTIONS:
        labels = [line.strip() for line in values.get("options", "").splitlines() if line.strip()]
        if len(labels) < 2 or len(labels) > 30:
            errors["options"] = N_("Write from 2 to 30 options, one per line.")
        body["options"] = [{"id": f"o{i}", "label": label[:300]} for i, label in enumerate(labels, start=1)]
    if kind == "scale":
        low = _or(_int(values, "scale_min", errors, 0, 10, N_("The scale starts at a number from 0 to 10.")), 1)
        high = _or(_int(values, "scale_max", errors, 1, 10, N_("The scale ends at a number from 1 to 10.")), 5)
        if low >= high:
            errors["scale_max"] = N_("The scale must end above where it starts.")
        labels_by_value = {str(low): values.get("scale_low", ""), str(high): values.get("scale_high", "")}
        body["scale"] = {"min": low, "max": high, "labels": {k: v for k, v in labels_by_value.items() if v}}
    if kind == "word_cloud":
        body["max_phrases"] = _int(values, "max_phrases", errors, 1, 5, N_("Allow from 1 to 5 words each.")) or 3
    if kind == "priority":
        body["points_total"] = _int(values, "points_total", errors, 10, 1000,
                                    N_("The points to spread must be from 10 to 1000.")) or 100
    if errors:
        raise PromptFormProblem(errors)
    return body


def _int(values: dict[str, Any], name: str, errors: dict[str, str], low: int, high: int, message: str) -> int | None:
    raw = values.get(name, "")
    if not raw:
        return None
    try:
        number = int(raw)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        errors[name] = message
        return None
    return number


def _or(value: int | None, default: int) -> int:
    return default if value is None else value
