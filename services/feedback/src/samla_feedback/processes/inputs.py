"""Reads a process's priority and ranking answers and turns them into k-protected structured input, a comparison
between two of its events and a trend across the processes of its series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_feedback.anonymity import policy
from samla_feedback.participants.directory import names_of
from samla_feedback.processes import aggregation
from samla_feedback.processes import service as processes
from samla_feedback.processes.aggregation import Unit
from samla_feedback.processes.models import Process
from samla_feedback.prompts.models import Prompt
from samla_feedback.responses.models import Response

METHODS = {"priority": "points", "ranking": "borda"}


def areas_of(process: Process, prompt: Prompt) -> tuple[list[dict[str, str]], dict[str, str]]:
    """(the areas the prompt speaks about, option id -> area id). Without areas, the options are the areas."""
    if not process.areas:
        areas = [{"id": str(o["id"]), "title": str(o["label"])} for o in prompt.options]
        return areas, {a["id"]: a["id"] for a in areas}
    by_id = {a["id"]: a for a in process.areas}
    by_title = {str(a["title"]).casefold(): a for a in process.areas}
    mapping: dict[str, str] = {}
    for option in prompt.options:
        area = by_id.get(str(option["id"])) or by_title.get(str(option["label"]).casefold())
        if area is not None:
            mapping[str(option["id"])] = area["id"]
    wanted = set(mapping.values())
    return [a for a in process.areas if a["id"] in wanted], mapping


def units_of(*, session: Session, prompt: Prompt, mapping: dict[str, str]) -> list[Unit]:
    """One unit per answer (a person's, or a table's for everyone at it), values per area."""
    rows = session.execute(select(Response.table_id, Response.administration_id, Response.level,
                                  Response.group_size, Response.value)
                           .where(Response.prompt_id == prompt.id, Response.value.is_not(None)))
    options = len(prompt.options)
    units = []
    for table_id, administration_id, level, group_size, value in rows:
        if prompt.kind == "priority":
            raw = {str(o): float(v) for o, v in (value or {}).get("points", {}).items()}
        else:
            raw = aggregation.borda([str(o) for o in (value or {}).get("ranking", [])], options)
        values: dict[str, float] = {}
        for option, points in raw.items():
            if option in mapping:
                values[mapping[option]] = values.get(mapping[option], 0.0) + points
        units.append(Unit(table_id=table_id or "", administration_id=administration_id or "", level=level or "",
                          people=group_size, values=values))
    return units


def dimensions_of(prompt: Prompt) -> list[str]:
    """The groups a prompt may be broken down by: the same rule as its live results."""
    if prompt.audience == "table":
        return ["table"]
    return [d for d in prompt.breakdowns or [] if d in aggregation.DIMENSION_INDEX]


def prompt_input(*, session: Session, process: Process, prompt: Prompt) -> dict[str, Any]:
    """The k-protected input of one prompt: every cell, with spread per area where it may be published."""
    k = policy.get(session=session, event_id=prompt.event_id).k
    areas, mapping = areas_of(process, prompt)
    units = units_of(session=session, prompt=prompt, mapping=mapping)
    cells = aggregation.aggregate(units, [a["id"] for a in areas], dimensions_of(prompt), k)
    # Like the results page: breakdowns of individual answers only once the prompt has closed.
    groups_shown = prompt.audience == "table" or prompt.status == "closed"
    if not groups_shown:
        cells = [c for c in cells if c.dimension == "total"]
    names = names_of(session=session, unit_ids={c.value for c in cells if c.dimension == "administration"})
    return {"prompt_id": prompt.id, "event_id": prompt.event_id, "title": prompt.title, "kind": prompt.kind,
            "method": METHODS[prompt.kind], "audience": prompt.audience, "status": prompt.status, "k": k,
            "points_total": prompt.points_total if prompt.kind == "priority" else None, "areas": areas,
            "groups_shown": groups_shown,
            "cells": [{**asdict(c), "name": names.get(c.value, c.value)} for c in cells]}


def process_input(*, session: Session, process: Process, event_ids: Sequence[str] | None = None) -> list[
        dict[str, Any]]:
    """The input of every linked priority and ranking prompt (optionally only of some events)."""
    return [prompt_input(session=session, process=process, prompt=p)
            for p in processes.prompts_of(session=session, process=process)
            if event_ids is None or p.event_id in event_ids]


def compare(*, session: Session, process: Process, event_a: str, event_b: str) -> list[dict[str, Any]]:
    """Means per area in two events of the process, for the groups published in both (b minus a)."""
    inputs = process_input(session=session, process=process, event_ids=[event_a, event_b])
    out = []
    for method in ("points", "borda"):
        first = {e: next((i for i in inputs if i["method"] == method and i["event_id"] == e), None)
                 for e in (event_a, event_b)}
        a, b = first[event_a], first[event_b]
        if a is None or b is None:
            continue
        cells_b = {(c["dimension"], c["value"]): c for c in b["cells"] if not c["suppressed"]}
        groups = []
        for cell_a in a["cells"]:
            cell_b = cells_b.get((cell_a["dimension"], cell_a["value"]))
            if cell_a["suppressed"] or cell_b is None:
                continue
            means_b = {s["area_id"]: s for s in cell_b["areas"]}
            groups.append({"dimension": cell_a["dimension"], "value": cell_a["value"], "name": cell_a["name"],
                           "people_a": cell_a["people"], "people_b": cell_b["people"],
                           "areas": [{"area_id": s["area_id"], "mean_a": s["mean"],
                                      "mean_b": means_b[s["area_id"]]["mean"],
                                      "change": round(means_b[s["area_id"]]["mean"] - s["mean"], 4)}
                                     for s in cell_a["areas"] if s["area_id"] in means_b]})
        out.append({"method": method, "prompt_a": a["prompt_id"], "prompt_b": b["prompt_id"], "groups": groups})
    return out


def trend(*, session: Session, process: Process) -> list[dict[str, Any]]:
    """Per process of the series (oldest first): mean per area over everyone, and each area's share of points."""
    series = processes.in_series(session=session, series=process.series) if process.series else [process]
    out = []
    for member in series:
        methods: dict[str, list[dict[str, Any]]] = {}
        for method in ("points", "borda"):
            totals: dict[str, float] = {}
            units = 0
            budget = 0.0
            titles: dict[str, str] = {}
            for item in process_input(session=session, process=member):
                total = next(c for c in item["cells"] if c["dimension"] == "total")
                if item["method"] != method or total["suppressed"]:
                    continue
                units += total["units"]
                budget += total["units"] * (item["points_total"] or 0)
                titles.update({a["id"]: a["title"] for a in item["areas"]})
                for s in total["areas"]:
                    totals[s["area_id"]] = totals.get(s["area_id"], 0.0) + s["total"]
            if units:
                methods[method] = [{"area_id": a, "title": titles[a], "mean": round(t / units, 4),
                                    "share": round(100 * t / budget, 2) if budget else None}
                                   for a, t in totals.items()]
        out.append({"process_id": member.id, "title": member.title, "year": member.year, "methods": methods})
    return out
