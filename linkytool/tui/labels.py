"""French words for values the dossier stores in English or as codes, and French numbers.

Data, not code: the dossier keeps its stored values (``surplus``, ``inverter``...), the
UI shows these labels. Dates typed or shown in a field are JJ/MM/AAAA [HH:MM] and are
converted to and from the dossier's ISO form here. No Textual here.
"""

from __future__ import annotations

import re

#: Stored enum value -> what a dropdown shows (linkytool.mes.model's StrEnums).
ENUM_LABELS: dict[str, str] = {
    # ConnectionOption
    "surplus": "Injection du surplus",
    "total_sale": "Vente en totalité",
    "total_self_consumption": "Autoconsommation totale",
    # MeterType
    "linky": "Linky",
    "other": "Autre compteur",
    # DecouplingLocation
    "inverter": "Intégrée à l'onduleur",
    "external_relay": "Relais de découplage externe",
    # ConsuelColour
    "bleue": "Bleue (sans stockage)",
    "violette": "Violette (avec stockage)",
    # AgreementKind
    "agreement": "Accord d'Enedis",
    "appointment": "Rendez-vous avec Enedis",
}


def enum_label(value: str) -> str:
    """The French label of a stored value (the value itself when it has none)."""
    return ENUM_LABELS.get(value, value)


_FRENCH = re.compile(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?\s*")


def iso_date(text: str) -> str:
    """``20/11/2026 14:32`` (or ``14h32``) -> ``2026-11-20T14:32``; anything else unchanged
    (the dossier's own checks then say what is wrong)."""
    match = _FRENCH.fullmatch(text)
    if not match:
        return text.strip()
    day, month, year, hour, minute = match.groups()
    iso = f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{iso}T{int(hour):02d}:{minute}" if hour else iso


__all__ = ["ENUM_LABELS", "enum_label", "iso_date"]
