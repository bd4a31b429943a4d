"""Twin cells: two digit cells drawn alike are one digit (issue 13, ocrZ).

One panel has one character ROM: it draws each digit one way, so two cells of a value
that look alike, within the panel's own noise, show the same digit. Blur moves a cell
of the narrow X11 designs nearer another digit's template (an 8 whose upper loop closes
reads 0 or 6) while its twin, the same 8 elsewhere in the value, still reads 8: the
PRM ``...83411418`` read ``...83411410`` (tuning seed 105012, X11 5x7 and X11 5x8 hard
photo 40: the two 8s 4.6 dots apart, the panel's clear 1s up to 4.9 dots from each
other). :func:`twin_costs` re-decides a cell whose nearest digit is not clear together
with its twin: the digit of its own two nearest that fits both best. It only re-decides
cells already held at "à confirmer" (the variant's margin is thin or its digits
unfamiliar), so the rule makes readings exact, never confident.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from linkytool.ocr.dotmatrix import FloatArray, cell_distances, trusted_alone
from linkytool.ocr.settings import SETTINGS


def panel_noise(cells: FloatArray, digit_costs: FloatArray, clear: npt.NDArray[np.bool_]) -> float:
    """How far apart [dots] the panel draws one digit: the farthest two ``clear`` cells
    (N,) of the same nearest digit (``digit_costs`` (N, 10)) lie from each other, of
    cells (N, 35); 0 when no clear digit repeats (no noise measured: no twins)."""
    nearest = np.argmin(digit_costs, axis=1)
    pairs = np.triu(nearest[:, None] == nearest[None, :], k=1) & clear[:, None] & clear[None, :]
    between = cell_distances(cells)[pairs]
    return float(between.max()) if len(between) else 0.0


def twin_costs(
    cells: FloatArray, digit_costs: FloatArray, letters: float, plain: FloatArray | None = None
) -> tuple[FloatArray, bool]:
    """(``digit_costs`` (N, 10) [dots] of a value's digit cells (N, 35) with each cell
    whose margin is thin re-decided with its twin, whether a nearest digit changed).

    A cell's twin is its nearest cell, itself nearest to the cell, within the panel's
    noise (:func:`panel_noise`, over the clear cells: a margin of at least
    ``Settings.confident_margin`` that the unfamiliar-digits rule trusts alone against
    the title letters' fit ``letters``, :func:`~linkytool.ocr.dotmatrix.trusted_alone`).
    A cell that is not clear and has a twin takes the mean of their costs, every digit
    but its own two nearest ``Settings.unlike_cost`` dearer. With ``plain`` (N, 10),
    the templates' costs before the panel's rules, both cells must have kept them (a
    cell read by its shape, or moved off a digit drawn unlike it, is left as the panel
    decided). Not done: barring a digit a clear cell beyond the noise reads (a panel's
    two lines sampled unlike each other put one digit's cells 11-14 dots apart)."""
    settings = SETTINGS
    ordered = np.sort(digit_costs, axis=1)
    margin = ordered[:, 1] - ordered[:, 0]
    clear = trusted_alone(ordered[:, 0] - letters, margin) & (margin >= settings.confident_margin)
    noise = panel_noise(cells, digit_costs, clear)
    if noise <= 0.0:
        return digit_costs, False
    between = cell_distances(cells)
    np.fill_diagonal(between, np.inf)
    closest = np.argmin(between, axis=1)
    rows = np.arange(len(cells))
    mutual = (closest[closest] == rows) & (between[rows, closest] <= noise)
    if plain is not None:
        kept = (digit_costs == plain).all(axis=1)
        mutual &= kept & kept[closest]
    nearest = np.argmin(digit_costs, axis=1)
    out = digit_costs.copy()
    for row in np.flatnonzero(~clear & mutual):
        pair = [row, closest[row]]
        joint = digit_costs[pair].mean(axis=0)
        barred = np.ones(len(joint), dtype=np.bool_)
        barred[np.argsort(digit_costs[row])[:2]] = False  # its own nearest or runner-up
        out[row] = joint + settings.unlike_cost * barred
    changed = bool((np.argmin(out, axis=1) != nearest).any())
    return (out, True) if changed else (digit_costs, False)


__all__ = ["panel_noise", "twin_costs"]
