"""From a posted answer form to the body feedback expects (`AnswerIn`), and back from a saved answer to what the
form shows. Plain HTML fields only, so answering works with JavaScript off."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from samla_gateway.errors import N_


class FormProblem(Exception):
    """The form itself cannot be read (a place given twice, points that are not numbers); a catalogue id."""


def answer_body(prompt: dict[str, Any], form: FormData) -> dict[str, Any]:
    """The answer to send; raises FormProblem for what feedback could not even be asked about."""
    kind = prompt["kind"]
    option_ids = [o["id"] for o in prompt.get("options") or []]
    if kind == "open_text":
        return {"text": str(form.get("text", ""))}
    if kind == "choice":
        return {"choice": str(form.get("choice", "")) or None}
    if kind == "multi_choice":
        return {"choices": [str(c) for c in form.getlist("choices")]}
    if kind == "scale":
        try:
            return {"scale": int(str(form.get("scale", "")))}
        except ValueError:
            return {"scale": None}
    if kind == "word_cloud":
        return {"phrases": [p for p in (str(v).strip() for v in form.getlist("phrases")) if p]}
    if kind == "ranking":
        return {"ranking": _ranking(option_ids, form)}
    if kind == "priority":
        return {"points": _points(option_ids, form)}
    raise FormProblem(N_("This kind of question cannot be answered here."))


def _ranking(option_ids: list[str], form: FormData) -> list[str]:
    places: dict[int, str] = {}
    for option in option_ids:
        raw = str(form.get(f"rank-{option}", "")).strip()
        if not raw:
            continue
        if not raw.isdigit():
            raise FormProblem(N_("Give each option you rank a place of its own."))
        if int(raw) in places:
            raise FormProblem(N_("Give each option you rank a place of its own."))
        places[int(raw)] = option
    return [places[p] for p in sorted(places)]


def _points(option_ids: list[str], form: FormData) -> dict[str, int]:
    points: dict[str, int] = {}
    for option in option_ids:
        raw = str(form.get(f"points-{option}", "")).strip() or "0"
        try:
            points[option] = int(raw)
        except ValueError:
            raise FormProblem(N_("Write the points as whole numbers.")) from None
    return points


def shown_values(prompt: dict[str, Any], value: dict[str, Any] | None, text: str | None) -> dict[str, Any]:
    """What a form shows for a saved answer (or for an answer sent back with an error)."""
    value = value or {}
    kind = prompt["kind"]
    if kind == "open_text":
        return {"text": text or ""}
    if kind == "ranking":
        return {"ranks": {o: i + 1 for i, o in enumerate(value.get("ranking") or [])}}
    if kind == "word_cloud":
        return {"phrases": list(value.get("phrases") or [])}
    return dict(value)


def posted_values(prompt: dict[str, Any], form: FormData) -> dict[str, Any]:
    """The form's own fields, to show them again after a refusal (nothing typed is lost)."""
    kind = prompt["kind"]
    option_ids = [o["id"] for o in prompt.get("options") or []]
    if kind == "ranking":
        ranks = {o: str(form.get(f"rank-{o}", "")) for o in option_ids}
        return {"ranks": {o: r for o, r in ranks.items() if r}}
    if kind == "priority":
        return {"points": {o: str(form.get(f"points-{o}", "")) for o in option_ids}}
    if kind == "word_cloud":
        return {"phrases": [str(p) for p in form.getlist("phrases")]}
    if kind == "multi_choice":
        return {"choices": [str(c) for c in form.getlist("choices")]}
    if kind == "scale":
        return {"scale": str(form.get("scale", ""))}
    return {k: str(form.get(k, "")) for k in ("text", "choice")}
