"""Dietary needs participants can tick, and how the caterer's list names them (Swedish)."""

from __future__ import annotations

from typing import Literal

DietTag = Literal["vegetarian", "vegan", "gluten_free", "lactose_free", "milk_protein_free", "nut_allergy",
                  "fish_shellfish_allergy", "egg_allergy", "halal", "no_pork"]

DIET_LABELS_SV: dict[str, str] = {
    "vegetarian": "Vegetarisk",
    "vegan": "Vegansk",
    "gluten_free": "Glutenfri",
    "lactose_free": "Laktosfri",
    "milk_protein_free": "Mjölkproteinfri",
    "nut_allergy": "Nötallergi",
    "fish_shellfish_allergy": "Fisk- och skaldjursallergi",
    "egg_allergy": "Äggallergi",
    "halal": "Halal",
    "no_pork": "Utan fläskkött",
}
