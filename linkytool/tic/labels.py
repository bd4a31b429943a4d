"""TIC label tables for both modes (Enedis-NOI-CPT_54E §6.1.3 and §6.2.3), as data.

Each :class:`LabelSpec` says how long the data field is, its unit, how to type its value,
whether a horodate precedes the data, on which meters it appears (single/three-phase) and
whether only a producer meter sends it. Unknown labels are not an error: they pass through
with their raw text (see :func:`spec_for`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class TicMode(StrEnum):
    """The two TIC modes of a Linky meter (a meter setting, detected from the data)."""

    HISTORIQUE = "historique"
    STANDARD = "standard"


class ValueKind(StrEnum):
    """How a group's data text becomes a typed value."""

    INT = "int"  # decimal integer (with a unit)
    TEXT = "text"  # free text (leading/trailing spaces are padding)
    STATUS = "status"  # STGE: 8 hex digits -> StatusRegister
    ADDRESS = "address"  # ADSC/ADCO: 12 digits -> MeterAddress
    PRM = "prm"  # 14-digit delivery point id
    DATE = "date"  # the value lives in the horodate (DATE)
    RELAYS = "relays"  # RELAIS: 3 decimal digits -> Relays
    DAY_PROFILE = "day_profile"  # PJOURF+1 / PPOINTE: 11 blocks -> DayProfile
    HEX = "hex"  # hexadecimal integer


class Phases(StrEnum):
    """On which meters a label appears."""

    ANY = "any"
    THREE = "three"  # three-phase meters only


@dataclass(frozen=True, slots=True)
class LabelSpec:
    """What the spec says about one label."""

    label: str
    mode: TicMode
    #: Length of the data field [characters] (0 for DATE, whose data is empty).
    length: int
    kind: ValueKind
    unit: str | None = None
    #: A 13-character horodate precedes the data (standard mode only).
    horodate: bool = False
    phases: Phases = Phases.ANY
    #: Sent only by a meter operating as a producer (absent, not zero, in consumer mode).
    producer_only: bool = False
    #: Short French description for display.
    description: str = ""


H = TicMode.HISTORIQUE
S = TicMode.STANDARD
K = ValueKind
THREE = Phases.THREE


def _spec(label: str, mode: TicMode, length: int, kind: ValueKind, **kwargs: object) -> LabelSpec:
    return LabelSpec(label, mode, length, kind, **kwargs)  # type: ignore[arg-type]


