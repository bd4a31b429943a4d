"""The three photo slots of the intake: data, not code.

A slot name in a URL maps to a reading field, a French label for the phone page and a
fixed file stem: no part of a client request ever becomes a path.
"""

from __future__ import annotations

from dataclasses import dataclass

from linkytool.mes.model import ReadingField


@dataclass(frozen=True)
class Slot:
    """One screen to photograph."""

    name: str  # in URLs and events
    field: ReadingField
    label: str  # French, on the phone page
    stem: str  # file name stem in the dossier's folder


SLOTS: tuple[Slot, ...] = (
    Slot("prm", ReadingField.PRM, "Numéro de PRM", "photo-numero-prm"),
    Slot("date", ReadingField.DATE, "Date courante", "photo-date-courante"),
    Slot("index", ReadingField.INJECTION_INDEX, "Index injection", "photo-index-injection"),
)
SLOTS_BY_NAME: dict[str, Slot] = {slot.name: slot for slot in SLOTS}

__all__ = ["SLOTS", "SLOTS_BY_NAME", "Slot"]
