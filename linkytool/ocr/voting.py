"""Variant voting: each preprocessing variant's value, typed, and the one value they elect.

Each variant's cells give a :class:`VariantValue` (the value, its digit cells, its
smallest margin, the repairs it needed, how well its digits fit); :func:`vote` elects
the value most variants read (ties: the best-fitting digits) and hands the policy one
:class:`~linkytool.ocr.policy.Candidate`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from linkytool.ocr.digitcells import open_fours
from linkytool.ocr.dotmatrix import DIGITS, drawn_two_ways
from linkytool.ocr.grammar import best_digits, nearest_digits, parse_screen
from linkytool.ocr.indexes import index_digits_plausible
from linkytool.ocr.panel import PanelRead
from linkytool.ocr.policy import Candidate, Repair
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.valuecells import (
    Cell,
    digit_costs,
    faint_digit,
    ink_after,
    mark_glued_before,
    parse_read,
    value_dots,
    with_digits,
)


@dataclass(frozen=True)
class VariantValue:
    """What one variant's cells read (``value`` None: no value, or none the grammar holds)."""

    value: str | None
    #: (line, column) of the value's digit cells.
    cells: tuple[Cell, ...] = ()
    #: Smallest digit margin [dots]; None when the digits were never decided.
    margin: float | None = None
    repairs: frozenset[Repair] = frozenset()
    #: Mean distance of the chosen digits to their cells [dots] (None: no value).
    cost: float | None = None
    #: The grammar rule that found the value (:attr:`ScreenMatch.rule`).
    rule: str = ""
    #: The variant's sampling window [px] (:attr:`~linkytool.ocr.panel.Variant.window`).
    window: int = 0
    #: The window spans the dot pitch it sampled or more (:func:`spans_pitch`): its
    #: doubts are the window's, not the glyphs' (:func:`vote`).
    smeared: bool = False


def spans_pitch(read: PanelRead) -> bool:
    """Whether ``read``'s sampling window [px] spans the dot pitch of its grid or more
    (the smaller of x and y: the measured lattice's, else the standard layout's
    ``px_per_dot`` × its scale): every dot's sample then holds its neighbours' positions
    (and, with dots 90 % of the pitch, their ink).

    The wide variant's 5 px window is 5/6 of the standard layout's 6 px pitch; a wide
    panel (two blank columns, 20 columns, wide margins) rectified into the same 101
    pitches has its lattice measured at 4-5 px a pitch (ocr41b's census, tuning seeds
    145901 and 145902, wide geometry: every exact field held back by that window alone
    was read on a lattice of 4.0-5.7 px)."""
    return read.variant.window >= min(read.grid.pitch)


