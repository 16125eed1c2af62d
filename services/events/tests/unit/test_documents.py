"""Badges and table cards print names in any European script: the font is embedded, and a PDF reader gets the
names back as text (copy and paste, screen readers, search)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from samla_events.chefsdag.models import Event
from samla_events.exports.documents import badges_pdf, table_cards_pdf
from samla_events.exports.service import Badge
from services.events.tests.support import pdf

NAMES = ("Łukasz Żółć", "Nguyễn Thị Ánh", "Σοφία Παπαδοπούλου", "Ольга Иванова", "Åsa Öberg")


def an_event(title: str = "Chefsdag för Sjöängens förvaltning – Žilina") -> Event:
    now = datetime(2026, 9, 1, tzinfo=UTC)
    return Event(id="e-1", title=title, day=date(2026, 11, 26), starts_at=time(8, 30), ends_at=time(16, 0),
                 venue="Stadshuset", capacity=40, table_count=5, seats_per_table=8, accessible_tables=1,
                 state="draft", version=1, created_by="p-admin", created_at=now, updated_at=now)


def badge(name: str, k: int) -> Badge:
    return Badge(name=name, title="Enhetschef", org_unit_name="Förvaltning för Ђурђевак", token=f"code-{k}",
                 tables={1: str(k + 1), 2: "3"})


def test_badges_print_names_beyond_latin_1_with_an_embedded_unicode_font() -> None:
    document = badges_pdf(an_event(), [badge(name, k) for k, name in enumerate(NAMES)])

    text = pdf.drawn_text(document)
    for name in NAMES:
        assert text.count(name) == 1, (name, text)
    assert "Förvaltning för Ђурђевак" in text and "Bord: runda 1: 1" in text
    # An embedded subset is named "ABCDEF+<font>": the glyphs travel with the file, whatever the printer has.
    assert any(f.endswith("+NotoSans-Regular") for f in pdf.fonts(document)), pdf.fonts(document)


def test_table_cards_print_the_title_in_any_script_on_both_halves() -> None:
    document = table_cards_pdf(an_event(), [("1", True), ("2", False)])

    text = pdf.drawn_text(document)
    assert pdf.pages(document) == 2 and text.count("Bord 1") == 2 and text.count("Žilina") == 4
    assert text.count("Tillgänglighetsanpassat bord") == 2
