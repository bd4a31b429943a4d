"""French words for values the dossier stores in English or as codes, and French numbers.

Data, not code: the dossier keeps its stored values (``surplus``, ``inverter``...), the
UI shows these labels. Dates typed or shown in a field are JJ/MM/AAAA [HH:MM] and are
converted to and from the dossier's ISO form here. No Textual here.
"""

from __future__ import annotations

from datetime import datetime

from linkytool.textfmt import parse_french_date

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


def iso_date(text: str) -> str:
    """``20/11/2026 14:32`` (or ``14h32``) -> ``2026-11-20T14:32``; anything else unchanged
    (the dossier's own checks then say what is wrong)."""
    parsed = parse_french_date(text)
    if parsed is None:
        return text.strip()
    if isinstance(parsed, datetime):
        return parsed.isoformat(timespec="seconds" if parsed.second else "minutes")
    return parsed.isoformat()


__all__ = ["ENUM_LABELS", "enum_label", "iso_date"]
