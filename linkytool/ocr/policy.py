"""The one place that decides: confident, to confirm, or not a value (pure, table-driven).

The stages before this one (cells, title, grammar) only emit a :class:`Candidate`: the
value, the cells it was read from, the rule that produced it, each digit's margin, and the
repairs made. :func:`decide` walks :data:`RULES` in order; the first rule that holds
decides, with its French remark. Nothing else in the reader sets ``confident``.
:func:`with_evidence` then lets evidence from outside the photo speak (the TIC, EXIF).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from linkytool.ocr.crosscheck import CheckStatus, CrossCheck
from linkytool.ocr.result import PhotoReading, ScreenKind
from linkytool.ocr.settings import SETTINGS, Settings


class Verdict(StrEnum):
    """What the reader says of a value."""

    CONFIDENT = "confident"
    TO_CONFIRM = "to_confirm"
    NOT_A_VALUE = "not_a_value"


class Repair(StrEnum):
    """What a stage had to assume to find the value (each one withdraws confidence).

    Declared in the order their remarks are shown."""

    #: A digit cell is far fainter than the others (a previous screen's residue).
    FAINT = "faint"
    #: An index padded to an unknown width (a stray cell read as a zero?).
    PADDING = "padding"
    #: The calendar overruled a cell's nearest digit (a year read "2827").
    CALENDAR = "calendar"
    #: A loose grammar rule (fixed layout, trimmed letters, a cell taken as a blank...).
    LAYOUT = "layout"
    #: A number was left outside the value (a time without its colon, a second number).
    LEFTOVER = "leftover"
    #: The screen was named by its value, its title being illegible.
    KIND_FROM_VALUE = "kind_from_value"
    #: Read by tesseract on the whole panel: no dot grid was found.
    NO_GRID = "no_grid"
    #: The digits fit the known glyph sets far worse than the title's letters do: a
    #: digit design the reader was not built with (its nearest digit may be wrong).
    UNFAMILIAR_DIGITS = "unfamiliar_digits"


#: The French remark of each repair (shown when the value is to confirm).
REPAIR_REMARKS: dict[Repair, str] = {
    Repair.LAYOUT: "Valeur reconstituée d'après la disposition de l'écran : vérifiez-la.",
    Repair.CALENDAR: "Un chiffre lu donnait une date impossible : la date la plus proche est "
    "proposée, vérifiez-la.",
    Repair.LEFTOVER: "Un chiffre lu hors de la valeur : vérifiez la valeur.",
    Repair.FAINT: "Un chiffre est bien plus pâle que les autres (reste de l'écran précédent ?) "
    ": vérifiez la valeur, ou reprenez la photo une fois l'écran stabilisé.",
    Repair.PADDING: "Nombre de zéros inattendu devant l'index : vérifiez la valeur.",
    Repair.KIND_FROM_VALUE: "Titre illisible : l'écran est déduit de la valeur, vérifiez-le.",
    Repair.NO_GRID: "Écran non reconnu comme un afficheur à points : lecture approximative "
    "(tesseract), à vérifier.",
    Repair.UNFAMILIAR_DIGITS: "Chiffres d'un dessin inhabituel pour ce lecteur : vérifiez "
    "chaque chiffre.",
}


@dataclass(frozen=True)
class Candidate:
    """A value a stage proposes, with everything the policy needs to judge it."""

    kind: ScreenKind
    value: str | None
    #: (line, column) of each digit cell the value was read from.
    cells: tuple[tuple[int, int], ...] = ()
    #: Name of the grammar rule that produced it (for diagnostics and tests).
    rule: str = ""
    #: Digit margins [dots] (distance of the second-best digit minus the best's): per
    #: digit, or the smallest of each preprocessing variant; only their minimum counts.
    margins: tuple[float, ...] = ()
    repairs: frozenset[Repair] = frozenset()
    #: Every preprocessing variant read the same value.
    variants_agree: bool = True
    #: The title names this screen beyond doubt (spotting, cell text and tesseract agree).
    title_certain: bool = True

    @property
    def margin(self) -> float:
        """The smallest digit margin [dots] (0 without digits)."""
        return min(self.margins, default=0.0)


Predicate = Callable[[Candidate, Settings], bool]


@dataclass(frozen=True)
class Rule:
    """When ``holds``, the value gets ``verdict`` (remarks come from the repairs)."""

    name: str
    holds: Predicate
    verdict: Verdict


#: The decision, in order: the first rule that holds decides. Readable in one screen.
RULES: tuple[Rule, ...] = (
    Rule("no value", lambda c, s: c.value is None, Verdict.NOT_A_VALUE),
    Rule("variants disagree", lambda c, s: not c.variants_agree, Verdict.TO_CONFIRM),
    Rule("title uncertain", lambda c, s: not c.title_certain, Verdict.TO_CONFIRM),
    Rule("repaired", lambda c, s: bool(c.repairs), Verdict.TO_CONFIRM),
    Rule("thin margin", lambda c, s: c.margin < s.confident_margin, Verdict.TO_CONFIRM),
    Rule("clear", lambda c, s: True, Verdict.CONFIDENT),
)


def decide(candidate: Candidate, settings: Settings = SETTINGS) -> tuple[Verdict, str]:
    """(verdict, name of the deciding rule) of ``candidate``."""
    for rule in RULES:
        if rule.holds(candidate, settings):
            return rule.verdict, rule.name
    raise AssertionError("the last rule always holds")


def confidence(candidate: Candidate, settings: Settings = SETTINGS) -> float:
    """A 0..1 score for display: the margin scaled so the confident threshold maps to
    ``settings.confident_level``, halved when variants disagree, ×0.7 when the title is
    uncertain."""
    level = candidate.margin / settings.confident_margin * settings.confident_level
    score = min(1.0, max(0.0, level))
    return (
        score
        * (1.0 if candidate.variants_agree else 0.5)
        * (1.0 if candidate.title_certain else 0.7)
    )


def remarks(candidate: Candidate) -> tuple[str, ...]:
    """French remarks for the repairs of ``candidate``, in a stable order."""
    return tuple(REPAIR_REMARKS[r] for r in Repair if r in candidate.repairs)


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


__all__ = [
    "EVIDENCE_CHECKS",
    "PROOF_CHECKS",
    "REPAIR_REMARKS",
    "RULES",
    "Candidate",
    "Repair",
    "Rule",
    "Verdict",
    "confidence",
    "decide",
    "remarks",
    "with_evidence",
]
