"""Checking every row of an import against the file and the directory, and working out what it would change.

Errors block the import; warnings (an unknown column, a neutralised cell, a guessed encoding) do not.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_common.spreadsheets import FORMULA_STARTS, neutralise
from samla_identity.imports import emails, messages, values
from samla_identity.imports.columns import Columns, map_headings
from samla_identity.imports.reading import Sheet
from samla_identity.imports.units import UnitResolver
from samla_identity.orgunits.schemas import OrgUnitIn
from samla_identity.people.models import Person
from samla_identity.people.schemas import LEVELS, PersonIn

SOURCE = "import"
PREVIEW_ROWS = 50
FREE_TEXT = {"name", "first_name", "last_name", "title", "location", "employee_number", "path_kommunkoncern",
             "path_forvaltning", "path_bolag", "path_avdelning", "path_enhet"}
_FORMULA_FIRST = set(FORMULA_STARTS)
_FIELD_COLUMNS = {"id": ("id", "email"), "name": ("name", "first_name"), "email": ("email",), "title": ("title",),
                  "level": ("level",), "location": ("location",), "employee_number": ("employee_number",),
                  "languages": ("languages",), "manager_id": ("manager",),
                  "org_unit_id": ("org_unit", "path_enhet", "path_avdelning", "path_forvaltning")}


@dataclass
class Checked:
    """The outcome of checking a file: what a commit would write, and what stands in its way."""

    rows_total: int = 0
    people: list[tuple[PersonIn, str]] = field(default_factory=list)  # data, create/update/unchanged
    units: list[OrgUnitIn] = field(default_factory=list)  # to create, parents first
    deactivate: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    preview: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        actions = [a for _, a in self.people]
        return {"create": actions.count("create"), "update": actions.count("update"),
                "unchanged": actions.count("unchanged"), "deactivate": len(self.deactivate),
                "org_units_create": len(self.units)}


@dataclass
class _Row:
    number: int
    fields: dict[str, Any]  # PersonIn fields the file gives
    email_key: str = ""
    manager_ref: str = ""
    bad: set[str] = field(default_factory=set)  # columns already reported, so one cell gets one error


def check(*, session: Session, sheet: Sheet, deactivate_missing: bool = False) -> Checked:
    """Validates every row of `sheet` against itself and the directory; nothing is written."""
    out = Checked(rows_total=len(sheet.rows), warnings=list(sheet.warnings))
    cols = map_headings(sheet.header, row=sheet.header_row)
    out.errors += cols.errors
    out.warnings += cols.warnings
    if cols.errors:
        return out
    if not sheet.rows:
        out.errors.append(messages.file_problem("no_rows"))
        return out
    people = {p.id: p for p in session.scalars(select(Person))}
    by_email: dict[str, list[Person]] = defaultdict(list)
    for p in people.values():
        if p.email:
            by_email[p.email.casefold()].append(p)
    resolver = UnitResolver(session)
    rows = [_read_row(number, cells, cols, resolver, out) for number, cells in sheet.rows]
    _identify(rows, cols, people, by_email, out)
    _link_managers(rows, cols, people, by_email, out)
    for row in rows:
        data = _person(row, cols, people.get(row.fields["id"]), out) if row.fields.get("id") else None
        action = "invalid"
        if data is not None and not row.bad:
            existing = people.get(data.id)
            action = ("create" if existing is None else
                      "update" if values.person_changes(existing, data) else "unchanged")
            out.people.append((data, action))
        if len(out.preview) < PREVIEW_ROWS:
            out.preview.append({"row": row.number, "action": action, **row.fields})
    out.units = list(resolver.new.values())
    if deactivate_missing:
        listed = {row.fields.get("id") for row in rows}
        out.deactivate = sorted(p.id for p in people.values() if p.source == SOURCE and p.active and p.id not in listed)
    out.errors.sort(key=lambda e: (e["row"] or 0, e["column"] or ""))
    return out


def _fail(out: Checked, row: _Row, column_field: str, cols: Columns, code: str, **params: Any) -> None:
    column = cols.heading.get(column_field, column_field)
    if column in row.bad:
        return
    row.bad.add(column)
    out.errors.append(messages.cell_problem(code, row=row.number, column=column, **params))


def _texts(row: _Row, cells: list[str], cols: Columns, out: Checked) -> dict[str, str | None]:
    """The row's cells by field; free text that starts like a formula is neutralised, other such cells are
    reported and come out as None."""
    text: dict[str, str | None] = {}
    width = len(cells)
    for name, i in cols.index.items():
        raw = cells[i] if i < width else ""
        text[name] = raw if raw[:1] not in _FORMULA_FIRST else _formula_like(row, name, raw, cols, out)
    return text


def _formula_like(row: _Row, name: str, raw: str, cols: Columns, out: Checked) -> str | None:
    if raw.startswith("="):
        _fail(out, row, name, cols, "formula", value=messages.shown(raw))
        return None
    if name not in FREE_TEXT:
        _fail(out, row, name, cols, "formula_start", value=messages.shown(raw))
        return None
    out.warnings.append(messages.cell_problem("neutralised", row=row.number, column=cols.heading[name],
                                              value=messages.shown(raw), char=raw[0].strip() or "tabb"))
    return neutralise(raw)


def _read_row(number: int, cells: list[str], cols: Columns, resolver: UnitResolver, out: Checked) -> _Row:
    row = _Row(number, {})
    text = _texts(row, cells, cols, out)
    f = row.fields
    if cols.has("name"):
        f["name"] = text["name"]
    else:
        f["name"] = " ".join(p for p in (text.get("first_name"), text.get("last_name")) if p)
    if f["name"] == "" and not ({cols.heading.get("name"), cols.heading.get("first_name")} & row.bad):
        _fail(out, row, "name" if cols.has("name") else "first_name", cols, "required")
    f["id"] = text.get("id") or None
    if cols.has("email"):
        row.email_key = (text["email"] or "").casefold()
        f["email"] = emails.normalise(text["email"]) if text["email"] else None
        if text["email"] and f["email"] is None:
            _fail(out, row, "email", cols, "invalid_email", value=messages.shown(text["email"]))
    if not f["id"] and not row.email_key and not row.bad:
        _fail(out, row, "id" if cols.has("id") else "email", cols, "required")
    for name in ("title", "location", "employee_number"):
        if cols.has(name):
            f[name] = text[name] or None
    if cols.has("level"):
        f["level"] = _level(row, text["level"], cols, out)
    if cols.has("languages"):
        f["languages"] = _languages(row, text["languages"], cols, out)
    if cols.has("manager"):
        row.manager_ref = text["manager"] or ""
    if cols.has("org_unit"):
        f["org_unit_id"] = _unit_reference(row, text["org_unit"], cols, resolver, out)
    elif cols.path_mode:
        f["org_unit_id"] = _unit_path(row, text, cols, resolver, out)
    return row


def _level(row: _Row, raw: str | None, cols: Columns, out: Checked) -> str | None:
    if not raw:
        return None
    level = values.normalise_level(raw)
    if level is None:
        _fail(out, row, "level", cols, "unknown_level", value=messages.shown(raw), levels=", ".join(LEVELS))
    return level


def _languages(row: _Row, raw: str | None, cols: Columns, out: Checked) -> list[str]:
    codes, unknown = values.parse_languages(raw or "")
    if unknown:
        _fail(out, row, "languages", cols, "unknown_language", value=messages.shown(unknown[0]))
    return codes


def _unit_reference(row: _Row, raw: str | None, cols: Columns, resolver: UnitResolver, out: Checked) -> str | None:
    if not raw:
        return None
    unit, candidates = resolver.by_reference(raw)
    if unit is None:
        code = "ambiguous_unit" if candidates else "unknown_unit"
        _fail(out, row, "org_unit", cols, code, value=messages.shown(raw), ids=", ".join(candidates[:5]))
    return unit


def _unit_path(row: _Row, text: dict[str, str | None], cols: Columns, resolver: UnitResolver,
               out: Checked) -> str | None:
    """The deepest unit of the row's path; a level filled in below an empty one is an error."""
    if text.get("path_forvaltning") and text.get("path_bolag"):
        _fail(out, row, "path_bolag", cols, "forvaltning_and_bolag")
        return None
    second = "path_bolag" if text.get("path_bolag") or not cols.has("path_forvaltning") else "path_forvaltning"
    chain = [(second.removeprefix("path_"), second), ("avdelning", "path_avdelning"), ("enhet", "path_enhet")]
    root = text.get("path_kommunkoncern")
    levels: list[tuple[str, str]] = [("kommunkoncern", root)] if root else []
    empty_above: str | None = None
    for kind, name in chain:
        if not cols.has(name):
            continue
        value = text.get(name)
        if not value:
            empty_above = empty_above or name
            continue
        if empty_above is not None:
            _fail(out, row, name, cols, "path_gap", parent=cols.heading[empty_above])
            return None
        levels.append((kind, value))
    for kind, value in levels:
        if len(value) > 300:
            _fail(out, row, f"path_{kind}", cols, "too_long", max=300)
            return None
    return resolver.by_path(levels, has_root=bool(root)) if levels else None


