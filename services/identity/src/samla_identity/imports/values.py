"""Value rules both directory sources share: manager levels, reporting-line cycles, spreadsheet-safe text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from samla_identity.people.models import Person
from samla_identity.people.schemas import LEVELS, PersonIn

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection"), tab and CR included.

_LETTERS = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", " ": "", "-": "", "_": "", ".": ""})
_LEVEL_ALIASES = {
    **{level: level for level in LEVELS},
    "municipaldirector": "kommundirektor", "citymanager": "kommundirektor",
    "headofadministration": "forvaltningschef", "administrationhead": "forvaltningschef",
    "headofdepartment": "avdelningschef", "departmenthead": "avdelningschef",
    "unitmanager": "enhetschef", "headofunit": "enhetschef",
    "employee": "medarbetare", "staff": "medarbetare",
}

LANGUAGE_NAMES = {"svenska": "sv", "engelska": "en", "finska": "fi", "arabiska": "ar", "spanska": "es",
                  "tyska": "de", "franska": "fr", "persiska": "fa", "somaliska": "so", "polska": "pl",
                  "bosniska": "bs", "kurdiska": "ku", "tigrinja": "ti", "norska": "no", "danska": "da",
                  "swedish": "sv", "english": "en", "finnish": "fi", "arabic": "ar", "spanish": "es",
                  "german": "de", "french": "fr"}
_LANGUAGE_CODE = re.compile(r"^([a-z]{2,3})(-[a-z]{2})?$")


def parse_languages(raw: str) -> tuple[list[str], list[str]]:
    """Language codes from "sv, en", "svenska/arabiska" or "sv-SE"; and the words that name no language."""
    codes: list[str] = []
    unknown: list[str] = []
    for word in re.split(r"[,;/\s]+", raw.strip().lower()):
        code = LANGUAGE_NAMES.get(word) or (m.group(1) if (m := _LANGUAGE_CODE.match(word)) else None)
        if word and code is None:
            unknown.append(word)
        elif code and code not in codes:
            codes.append(code)
    return codes, unknown


def normalise_level(raw: str) -> str | None:
    """The level code for "Enhetschef", "enhetschef", "Unit manager"…; None when it names no known level."""
    return _LEVEL_ALIASES.get(raw.strip().lower().translate(_FOLD))


def fold(text: str) -> str:
    """A lenient key for matching names: lower case, Swedish letters folded, no spaces, dashes or dots."""
    return text.strip().lower().translate(_FOLD)


def ascii_words(text: str) -> str:
    """Lower case with Swedish letters folded, spaces kept: the stuff of readable ids."""
    return text.strip().lower().translate(_LETTERS)



def find_cycles(managers: Mapping[str, str | None]) -> list[list[str]]:
    """Every cycle in "person → manager" links, each as the people on it in reporting order."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    cycles: list[list[str]] = []
    for start in managers:
        if start in state:
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and node not in state:
            state[node] = 1
            walk.append(node)
            node = managers.get(node)
        if node is not None and state[node] == 1:
            cycles.append(walk[walk.index(node):])
        for visited in walk:
            state[visited] = 2
    return cycles


def person_changes(person: Person, data: PersonIn, active: bool = True) -> dict[str, dict[str, Any]]:
    """Field by field what `people.service.upsert` would change: the same comparison it makes."""
    wanted = {**data.model_dump(exclude={"id"}), "active": active}
    return {k: {"from": getattr(person, k), "to": v} for k, v in wanted.items() if getattr(person, k) != v}