# fmt: off
#: (label, length, kind, unit, description, extra attributes) -- historique mode.
_HISTORIQUE: tuple[tuple[str, int, ValueKind, str | None, str, Mapping[str, object]], ...] = (
    ("ADCO", 12, K.ADDRESS, None, "Adresse du compteur", {}),
    ("OPTARIF", 4, K.TEXT, None, "Option tarifaire", {}),
    ("ISOUSC", 2, K.INT, "A", "Intensité souscrite", {}),
    ("BASE", 9, K.INT, "Wh", "Index option Base", {}),
    ("HCHC", 9, K.INT, "Wh", "Index heures creuses", {}),
    ("HCHP", 9, K.INT, "Wh", "Index heures pleines", {}),
    ("EJPHN", 9, K.INT, "Wh", "Index EJP heures normales", {}),
    ("EJPHPM", 9, K.INT, "Wh", "Index EJP heures de pointe mobile", {}),
    ("BBRHCJB", 9, K.INT, "Wh", "Index Tempo heures creuses jours bleus", {}),
    ("BBRHPJB", 9, K.INT, "Wh", "Index Tempo heures pleines jours bleus", {}),
    ("BBRHCJW", 9, K.INT, "Wh", "Index Tempo heures creuses jours blancs", {}),
    ("BBRHPJW", 9, K.INT, "Wh", "Index Tempo heures pleines jours blancs", {}),
    ("BBRHCJR", 9, K.INT, "Wh", "Index Tempo heures creuses jours rouges", {}),
    ("BBRHPJR", 9, K.INT, "Wh", "Index Tempo heures pleines jours rouges", {}),
    ("PEJP", 2, K.INT, "min", "Préavis début EJP", {}),
    ("PTEC", 4, K.TEXT, None, "Période tarifaire en cours", {}),
    ("DEMAIN", 4, K.TEXT, None, "Couleur du lendemain", {}),
    ("IINST", 3, K.INT, "A", "Intensité instantanée", {}),
    ("IINST1", 3, K.INT, "A", "Intensité instantanée phase 1", {"phases": THREE}),
    ("IINST2", 3, K.INT, "A", "Intensité instantanée phase 2", {"phases": THREE}),
    ("IINST3", 3, K.INT, "A", "Intensité instantanée phase 3", {"phases": THREE}),
    ("ADPS", 3, K.INT, "A", "Avertissement de dépassement de puissance souscrite", {}),
    ("ADIR1", 3, K.INT, "A", "Avertissement de dépassement d'intensité phase 1", {"phases": THREE}),
    ("ADIR2", 3, K.INT, "A", "Avertissement de dépassement d'intensité phase 2", {"phases": THREE}),
    ("ADIR3", 3, K.INT, "A", "Avertissement de dépassement d'intensité phase 3", {"phases": THREE}),
    ("IMAX", 3, K.INT, "A", "Intensité maximale appelée", {}),
    ("IMAX1", 3, K.INT, "A", "Intensité maximale phase 1", {"phases": THREE}),
    ("IMAX2", 3, K.INT, "A", "Intensité maximale phase 2", {"phases": THREE}),
    ("IMAX3", 3, K.INT, "A", "Intensité maximale phase 3", {"phases": THREE}),
    ("PMAX", 5, K.INT, "W", "Puissance maximale triphasée atteinte", {"phases": THREE}),
    ("PAPP", 5, K.INT, "VA", "Puissance apparente", {}),
    ("HHPHC", 1, K.TEXT, None, "Horaire heures pleines / heures creuses", {}),
    ("MOTDETAT", 6, K.TEXT, None, "Mot d'état du compteur", {}),
    ("PPOT", 2, K.HEX, None, "Présence des potentiels", {"phases": THREE}),
    ("GAZ", 7, K.INT, None, "Index compteur gaz", {}),
    ("AUTRE", 7, K.INT, None, "Index compteur fluide", {}),
)

