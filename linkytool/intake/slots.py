"""The three photo slots of the intake: data, not code.

A slot name in a URL maps to a reading field, a French label for the phone page and a
fixed file stem: no part of a client request ever becomes a path.
"""

from __future__ import annotations

from dataclasses import dataclass

from linkytool.mes.model import ReadingField
from linkytool.mes.titles import SCREEN_TITLES


@dataclass(frozen=True)
class Slot:
    """One screen to photograph."""

    name: str  # in URLs and events
    field: ReadingField
    label: str  # French, on the phone page
    stem: str  # file name stem in the dossier's folder


SLOTS: tuple[Slot, ...] = (
    Slot("prm", ReadingField.PRM, SCREEN_TITLES[ReadingField.PRM], "photo-numero-prm"),
    Slot("date", ReadingField.DATE, SCREEN_TITLES[ReadingField.DATE], "photo-date-courante"),
    Slot(
        "index",
        ReadingField.INJECTION_INDEX,
        SCREEN_TITLES[ReadingField.INJECTION_INDEX],
        "photo-index-injection",
    ),
)
SLOTS_BY_NAME: dict[str, Slot] = {slot.name: slot for slot in SLOTS}

__all__ = ["SLOTS", "SLOTS_BY_NAME", "Slot"]
