"""Evidence from outside the photo (the TIC, the photo's EXIF time) speaking after the
policy: a disagreement withdraws a reading's confidence, the TIC's PRM proves one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from linkytool.ocr.crosscheck import CheckStatus, CrossCheck
from linkytool.ocr.policy import shown_confidence
from linkytool.ocr.result import PhotoReading

#: Cross-checks whose disagreement withdraws a reading's confidence.
EVIDENCE_CHECKS = ("prm_tic", "index_tic", "date_exif", "date_tic")
#: Cross-checks whose agreement is proof enough: the TIC's PRM equals the 14 digits
#: read exactly (an index "within 1 kWh" or a date "within minutes" does not prove every
#: digit, so they never make a reading confident).
PROOF_CHECKS = ("prm_tic",)


def with_evidence(reading: PhotoReading, checks: Sequence[CrossCheck]) -> PhotoReading:
    """``reading`` once evidence from outside the photo has spoken.

    A disagreement (TIC PRM, index vs EAIT, date vs EXIF or TIC) withdraws confidence;
    the TIC's PRM equal to the PRM read makes it confident.
    """
    mine = [c for c in checks if c.path == reading.path and c.check in EVIDENCE_CHECKS]
    if any(c.status is CheckStatus.MISMATCH for c in mine):
        if not reading.confident:
            return reading
        return replace(
            reading,
            confident=False,
            confidence=shown_confidence(reading.confidence, False),
            warnings=(
                "Valeur à confirmer : elle ne concorde pas avec la TIC ou l'heure de la photo.",
                *reading.warnings,
            ),
        )
    proven = any(c.status is CheckStatus.OK and c.check in PROOF_CHECKS for c in mine)
    if proven and not reading.confident and reading.value is not None:
        return replace(
            reading,
            confident=True,
            confidence=1.0,
            warnings=(
                "Valeur confirmée par la TIC (même PRM).",
                *(w for w in reading.warnings if not w.startswith("Valeur à confirmer")),
            ),
        )
    return reading


__all__ = ["EVIDENCE_CHECKS", "PROOF_CHECKS", "with_evidence"]