def _identify(rows: list[_Row], cols: Columns, people: dict[str, Person], by_email: dict[str, list[Person]],
              out: Checked) -> None:
    """Gives every row its person id (a row without one is matched by e-mail) and flags repeats."""
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row in rows:
        f = row.fields
        if row.email_key:
            if row.email_key in seen_emails:
                _fail(out, row, "email", cols, "duplicate_email", value=messages.shown(f["email"]),
                      other=seen_emails[row.email_key])
            seen_emails.setdefault(row.email_key, row.number)
            owners = by_email.get(row.email_key, [])
            if not f["id"]:
                owner = next((p for p in owners if p.active), owners[0] if owners else None)
                f["id"] = owner.id if owner else "imp-" + hashlib.sha256(row.email_key.encode()).hexdigest()[:20]
            elif owners and all(p.id != f["id"] for p in owners):
                _fail(out, row, "email", cols, "email_taken", value=messages.shown(f["email"]), other=owners[0].id)
        if f["id"]:
            if f["id"] in seen_ids:
                _fail(out, row, "id" if cols.has("id") else "email", cols, "duplicate_id",
                      value=messages.shown(f["id"]), other=seen_ids[f["id"]])
            seen_ids.setdefault(f["id"], row.number)


def _link_managers(rows: list[_Row], cols: Columns, people: dict[str, Person], by_email: dict[str, list[Person]],
                   out: Checked) -> None:
    """Resolves each "Chef" (an e-mail or id, in the file or the directory) and refuses circular reporting lines."""
    if not cols.has("manager"):
        return
    in_file = {r.fields["id"]: r for r in rows if r.fields.get("id")}
    emails = {r.email_key: r.fields["id"] for r in rows if r.email_key and r.fields.get("id")}
    for row in rows:
        ref = row.manager_ref
        manager = (ref if ref in in_file else emails.get(ref.casefold())) if ref else None
        if ref and manager is None:
            known = people.get(ref) or min(by_email.get(ref.casefold(), []), key=lambda p: not p.active, default=None)
            if known is None:
                _fail(out, row, "manager", cols, "unknown_manager", value=messages.shown(ref))
            elif not known.active:
                _fail(out, row, "manager", cols, "inactive_manager", value=messages.shown(ref))
            else:
                manager = known.id
        if manager is not None and manager == row.fields.get("id"):
            _fail(out, row, "manager", cols, "self_manager")
            manager = None
        row.fields["manager_id"] = manager
    links: dict[str, str | None] = {p.id: p.manager_id for p in people.values()}
    links.update({pid: r.fields["manager_id"] for pid, r in in_file.items()})
    for cycle in values.find_cycles(links):
        rows_on_it = [in_file[pid] for pid in cycle if pid in in_file]
        if not rows_on_it:
            continue  # an old cycle in the directory that this file does not touch
        chain = messages.shown(" → ".join(_label(pid, in_file, people) for pid in [*cycle, cycle[0]]), 200)
        for row in rows_on_it:
            _fail(out, row, "manager", cols, "manager_cycle", chain=chain)


