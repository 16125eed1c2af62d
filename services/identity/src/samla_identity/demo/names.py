"""Names, spoken languages and e-mail addresses for demo people, drawn from a caller's random.Random."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class NamePool:
    """First and last names of one background, and the languages its people speak besides Swedish."""

    weight: float
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    # (languages, weight): what someone with this background lists, most often just Swedish.
    languages: tuple[tuple[tuple[str, ...], float], ...]


_NORDIC = NamePool(
    0.78,
    ("Anna", "Eva", "Maria", "Karin", "Kristina", "Lena", "Sara", "Emma", "Johanna", "Malin", "Helena", "Ulrika",
     "Åsa", "Annika", "Linnéa", "Sofia", "Ingrid", "Maja", "Therese", "Camilla", "Anna-Karin", "Lars", "Anders",
     "Johan", "Per", "Mikael", "Erik", "Peter", "Magnus", "Fredrik", "Jonas", "Björn", "Göran", "Mats", "Stefan",
     "Henrik", "Daniel", "Jörgen", "Håkan", "Örjan", "Per-Olof", "Tobias", "Oskar", "Gustav", "Søren", "Sigrid"),
    ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
     "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist", "Lundgren", "Bergström", "Sjöholm", "Åberg",
     "Öberg", "Löfgren", "Bäckström", "Strömberg", "Håkansson", "Söderberg", "Näslund", "Ekström", "Danielsson",
     "Holm", "Forsberg", "Sandberg", "Wallin", "Engström", "Hedlund", "Dahl", "Sundberg", "Björklund", "Åkesson"),
    ((("sv",), 0.85), (("sv", "en"), 0.15)),
)
_FINNISH = NamePool(
    0.07,
    ("Aino", "Jukka", "Mikko", "Päivi", "Tuula", "Kari", "Sanna", "Eija", "Timo", "Riitta", "Jari", "Minna"),
    ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Heikkinen", "Laine", "Koskinen", "Järvinen", "Lehtonen",
     "Hämäläinen"),
    ((("sv", "fi"), 0.6), (("sv",), 0.3), (("sv", "en"), 0.1)),
)
_ARABIC = NamePool(
    0.07,
    ("Ahmed", "Fatima", "Mohammed", "Yasmin", "Omar", "Layla", "Hassan", "Amira", "Karim", "Nour", "Rania", "Samir"),
    ("Hassan", "Ali", "Haddad", "Al-Khalil", "Mahmoud", "Ibrahim", "Saleh", "Khalil", "Abdullah", "Nasser"),
    ((("sv", "ar"), 0.6), (("sv",), 0.2), (("sv", "en"), 0.2)),
)
_OTHER = NamePool(
    0.08,
    ("Amra", "Dragan", "Mirela", "Emir", "Elif", "Mehmet", "Shirin", "Reza", "Ana", "Marek", "Agnieszka", "Tomasz",
     "Lucía", "Diego", "Minh", "Thi Lan", "Abdi", "Hodan"),
    ("Hodžić", "Kovačević", "Đorđević", "Yılmaz", "Demir", "Karimi", "Hosseini", "Nowak", "Kowalski", "Rodríguez",
     "García", "Nguyễn", "Tran", "Warsame", "Mohamud"),
    ((("sv",), 0.5), (("sv", "en"), 0.5)),
)
POOLS = (_NORDIC, _FINNISH, _ARABIC, _OTHER)

# Letters that Unicode does not decompose into a base letter and a mark.
_FOLDS = str.maketrans({"ø": "o", "æ": "ae", "đ": "d", "ı": "i", "ß": "ss", "ł": "l", "þ": "th", "ð": "d"})


@dataclass(frozen=True)
class DrawnName:
    """A person's full name and the languages they speak."""

    first: str
    last: str
    languages: tuple[str, ...]

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def draw(rng: random.Random) -> DrawnName:
    """Draws a name and the languages that go with it."""
    pool = rng.choices(POOLS, weights=[p.weight for p in POOLS])[0]
    # Some people carry a Nordic family name whatever their first name: marriage, adoption, history.
    last_names = _NORDIC.last_names if rng.random() < 0.1 else pool.last_names
    options, weights = zip(*pool.languages, strict=True)
    return DrawnName(rng.choice(pool.first_names), rng.choice(last_names), rng.choices(options, weights=weights)[0])


def ascii_fold(text: str) -> str:
    """Lower-cases and folds to the ASCII that an e-mail local part may hold: 'Åsa Sjöholm' -> 'asa-sjoholm'."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLDS))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


class EmailBook:
    """Hands out `fornamn.efternamn@domain` addresses, adding 2, 3, ... when a name is already taken."""

    def __init__(self, domain: str) -> None:
        self._domain = domain
        self._seen: Counter[str] = Counter()

    def address(self, first: str, last: str) -> str:
        """Returns a new, unique address for the name."""
        local = f"{ascii_fold(first)}.{ascii_fold(last)}"
        self._seen[local] += 1
        count = self._seen[local]
        return f"{local}{count if count > 1 else ''}@{self._domain}"
