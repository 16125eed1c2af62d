"""Swedish texts that admins read: group explanations, infeasibility reasons and relaxations, in one place."""

from __future__ import annotations

SV: dict[str, str] = {
    "mix_admins": "blandar {count} förvaltningar",
    "one_admin": "alla från {name}",
    "mix_levels": "{count} chefsnivåer",
    "shared_challenge": "{count} delar utmaningen '{tag}'",
    "no_shared_challenge": "ingen gemensam utmaning",
    "never_met": "ingen har träffats förut",
    "some_met": "{count} par har träffats förut",
    "same_table": "{count} par satt vid samma bord",
    "same_location_all": "alla på orten {place}",
    "same_location_some": "{count} på orten {place}",
    "common_slot": "gemensam tid: {slot}",
    "no_common_slot": "ingen gemensam tid",
    "too_few": "Det finns {n} personer att matcha men en grupp behöver minst {min_size}.",
    "no_sizes": "{n} personer går inte att dela i grupper om {min_size}–{max_size} personer.",
    "admin_cap": ("Förvaltningen {name} har {count} av {n} personer ({share:.0f} %). "
                  "Med högst {cap} per grupp och {groups} grupper ryms högst {room}."),
    "unit_too_big": ("Personerna {people} ska vara i samma grupp men är {count}, "
                     "fler än största gruppen ({max_size})."),
    "unit_forbidden": ("{a} och {b} ska vara i samma grupp men får inte vara det "
                       "(rapporteringslinje eller isärhållning)."),
    "unit_admin": ("Personerna {people} ska vara i samma grupp men {count} av dem är från {name}, "
                   "fler än {cap}."),
    "unplaceable": ("{person} får vara i samma grupp som bara {allowed} av de {others} andra "
                    "(rapporteringslinje eller isärhållning), men en grupp behöver minst {min_size} personer. "
                    "Det gäller {count} av personerna i urvalet; ta bort dem ur urvalet eller ändra "
                    "isärhållningarna."),
    "search_failed": ("Ingen gruppindelning som uppfyller alla regler hittades inom tidsramen "
                      "({count} brott kvar)."),
    "relax_cap": "Förslag: tillåt högst {cap} personer från samma förvaltning per grupp.",
    "relax_sizes": "Förslag: tillåt grupper om {min_size}–{max_size} personer.",
    "relax_together": "Förslag: släpp kravet att {people} ska vara i samma grupp.",
}


def text(key: str, **values: object) -> str:
    """Returns the Swedish text for a key with its values filled in."""
    return SV[key].format(**values)
