"""The French words of the ACC preview that every front end and output file shares.

Plain data, no import: the UI's ACC pane reads it without loading numpy.
"""

from __future__ import annotations

#: French name of each key (``KeyKind`` value), as the command line's help, the ACC
#: pane and the workbooks call it: lower case, for running text (see :func:`key_title`).
KEY_NAMES: dict[str, str] = {
    "default": "clé par défaut (prorata)",
    "static": "clé statique",
    "dynamic": "clé dynamique simple",
    "full": "clé dynamique complète",
}

#: The operation's indicators as users read them, in this order: key of
#: ``AccResult.indicators()``, French label, unit (``%``: a rate in 0..1). The one
#: wording of each figure, for the command line, the ACC pane and the workbooks.
INDICATOR_LABELS: tuple[tuple[str, str, str], ...] = (
    ("consumption_kwh", "Consommation totale", "kWh"),
    ("production_kwh", "Production totale", "kWh"),
    ("self_consumed_kwh", "Autoconsommation totale", "kWh"),
    ("surplus_kwh", "Surplus collectif", "kWh"),
    ("self_consumption_rate", "Taux d'autoconsommation", "%"),
    ("self_production_rate", "Taux d'autoproduction", "%"),
    ("coverage_rate", "Taux de couverture", "%"),
)


def key_title(key: str) -> str:
    """The key's French name at the start of a label or a cell: ``Clé statique``."""
    name = KEY_NAMES.get(key, key)
    return name[:1].upper() + name[1:]
