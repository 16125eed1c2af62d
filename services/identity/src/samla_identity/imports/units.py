"""Org units named in a spreadsheet: a reference to an existing unit (id or name), or a path
(Kommunkoncern / Förvaltning or Bolag / Avdelning / Enhet) whose missing units the import creates."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from samla_identity.imports import values
from samla_identity.orgunits.schemas import OrgUnitIn
from samla_identity.people.models import OrgUnit

Level = tuple[str, str]  # (kind, name)


class UnitResolver:
    """Finds units in the directory and plans the ones a path needs; new units come out parents first."""

    def __init__(self, session: Session) -> None:
        units = list(session.scalars(select(OrgUnit)))
        self.ids = {u.id for u in units}
        self._by_name: dict[str, list[str]] = defaultdict(list)
        self._children: dict[tuple[str | None, str], str] = {}
        for u in sorted(units, key=lambda u: u.id):
            self._by_name[values.fold(u.name)].append(u.id)
            self._children.setdefault((u.parent_id, values.fold(u.name)), u.id)
        roots = [u.id for u in units if u.parent_id is None and u.kind == "kommunkoncern"]
        # Förvaltningar hang under the kommunkoncern when there is exactly one and the file names none.
        self.default_root = roots[0] if len(roots) == 1 else None
        self.new: dict[str, OrgUnitIn] = {}

    def by_reference(self, raw: str) -> tuple[str | None, list[str]]:
        """The unit with id `raw`, or else the one unit with that name; otherwise (None, the candidates)."""
        if raw in self.ids:
            return raw, []
        found = self._by_name.get(values.fold(raw), [])
        return (found[0], []) if len(found) == 1 else (None, found)

    def by_path(self, levels: list[Level], *, has_root: bool) -> str | None:
        """The unit at the end of `levels` (top first), planning every unit on the way that does not exist."""
        parent = None if has_root else self.default_root
        for kind, name in levels:
            found = self._children.get((parent, values.fold(name)))
            if found is None:
                found = self._new_id(parent, name)
                self.new[found] = OrgUnitIn(id=found, name=name, kind=kind, parent_id=parent)
                self.ids.add(found)
                self._children[(parent, values.fold(name))] = found
            parent = found
        return parent

    def _new_id(self, parent: str | None, name: str) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", values.ascii_words(name)).strip("-") or "enhet"
        base = f"{parent}-{slug}" if parent else f"ou-{slug}"
        if len(base) > 120:
            base = f"ou-{hashlib.sha256(base.encode()).hexdigest()[:16]}"
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        return candidate
