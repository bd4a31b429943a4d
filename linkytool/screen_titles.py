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