def _label(pid: str, in_file: dict[str, _Row], people: dict[str, Person]) -> str:
    row = in_file.get(pid)
    return str(row.fields.get("name") or pid) if row else people[pid].name if pid in people else pid


def _person(row: _Row, cols: Columns, existing: Person | None, out: Checked) -> PersonIn | None:
    """The person as the import would write it: the file's columns over what the directory already holds."""
    kept: dict[str, Any] = {"roles": [], "user_name": None, "external_id": None}
    if existing is not None:
        kept = {name: getattr(existing, name) for name in ("name", "email", "title", "level", "org_unit_id",
                                                           "manager_id", "location", "employee_number",
                                                           "user_name", "external_id")}
        kept |= {"languages": list(existing.languages or []), "roles": list(existing.roles or [])}
    fields = kept | row.fields
    email = fields.pop("email", None)  # checked by emails.normalise, which agrees with EmailStr and is faster
    try:
        data = PersonIn(**fields)
        data.email = email  # no validate_assignment: set as checked
        return data
    except ValidationError as exc:
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else ""
            column = next((c for c in _FIELD_COLUMNS.get(name, ()) if cols.has(c)), name)
            code = {"string_pattern_mismatch": "invalid_id", "string_too_long": "too_long"}.get(
                err["type"], "invalid_email" if name == "email" else "invalid_value")
            _fail(out, row, column, cols, code, value=messages.shown(err.get("input", "")),
                  max=(err.get("ctx") or {}).get("max_length", ""))
        return None
