"""One translation catalogue (Babel): Swedish first, English on request (`?lang=en`, remembered in a cookie).

The `.po` files are compiled in memory at start, so there is no build step and no generated file to commit.
Message ids are English; Swedish is a full translation, English falls back to the id.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi import Request

from samla_gateway.auth import cookies

LANGUAGES = ("sv", "en")
NAMES = {"sv": "Svenska", "en": "English"}  # each language by its own name, for the switch
DEFAULT = "sv"
LOCALES = Path(__file__).parent / "locales"


@cache
def translations(lang: str) -> Translations:
    path = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf)


def pick(request: Request) -> str:
    """`?lang=` first (a switch), then the remembered choice, then Swedish."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = cookies.read(request, cookies.LANG)
    return remembered if remembered in LANGUAGES else DEFAULT
