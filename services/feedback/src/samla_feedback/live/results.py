"""A prompt's results as JSON, with the anonymity rules applied (DESIGN §7).

Results are read from the tallies (a few hundred rows whatever the number of answers). Every group a result could
be broken down by is put through `anonymity.suppression.protect` together, whichever breakdown a caller asks for,
so two requests cannot be combined to difference a group. Breakdowns of individual answers are shown only once a
prompt has closed: a live breakdown changing while one known person answers would show that person's answer.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_feedback.anonymity.suppression import protect
from samla_feedback.participants.directory import names_of
from samla_feedback.prompts.models import Prompt
from samla_feedback.responses import tallies
from samla_feedback.responses.models import RESPONDENTS, Response
from samla_feedback.texts import SUPPRESSED, fill

Atom = tuple[str, str, str]  # (table, administration, level)
DIMENSION_INDEX = {"table": 0, "administration": 1, "level": 2}
MAX_TERMS = 60
MAX_TEXTS = 50


def compute(*, session: Session, prompt: Prompt, k: int) -> dict[str, Any]:
    """The k-protected results of one prompt."""
    buckets: dict[Atom, dict[str, tuple[int, int]]] = defaultdict(dict)
    labels: dict[str, str] = {}
    for table_id, administration_id, level, bucket, label, count, total in tallies.rows(session, prompt_id=prompt.id):
        atom = (table_id, administration_id, level)
        buckets[atom][bucket] = (count, total)
        if label:
            labels.setdefault(bucket, label)
    people = {atom: b.get(RESPONDENTS, (0, 0))[1] for atom, b in buckets.items()}
    dims = ["table"] if prompt.audience == "table" else [d for d in prompt.breakdowns if d in DIMENSION_INDEX]
    cells: dict[tuple[str, str], list[Atom]] = {("total", ""): list(buckets)}
    for dim in dims:
        for atom in buckets:
            value = atom[DIMENSION_INDEX[dim]]
            if value:
                cells.setdefault((dim, value), []).append(atom)
    published = protect(cells, people, k)
    answers = sum(b.get(RESPONDENTS, (0, 0))[0] for b in buckets.values())
    total_shown = ("total", "") in published
    show_groups = prompt.audience == "table" or prompt.status == "closed"
    result: dict[str, Any] = {
        "prompt_id": prompt.id, "event_id": prompt.event_id, "kind": prompt.kind, "audience": prompt.audience,
        "status": prompt.status, "k": k, "respondents": answers, "suppressed": not total_shown,
        "summary": _summary(prompt, [buckets[a] for a in cells[("total", "")]], labels) if total_shown else None,
        "groups": _groups(session, prompt, dims, cells, published, buckets, labels) if show_groups else {},
        "groups_shown": "live" if prompt.audience == "table" else "after_close",
        "notice": fill(SUPPRESSED, k=k) if not total_shown else None,
    }
    if total_shown and prompt.has_free_text:
        result["texts"] = _texts(session, prompt, published, k)
    return result


def _groups(session: Session, prompt: Prompt, dims: list[str], cells: dict[tuple[str, str], list[Atom]],
            published: set[tuple[str, str]], buckets: dict[Atom, dict[str, tuple[int, int]]],
            labels: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    units = {value for dim, value in cells if dim == "administration"}
    names = names_of(session=session, unit_ids=units)
    out: dict[str, list[dict[str, Any]]] = {}
    for dim in dims:
        entries = []
        for (d, value), atoms in sorted(cells.items()):
            if d != dim:
                continue
            entry: dict[str, Any] = {"id": value, "name": names.get(value, value)}
            if (d, value) in published:
                entry.update(suppressed=False, summary=_summary(prompt, [buckets[a] for a in atoms], labels))
            else:
                entry.update(suppressed=True, summary=None)
            entries.append(entry)
        out[dim] = entries
    return out


def _summary(prompt: Prompt, parts: list[dict[str, tuple[int, int]]], labels: dict[str, str]) -> dict[str, Any]:
    counts: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    for part in parts:
        for bucket, (count, total) in part.items():
            counts[bucket] += count
            totals[bucket] += total
    n = counts.get(RESPONDENTS, 0)
    summary: dict[str, Any] = {"answers": n, "people": totals.get(RESPONDENTS, 0)}
    if prompt.kind in ("choice", "multi_choice"):
        summary["options"] = [{"id": o["id"], "label": o["label"], "count": counts.get(f"o:{o['id']}", 0)}
                              for o in prompt.options]
    elif prompt.kind in ("ranking", "priority"):
        summary["options"] = sorted(
            ({"id": o["id"], "label": o["label"], "points": totals.get(f"o:{o['id']}", 0),
              "mean": round(totals.get(f"o:{o['id']}", 0) / n, 2) if n else None} for o in prompt.options),
            key=lambda o: -int(o["points"]))
    elif prompt.kind == "scale":
        low, high = prompt.scale_min or 0, prompt.scale_max or 0
        distribution = {str(v): counts.get(f"s:{v}", 0) for v in range(low, high + 1)}
        weighted = sum(totals.get(f"s:{v}", 0) for v in range(low, high + 1))
        summary.update(distribution=distribution, labels=prompt.scale_labels,
                       mean=round(weighted / n, 2) if n else None)
    elif prompt.kind == "word_cloud":
        terms = sorted(((b, c) for b, c in counts.items() if b.startswith("w:") and c > 0), key=lambda t: (-t[1], t[0]))
        summary["terms"] = [{"term": labels.get(b, b[2:]), "count": c} for b, c in terms[:MAX_TERMS]]
    return summary


def _texts(session: Session, prompt: Prompt, published: set[tuple[str, str]], k: int) -> list[dict[str, Any]]:
    stmt = select(Response.text, Response.table_id, Response.group_size).where(
        Response.prompt_id == prompt.id, Response.text.is_not(None))
    out = []
    for text, table_id, group_size in session.execute(stmt.order_by(Response.id).limit(MAX_TEXTS * 4)):
        if prompt.audience == "table":
            if group_size >= k and ("table", table_id) in published:
                out.append({"table_id": table_id, "text": text})
        else:
            out.append({"table_id": None, "text": text})
        if len(out) >= MAX_TEXTS:
            break
    return out
