"""The catalogues: every text shown has a Swedish translation, and English falls back to the message id."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from samla_gateway.web import i18n

SOURCE = Path(i18n.__file__).resolve().parents[1]
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def shown_texts() -> set[str]:
    """Every message id, and the singular id of each plural message."""
    keywords = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
    found = extract_from_dir(str(SOURCE), METHODS, keywords=keywords)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def test_every_text_in_code_and_templates_has_a_swedish_translation() -> None:
    swedish = i18n.catalog("sv")
    texts = shown_texts()

    def translated(text: str) -> bool:
        entry = swedish.get(text)
        string = entry.string if entry is not None else ""
        return bool(string if isinstance(string, str) else string and all(string))

    untranslated = sorted(t for t in texts if not translated(t))

    assert len(texts) > 100
    assert not untranslated, f"add Swedish for (see gateway/babel.cfg): {untranslated}"


def test_plurals_follow_the_count() -> None:
    swedish = i18n.translations("sv")

    one = swedish.ngettext("%(count)s person found.", "%(count)s people found.", 1) % {"count": 1}
    many = swedish.ngettext("%(count)s person found.", "%(count)s people found.", 3) % {"count": 3}

    assert (one, many) == ("1 person hittades.", "3 personer hittades.")


def test_english_is_the_message_id() -> None:
    assert i18n.translations("en").gettext("My profile") == "My profile"
    assert i18n.translations("sv").gettext("My profile") == "Min profil"


def test_every_catalogue_file_of_a_language_is_merged(tmp_path: Path) -> None:
    folder = tmp_path / "sv" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (folder / "messages.po").write_text(header + 'msgid "Tables"\nmsgstr "Bord"\n', encoding="utf-8")
    (folder / "network.po").write_text(header + 'msgid "My network"\nmsgstr "Mitt nätverk"\n', encoding="utf-8")

    merged = i18n.catalog("sv", locales=tmp_path)

    assert (merged.get("Tables").string, merged.get("My network").string) == ("Bord", "Mitt nätverk")