#: (label, length, kind, unit, description, extra attributes) -- standard mode.
_STANDARD: tuple[tuple[str, int, ValueKind, str | None, str, Mapping[str, object]], ...] = (
    ("ADSC", 12, K.ADDRESS, None, "Adresse secondaire du compteur", {}),
    ("VTIC", 2, K.TEXT, None, "Version de la TIC", {}),
    ("DATE", 0, K.DATE, None, "Date et heure courantes", {"horodate": True}),
    ("NGTF", 16, K.TEXT, None, "Nom du calendrier tarifaire fournisseur", {}),
    ("LTARF", 16, K.TEXT, None, "Libellé tarif fournisseur en cours", {}),
    ("EAST", 9, K.INT, "Wh", "Énergie active soutirée totale", {}),
    *[(f"EASF{n:02d}", 9, K.INT, "Wh", f"Énergie active soutirée fournisseur, index {n:02d}", {})
      for n in range(1, 11)],
    *[(f"EASD{n:02d}", 9, K.INT, "Wh", f"Énergie active soutirée distributeur, index {n:02d}", {})
      for n in range(1, 5)],
    ("EAIT", 9, K.INT, "Wh", "Énergie active injectée totale", {"producer_only": True}),
    *[(f"ERQ{n}", 9, K.INT, "VArh", f"Énergie réactive Q{n} totale", {"producer_only": True})
      for n in range(1, 5)],
    ("IRMS1", 3, K.INT, "A", "Courant efficace phase 1", {}),
    ("IRMS2", 3, K.INT, "A", "Courant efficace phase 2", {"phases": THREE}),
    ("IRMS3", 3, K.INT, "A", "Courant efficace phase 3", {"phases": THREE}),
    ("URMS1", 3, K.INT, "V", "Tension efficace phase 1", {}),
    ("URMS2", 3, K.INT, "V", "Tension efficace phase 2", {"phases": THREE}),
    ("URMS3", 3, K.INT, "V", "Tension efficace phase 3", {"phases": THREE}),
    ("PREF", 2, K.INT, "kVA", "Puissance apparente de référence", {}),
    ("PCOUP", 2, K.INT, "kVA", "Puissance apparente de coupure", {}),
    ("SINSTS", 5, K.INT, "VA", "Puissance apparente instantanée soutirée", {}),
    *[(f"SINSTS{n}", 5, K.INT, "VA", f"Puissance apparente instantanée soutirée phase {n}",
       {"phases": THREE}) for n in range(1, 4)],
    ("SMAXSN", 5, K.INT, "VA", "Puissance apparente max. soutirée du jour",
     {"horodate": True}),
    *[(f"SMAXSN{n}", 5, K.INT, "VA", f"Puissance apparente max. soutirée du jour phase {n}",
       {"horodate": True, "phases": THREE}) for n in range(1, 4)],
    ("SMAXSN-1", 5, K.INT, "VA", "Puissance apparente max. soutirée de la veille",
     {"horodate": True}),
    *[(f"SMAXSN{n}-1", 5, K.INT, "VA", f"Puissance apparente max. soutirée de la veille phase {n}",
       {"horodate": True, "phases": THREE}) for n in range(1, 4)],
    # G1 "pilote" meters (types 67, 68) name these SINST1, SMAXN, SMAXN-1
    ("SINST1", 5, K.INT, "VA", "Puissance apparente instantanée soutirée (compteur pilote G1)",
     {}),
    ("SMAXN", 5, K.INT, "VA", "Puissance apparente max. soutirée du jour (compteur pilote G1)",
     {"horodate": True}),
    ("SMAXN-1", 5, K.INT, "VA",
     "Puissance apparente max. soutirée de la veille (compteur pilote G1)", {"horodate": True}),
    ("SINSTI", 5, K.INT, "VA", "Puissance apparente instantanée injectée",
     {"producer_only": True}),
    ("SMAXIN", 5, K.INT, "VA", "Puissance apparente max. injectée du jour",
     {"horodate": True, "producer_only": True}),
    ("SMAXIN-1", 5, K.INT, "VA", "Puissance apparente max. injectée de la veille",
     {"horodate": True, "producer_only": True}),
    ("CCASN", 5, K.INT, "W", "Point n de la courbe de charge active soutirée",
     {"horodate": True}),
    ("CCASN-1", 5, K.INT, "W", "Point n-1 de la courbe de charge active soutirée",
     {"horodate": True}),
    ("CCAIN", 5, K.INT, "W", "Point n de la courbe de charge active injectée",
     {"horodate": True, "producer_only": True}),
    ("CCAIN-1", 5, K.INT, "W", "Point n-1 de la courbe de charge active injectée",
     {"horodate": True, "producer_only": True}),
    ("UMOY1", 3, K.INT, "V", "Tension moyenne phase 1", {"horodate": True}),
    ("UMOY2", 3, K.INT, "V", "Tension moyenne phase 2", {"horodate": True, "phases": THREE}),
    ("UMOY3", 3, K.INT, "V", "Tension moyenne phase 3", {"horodate": True, "phases": THREE}),
    ("STGE", 8, K.STATUS, None, "Registre de statuts", {}),
    *[(f"DPM{n}", 2, K.INT, None, f"Début pointe mobile {n}", {"horodate": True})
      for n in range(1, 4)],
    *[(f"FPM{n}", 2, K.INT, None, f"Fin pointe mobile {n}", {"horodate": True})
      for n in range(1, 4)],
    ("MSG1", 32, K.TEXT, None, "Message court", {}),
    ("MSG2", 16, K.TEXT, None, "Message ultra court", {}),
    ("PRM", 14, K.PRM, None, "Point de référence mesure (PRM)", {}),
    ("RELAIS", 3, K.RELAYS, None, "Relais", {}),
    ("NTARF", 2, K.INT, None, "Numéro de l'index tarifaire en cours", {}),
    ("NJOURF", 2, K.INT, None, "Numéro du jour en cours calendrier fournisseur", {}),
    ("NJOURF+1", 2, K.INT, None, "Numéro du prochain jour calendrier fournisseur", {}),
    ("PJOURF+1", 98, K.DAY_PROFILE, None, "Profil du prochain jour calendrier fournisseur", {}),
    ("PPOINTE", 98, K.DAY_PROFILE, None, "Profil du prochain jour de pointe", {}),
)
# fmt: on


