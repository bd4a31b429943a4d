"""The French names of the meter's three screens, by dossier field name.

No dependency: the UI's Photos screen reads them without loading the dossier package
(and Pillow with it). ``linkytool.mes.titles.SCREEN_TITLES`` keys them by ReadingField.
"""

from __future__ import annotations

#: Field name (``ReadingField`` value, OCR screen kind) -> the screen's French name.
SCREEN_TITLES_BY_NAME: dict[str, str] = {
    "prm": "Numéro de PRM",
    "date": "Date courante",
    "injection_index": "Index Injection",
}

#: Screen kind recognised by OCR (the three above, ``other``, ``not_linky``) -> what a
#: sentence about a photo says it shows: « La photo x.jpg ne montre pas un écran du Linky ».
SCREEN_SHOWN_BY_KIND: dict[str, str] = {
    **{kind: f"montre l'écran « {title} »" for kind, title in SCREEN_TITLES_BY_NAME.items()},
    "other": "montre un autre écran du Linky",
    "not_linky": "ne montre pas un écran du Linky",
}


def shows_screen(kind: str | None) -> str:
    """What a photo of screen ``kind`` shows, as the end of a French sentence (None: no
    screen could be read on it)."""
    if not kind:
        return "ne montre aucun écran lisible"
    return SCREEN_SHOWN_BY_KIND.get(kind, f"montre un écran inconnu (« {kind} »)")
