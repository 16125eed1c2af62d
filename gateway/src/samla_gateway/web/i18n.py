"""One translation catalogue (Babel): Swedish first, English on request (`?lang=en`, remembered in a cookie).

The `.po` files are compiled in memory at start, so there is no build step and no generated file to commit.
Message ids are English; Swedish is a full translation, English falls back to the id.
Each language directory may hold several catalogues (`messages.po` plus one per area, e.g. `network.po`), merged
in name order, so areas of the interface can grow without editing one shared file.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi import Request

from samla_gateway.auth import cookies

LANGUAGES = ("sv", "en")
NAMES = {"sv": "Svenska", "en": "English"}  # each language by its own name, for the switch
DEFAULT = "sv"
LOCALES = Path(__file__).parent / "locales"


def catalog(lang: str, locales: Path = LOCALES) -> Catalog:
    """Every catalogue of one language merged; a later file's entry wins over an earlier one's."""
    merged = Catalog(locale=lang)
    for path in sorted((locales / lang / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            for message in read_po(f, locale=lang):
                if message.id:
                    merged[message.id] = message
    return merged


@cache
def translations(lang: str) -> Translations:
    buf = BytesIO()
    write_mo(buf, catalog(lang))
    buf.seek(0)
    return Translations(fp=buf)


def pick(request: Request) -> str:
    """`?lang=` first (a switch), then the remembered choice, then Swedish."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGES:
        return asked
    remembered = cookies.read(request, cookies.LANG)
    return remembered if remembered in LANGUAGES else DEFAULT
