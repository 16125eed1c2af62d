"""Names folded to e-mail addresses: ASCII, lower case, unique."""

from __future__ import annotations

import random

import pytest

from samla_identity.demo.names import EmailBook, ascii_fold, draw


@pytest.mark.parametrize(("name", "folded"), [
    ("Åsa", "asa"), ("Sjöholm", "sjoholm"), ("Bäckström", "backstrom"), ("Linnéa", "linnea"),
    ("Hodžić", "hodzic"), ("Đorđević", "dordevic"), ("Yılmaz", "yilmaz"), ("Nguyễn", "nguyen"), ("Søren", "soren"),
    ("Anna-Karin", "anna-karin"), ("Thi Lan", "thi-lan"), ("Al-Khalil", "al-khalil"),
])
def test_ascii_fold_keeps_the_letters_and_drops_the_marks(name: str, folded: str) -> None:
    assert ascii_fold(name) == folded


def test_email_book_numbers_a_name_it_has_already_given_out() -> None:
    book = EmailBook("exempelstad.se")

    addresses = [book.address("Åsa", "Öberg"), book.address("Asa", "Oberg"), book.address("Åsa", "Öberg"),
                 book.address("Åsa", "Åberg")]

    assert addresses == ["asa.oberg@exempelstad.se", "asa.oberg2@exempelstad.se", "asa.oberg3@exempelstad.se",
                         "asa.aberg@exempelstad.se"]


def test_draw_depends_only_on_the_generator_given() -> None:
    first = [draw(random.Random(5)) for _ in range(3)]
    again = [draw(random.Random(5)) for _ in range(3)]

    assert first == again
