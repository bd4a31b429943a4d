r"""What a reading stage hands the policy: a :class:`Candidate` and the :class:`Repair`\ s
it needed (typed, no decision: :mod:`linkytool.ocr.policy` decides)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from linkytool.ocr.result import ScreenKind


class Repair(StrEnum):
    """What a stage had to assume to find the value (each one withdraws confidence).

    Declared in the order their remarks are shown."""

    #: A digit cell is far fainter than the others (a previous screen's residue).
    FAINT = "faint"
    #: An index padded to an unknown width (a stray cell read as a zero?).
    PADDING = "padding"
    #: The calendar overruled a cell's nearest digit (a year read "2827").
    CALENDAR = "calendar"
    #: A loose grammar rule (fixed layout, trimmed letters, a cell taken as a blank, a
    #: number left outside the value...).
    LAYOUT = "layout"
    #: Read by tesseract on the whole panel: no dot grid was found.
    NO_GRID = "no_grid"
    #: The digits fit the known glyph sets far worse than the title's letters do: a
    #: digit design the reader was not built with (its nearest digit may be wrong).
    UNFAMILIAR_DIGITS = "unfamiliar_digits"
    #: The panel search stopped at its budget (``Settings.max_panel_quads``): a panel
    #: it left untried might have read otherwise.
    SEARCH_CUT = "search_cut"
    #: A cell of the value, or the cell beside either end of it on its line, lies
    #: outside the panel image (``GridSample.unseen``): the value may go on there.
    CUT_OFF = "cut_off"
    #: Two cells of the value read as one digit are two designs (more than ``Settings.
    #: unlike_distance`` apart, or ink moved between them): one ROM draws a digit one
    #: way, so one of them is another digit (:func:`linkytool.ocr.dotmatrix.
    #: drawn_two_ways`).
    TWO_DESIGNS = "two_designs"
    #: The cell right after a date read ``JJ/MM/AA`` holds faint ink (``Settings.
    #: trailing_ink_share`` of the date's): a glare may have washed out the rest of a
    #: four-digit year (:func:`linkytool.ocr.valuecells.ink_after`).
    FAINT_AFTER = "faint_after"


#: The remark that opens every value to confirm (the repairs' remarks say why, after it).
TO_CONFIRM_REMARK = "Valeur à confirmer : lecture incertaine."

#: The French remark of each repair (shown when the value is to confirm).
REPAIR_REMARKS: dict[Repair, str] = {
    Repair.LAYOUT: "Valeur reconstituée d'après la disposition de l'écran : vérifiez-la.",
    Repair.CALENDAR: "Un chiffre lu donnait une date impossible : la date la plus proche est "
    "proposée, vérifiez-la.",
    Repair.FAINT: "Un chiffre est bien plus pâle que les autres (reste de l'écran précédent ?) "
    ": vérifiez la valeur, ou reprenez la photo une fois l'écran stabilisé.",
    Repair.PADDING: "Nombre de zéros inattendu devant l'index : vérifiez la valeur.",
    Repair.NO_GRID: "Écran non reconnu comme un afficheur à points : lecture approximative "
    "(tesseract), à vérifier.",
    Repair.UNFAMILIAR_DIGITS: "Chiffres d'un dessin inhabituel pour ce lecteur : vérifiez "
    "chaque chiffre.",
    Repair.SEARCH_CUT: "Photo difficile, lecture écourtée : vérifiez la valeur, ou reprenez la "
    "photo de face, plus près, sans reflet ni flou.",
    Repair.CUT_OFF: "L'écran dépasse de la zone lue : la valeur continue peut-être au-delà. "
    "Vérifiez-la, ou reprenez la photo en cadrant tout l'écran.",
    Repair.TWO_DESIGNS: "Un même chiffre apparaît dessiné de deux façons : l'un des deux est "
    "peut-être un autre chiffre, vérifiez chaque chiffre.",
    Repair.FAINT_AFTER: "Des points pâles suivent la date (reflet ?) : elle continue peut-être. "
    "Vérifiez-la, ou reprenez la photo sans reflet.",
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


def touches_unseen(cells: tuple[tuple[int, int], ...], unseen: npt.NDArray[np.bool_]) -> bool:
    """True when a cell of ``cells`` ((line, column) of a value's digits), or the cell
    beside either end of the value on each of its lines, is ``unseen`` ((2, 16): outside
    the panel image): the value may continue where nothing was read."""
    columns: dict[int, list[int]] = {}
    for line, column in cells:
        columns.setdefault(line, []).append(column)
    lines, width = unseen.shape
    for line, used in columns.items():
        first, last = max(min(used) - 1, 0), min(max(used) + 1, width - 1)
        if 0 <= line < lines and bool(unseen[line, first : last + 1].any()):
            return True
    return False


def remarks(candidate: Candidate) -> tuple[str, ...]:
    """French remarks for the repairs of ``candidate``, in a stable order."""
    return tuple(REPAIR_REMARKS[r] for r in Repair if r in candidate.repairs)


__all__ = [
    "REPAIR_REMARKS",
    "TO_CONFIRM_REMARK",
    "Candidate",
    "Repair",
    "remarks",
    "touches_unseen",
]