def read_value(read: PanelRead, kind: ScreenKind, first: bool) -> VariantValue:
    """The value of one variant's cells, its digits re-decided within the grammar
    (``first``: the variant that chose the panel, whose ink tells a faint digit)."""
    smeared = spans_pitch(read)
    lines, match = parse_read(read, kind)
    if match is None:
        return VariantValue(None, window=read.variant.window, smeared=smeared)
    repairs: set[Repair] = set()
    if first and faint_digit(read, match, kind):
        repairs.add(Repair.FAINT)
    if first and kind is ScreenKind.DATE and ink_after(read, match):
        repairs.add(Repair.FAINT_AFTER)
    costs, unfamiliar, margin = digit_costs(read, match.cells)
    if unfamiliar:
        repairs.add(Repair.UNFAMILIAR_DIGITS)
    if match.repaired:  # a guess: its digits read H are open 4s (digitcells)
        costs = open_fours(costs, [lines[line][column] for line, column in match.cells])
    chosen = best_digits(kind, match, costs)
    if chosen is None:
        return VariantValue(
            None,
            match.cells,
            repairs=frozenset(repairs),
            rule=match.rule,
            window=read.variant.window,
            smeared=smeared,
        )
    # the grammar overruled a cell's nearest digit (e.g. a year 2827): not confident
    if chosen != nearest_digits(costs):
        repairs.add(Repair.CALENDAR)
    # one ROM draws a digit one way: two cells of one digit drawn unlike, one is another
    if drawn_two_ways(value_dots(read, match.cells), chosen):
        repairs.add(Repair.TWO_DESIGNS)
    shown = with_digits(lines, match, chosen)
    rematch = parse_screen(kind, shown)
    index = kind is ScreenKind.INJECTION_INDEX
    # an index has no fixed length: a mark glued before it may be a digit of it
    if match.repaired or (rematch is not None and rematch.repaired):
        repairs.add(Repair.LAYOUT)
    if index and mark_glued_before(lines, match):
        repairs.add(Repair.LAYOUT)
    if rematch is None:
        return VariantValue(
            None,
            match.cells,
            margin,
            frozenset(repairs),
            rule=match.rule,
            window=read.variant.window,
            smeared=smeared,
        )
    if index and not index_digits_plausible("".join(shown[i][j] for i, j in rematch.cells)):
        repairs.add(Repair.PADDING)
    picked = [costs[i, DIGITS.index(d)] for i, d in enumerate(chosen)]
    cost = float(np.mean(picked)) if picked else 0.0
    return VariantValue(
        rematch.value,
        match.cells,
        margin,
        frozenset(repairs),
        cost,
        match.rule,
        read.variant.window,
        smeared,
    )


def _repairs(variants: Sequence[VariantValue]) -> frozenset[Repair]:
    """The repairs of ``variants``, every one in every variant: an unfamiliar digit
    design the widest window alone doubts still holds the value to confirm.

    ocrF judged that doubt in the sharpest samplings only (a blurred cell misfits every
    template in the 5 px window where the 3 px samplings fit); the lead's safety seed
    86532 found it confidently wrong: X11 5x7 (held out) hard photo 16, the index
    ``000002`` read ``000007`` (the blurred X11 2 read 7), doubted in the 5 px window
    only. Reverted (``tests/ocr/test_confidence_fourth.py`` pins the photo).

    Except a window that spans the dot pitch it sampled (:func:`spans_pitch`: the 5 px
    window on a wide panel's lattice of 4-5 px a pitch; on the standard layout only at
    its smallest y scales, 0.82-0.83; that photo still doubts, the pin passes): every
    sample there averages a dot with its neighbours' positions, so its misfits, its thin
    margins and the blank cells it reads as glyphs are the window's (:func:`witnesses`).
    """
    return frozenset().union(*(v.repairs for v in witnesses(variants)))


def witnesses(variants: Sequence[VariantValue]) -> list[VariantValue]:
    """The variants whose doubts (repairs, margins) count: those whose window does not
    span the dot pitch (:attr:`VariantValue.smeared`), or every one when all do. A
    smeared variant still votes: its value must agree for a confident reading
    (ocr41b)."""
    sharp = [v for v in variants if not v.smeared]
    return sharp or list(variants)


def vote(
    kind: ScreenKind, variants: Sequence[VariantValue], title_certain: bool
) -> Candidate | None:
    """The value most variants read (on a tie, the one whose digits fit their cells
    best), as the policy's candidate; None when no variant read one."""
    found = [v.value for v in variants if v.value is not None]
    if not found:
        return None
    costs: dict[str, float] = {}
    for variant in variants:
        if variant.value is not None and variant.cost is not None:
            costs[variant.value] = min(costs.get(variant.value, np.inf), variant.cost)
    best = min(set(found), key=lambda v: (-found.count(v), costs.get(v, np.inf), v))
    elected = next(v for v in variants if v.value == best)
    return Candidate(
        kind=kind,
        value=best,
        cells=elected.cells,
        rule=elected.rule,
        margins=tuple(v.margin for v in witnesses(variants) if v.margin is not None),
        repairs=_repairs(variants),
        variants_agree=all(v.value == best for v in variants),
        title_certain=title_certain,
    )


__all__ = ["VariantValue", "read_value", "spans_pitch", "vote", "witnesses"]