def _build(
    mode: TicMode,
    rows: tuple[tuple[str, int, ValueKind, str | None, str, Mapping[str, object]], ...],
) -> dict[str, LabelSpec]:
    return {
        label: _spec(label, mode, length, kind, unit=unit, description=text, **extra)
        for label, length, kind, unit, text, extra in rows
    }


#: Label tables by mode.
LABELS: dict[TicMode, dict[str, LabelSpec]] = {
    TicMode.HISTORIQUE: _build(TicMode.HISTORIQUE, _HISTORIQUE),
    TicMode.STANDARD: _build(TicMode.STANDARD, _STANDARD),
}

#: Labels that start a frame (used to cut text dumps into frames).
FRAME_START: dict[TicMode, str] = {TicMode.HISTORIQUE: "ADCO", TicMode.STANDARD: "ADSC"}

#: Field separator byte of each mode.
SEPARATOR: dict[TicMode, int] = {TicMode.HISTORIQUE: 0x20, TicMode.STANDARD: 0x09}

#: Serial speed of each mode [baud].
BAUD: dict[TicMode, int] = {TicMode.HISTORIQUE: 1200, TicMode.STANDARD: 9600}

#: Historique index labels: their sum is the total active energy drawn [Wh].
HISTORIQUE_INDEXES: tuple[str, ...] = (
    "BASE",
    "HCHC",
    "HCHP",
    "EJPHN",
    "EJPHPM",
    "BBRHCJB",
    "BBRHPJB",
    "BBRHCJW",
    "BBRHPJW",
    "BBRHCJR",
    "BBRHPJR",
)

#: Historique PTEC value -> the tariff period it names, in French (Enedis-NOI-CPT_02E,
#: « Sorties de télé-information client des appareils de comptage électroniques »,
#: PTEC: the value is padded with dots to 4 characters).
PTEC_PERIODS: dict[str, str] = {
    "TH..": "toutes les heures",
    "HC..": "heures creuses",
    "HP..": "heures pleines",
    "HN..": "heures normales",
    "PM..": "heures de pointe mobile",
    "HCJB": "heures creuses jours bleus",
    "HCJW": "heures creuses jours blancs",
    "HCJR": "heures creuses jours rouges",
    "HPJB": "heures pleines jours bleus",
    "HPJW": "heures pleines jours blancs",
    "HPJR": "heures pleines jours rouges",
}

#: Producer-only labels (absent from a consumer meter's frames).
PRODUCER_LABELS: frozenset[str] = frozenset(
    spec.label for spec in LABELS[TicMode.STANDARD].values() if spec.producer_only
)


def spec_for(label: str, mode: TicMode) -> LabelSpec | None:
    """The spec of ``label`` in ``mode``, or None for a label the tables do not know."""
    return LABELS[mode].get(label)


def guess_mode_from_labels(labels: list[str]) -> TicMode | None:
    """The mode whose table knows most of ``labels`` (None when neither knows any)."""
    hist = sum(1 for label in labels if label in LABELS[TicMode.HISTORIQUE])
    std = sum(1 for label in labels if label in LABELS[TicMode.STANDARD])
    if hist == std == 0:
        return None
    return TicMode.STANDARD if std >= hist else TicMode.HISTORIQUE
