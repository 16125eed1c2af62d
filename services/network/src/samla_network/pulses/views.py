"""Turns pulses and feedback's k-protected results into the API's shapes (names instead of ids)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_network.groups.models import NetworkGroup
from samla_network.pulses import questions
from samla_network.pulses.models import Pulse
from samla_network.pulses.schemas import (
    GroupResultOut,
    PulseOut,
    PulseQuestionOut,
    PulseResultOut,
    PulseSummaryOut,
)
from samla_network.runs.models import MatchingRun


def questions_out(pulse: Pulse) -> list[PulseQuestionOut]:
    return [PulseQuestionOut(**q) for q in pulse.prompts]


def _groups(entries: list[dict[str, Any]], names: dict[str, str]) -> list[GroupResultOut]:
    return [GroupResultOut(id=e["id"], name=names.get(e["id"], e.get("name") or e["id"]), suppressed=e["suppressed"],
                           summary=e.get("summary")) for e in entries]


def result_out(pulse: Pulse, raw: dict[str, Any], names: dict[str, str]) -> PulseResultOut:
    question = next((q["question"] for q in pulse.prompts if q["prompt_id"] == raw["prompt_id"]), "")
    groups = raw.get("groups") or {}
    return PulseResultOut(question=question, prompt_id=raw["prompt_id"], respondents=raw["respondents"],
                          suppressed=raw["suppressed"], summary=raw.get("summary"),
                          networks=_groups(groups.get("table", []), names),
                          administrations=_groups(groups.get("administration", []), {}),
                          texts=[t["text"] for t in raw.get("texts", [])])


def pulse_out(*, session: Session, pulse: Pulse, results: list[dict[str, Any]] | None = None) -> PulseOut:
    run = session.get(MatchingRun, pulse.run_id)
    names: dict[str, str] = {}
    if results is not None:
        names = dict(session.execute(select(NetworkGroup.id, NetworkGroup.name)
                                     .where(NetworkGroup.id.in_(pulse.group_ids))).tuples().all())
    return PulseOut(id=pulse.id, run_id=pulse.run_id, run_name=run.name if run else "", period=pulse.period,
                    status=pulse.status, people=pulse.people, networks=len(pulse.group_ids),
                    feedback_event_id=pulse.feedback_event_id, questions=questions_out(pulse),
                    k=results[0].get("k") if results else None,
                    results=[result_out(pulse, r, names) for r in results] if results is not None else None,
                    created_at=pulse.created_at, closed_at=pulse.closed_at)


def summary_out(pulse: Pulse) -> PulseSummaryOut:
    """The health view's line for a closed pulse: nothing feedback suppressed is shown."""
    by_question = {q["prompt_id"]: q["question"] for q in pulse.prompts}
    shown = {by_question.get(r["prompt_id"]): r for r in pulse.results or [] if not r["suppressed"]}
    met, value = shown.get(questions.MET), shown.get(questions.VALUE)
    met_rate = None
    if met is not None and met["summary"]["answers"]:
        yes = sum(o["count"] for o in met["summary"]["options"] if o["id"] in questions.MET_YES)
        met_rate = round(yes / met["summary"]["answers"], 3)
    respondents = max((r["respondents"] for r in shown.values()), default=None)
    return PulseSummaryOut(pulse_id=pulse.id, period=pulse.period, respondents=respondents, met_rate=met_rate,
                           value_mean=value["summary"]["mean"] if value is not None else None)
