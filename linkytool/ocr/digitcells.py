"""Cells a value's grammar says are digits, read H (issue 13, ocrH).

On the date screen a token laid out ``HH:MM`` holds four digits whatever its cells
read. The alternative ROM's open-top 4 (``#...#`` over a bar and a right stem) lies 3
dots from its H and, blurred, fits the H better than any digit template: "1H:52" left
the time unread and the date alone came back as a guess (tuning seed 21357, alt hard
photos 5 and 29). :func:`fold_time_letters` makes such an H a digit cell of the time;
which digit it is the cells decide afterwards, as for every digit of a value (the
calendar and the digits' costs, the shape and the panel's agreement, the policy's
margins and unfamiliar-digits rule): the fold says *where* the digits are, not which.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

#: A time whose hour or minute cells read H (the open 4) beside digits: two cells, a
#: colon, two cells, at the token's edges (the word HEURE before it is left alone).
_TIME_CELLS_RE = re.compile(r"(?<![A-Z0-9])([0-9H]{2}):([0-9H]{2})(?![A-Z0-9])")


def fold_time_letters(folded: str) -> str:
    """``folded`` (upper-case, digit runs folded) with each H of an ``HH:MM`` token
    holding a digit read as a digit cell ("4"), one character per character."""

    def fold(match: re.Match[str]) -> str:
        token = match.group(0)
        return token.replace("H", "4") if any(c.isdigit() for c in token) else token

    return _TIME_CELLS_RE.sub(fold, folded)


#: An H inside an index's number: after a digit, before a digit or the unit (``kWh``,
#: a blank between allowed: "0001H5kWh", "0H625HkWh"). Not an H before "WH": that is
#: the unit's k misread.
_INDEX_H_RE = re.compile(r"(?<=\d)H(?=\d|\s?K(?:W|\dH))")


def fold_index_letters(folded: str) -> tuple[str, bool]:
    """``folded`` (upper-case, digit runs folded) with each H inside the index's number
    (:data:`_INDEX_H_RE`) read as a digit cell ("4"), and whether one was: the open 4
    of the alternative ROM ("OOO1H5kWh" gave 5 for 145, "OH625HkWh" 625 for 46254:
    tuning seed 21357, alt hard photos 13 and 19). A guess (the caller never makes it
    confident): a noise cell glued to the number may read H too."""
    out = _INDEX_H_RE.sub("4", folded)
    return out, out != folded


#: Column of the digit 4 in a value's (N, 10) digit costs.
FOUR = 4


def open_fours(costs: npt.NDArray[np.float64], shown: Sequence[str]) -> npt.NDArray[np.float64]:
    """A guessed value's digit costs (N, 10) [dots] with each cell read H (``shown``: the
    value's cells as read) made a 4: an H has the open 4's shape (two stems, a bar, no
    top: no 9, whose top is closed), though blur leaves the 9 template nearer by a few
    tenths of a dot (tuning seed 21357, alt hard: "OOO1H5kWh" re-decided 195 for 145).
    Only for a guess: the value stays to confirm."""
    rows = [i for i, char in enumerate(shown) if char == "H"]
    if not rows:
        return costs
    out = costs.copy()
    out[rows, FOUR] = out[rows].min(axis=1) - 1.0
    return out


__all__ = ["fold_index_letters", "fold_time_letters", "open_fours"]
