"""Which column holds what: Swedish and English headings, matched leniently ("E-post", "Epost", "Email" …)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samla_identity.imports import messages, values

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "personid", "anvandarid", "userid", "sub"),
    "name": ("namn", "name", "fulltnamn", "fullstandigtnamn", "fullname", "visningsnamn", "displayname"),
    "first_name": ("fornamn", "tilltalsnamn", "firstname", "givenname"),
    "last_name": ("efternamn", "lastname", "surname", "familyname"),
    "email": ("epost", "epostadress", "mejl", "mejladress", "email", "emailaddress", "mail"),
    "title": ("titel", "befattning", "tjanstetitel", "title", "jobtitle"),
    "level": ("chefsniva", "niva", "level", "managerlevel"),
    "org_unit": ("organisationsenhet", "orgenhet", "enhetsid", "orgunit", "orgunitid", "organisationalunit",
                 "organizationalunit"),
    "manager": ("chef", "narmastechef", "chefensepost", "chefsid", "manager", "manageremail", "managerid",
                "reportsto"),
    "location": ("ort", "plats", "arbetsplats", "location", "office", "city"),
    "employee_number": ("anstallningsnummer", "anstallningsnr", "anstnr", "employeenumber", "employeeid",
                        "employeeno"),
    "languages": ("sprak", "languages", "language"),
    "path_kommunkoncern": ("kommunkoncern", "kommun", "koncern", "municipality"),
    "path_forvaltning": ("forvaltning", "administration"),
    "path_bolag": ("bolag", "company"),
    "path_avdelning": ("avdelning", "department", "division"),
}
_UNIT = ("enhet", "unit")  # the last level of a path, or on its own a reference to an existing unit
PATH_FIELDS = ("path_kommunkoncern", "path_forvaltning", "path_bolag", "path_avdelning", "path_enhet")
_BY_KEY = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


@dataclass
class Columns:
    """Where each known field sits, under the heading the file gave it."""

    index: dict[str, int] = field(default_factory=dict)
    heading: dict[str, str] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def path_mode(self) -> bool:
        return any(f in self.index for f in PATH_FIELDS)

    def has(self, name: str) -> bool:
        return name in self.index

    def cell(self, cells: list[str], name: str) -> str:
        i = self.index.get(name)
        return cells[i] if i is not None and i < len(cells) else ""


def key(heading: str) -> str:
    """How a heading is matched: case, Swedish letters, spaces, dashes, dots and a trailing * or : do not count."""
    return values.fold(heading.rstrip("*: "))


def map_headings(header: list[str], *, row: int) -> Columns:
    """Maps the heading row; unknown headings are skipped with a warning, missing essentials are errors."""
    cols = Columns()
    keys = [key(h) for h in header]
    has_path = any(_BY_KEY.get(k, "").startswith("path_") for k in keys)
    for i, (heading, k) in enumerate(zip(header, keys, strict=True)):
        if not k:
            continue
        name = ("path_enhet" if has_path else "org_unit") if k in _UNIT else _BY_KEY.get(k)
        if name is None:
            cols.warnings.append(messages.heading_problem("unknown_column", row=row, column=heading))
        elif name in cols.index:
            cols.errors.append(messages.heading_problem("duplicate_column", row=row, column=heading))
        else:
            cols.index[name], cols.heading[name] = i, heading
    if not (cols.has("name") or (cols.has("first_name") and cols.has("last_name"))):
        cols.errors.append(messages.heading_problem("missing_name", row=row))
    if not (cols.has("id") or cols.has("email")):
        cols.errors.append(messages.heading_problem("missing_identifier", row=row))
    if cols.has("org_unit") and cols.path_mode:
        cols.errors.append(messages.heading_problem("unit_columns_conflict", row=row))
    return cols

