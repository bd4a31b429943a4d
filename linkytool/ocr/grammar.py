"""The value grammar of the three Linky screens, on the screen's lines of cells.

:func:`parse_screen` takes the screen's lines (one character per cell, as read) and
returns a :class:`ScreenMatch`: the normalised value and the (line, column) of each
cell holding one of its digits, so the reader re-decides those cells among digits only
(:func:`best_digits`). The field parsers read one text: the lines joined by a newline,
which stays inside this module (a value never spans the line break unless its layout
says so: the date screen's time on line 2). The PRM is parsed here; the date and the
index by :mod:`~linkytool.ocr.dates` and :mod:`~linkytool.ocr.indexes`, on
:class:`~linkytool.ocr.fields.FieldMatch` positions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from linkytool.ocr.dates import best_date_digits, parse_date
from linkytool.ocr.fields import FieldMatch, digit_positions, folded, number_left_out
from linkytool.ocr.indexes import number_before_unit, parse_index, unit_cells
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS

_PRM_RE = re.compile(r"(?<!\d)(\d(?: ?\d){13})(?!\d)")
#: The PRM screen's layout, tried when no 14 digits parse: a run of exactly 14 cells
#: (``SETTINGS.prm_layout_min_digits`` of them digits) is the number, a blurred digit
#: read as a mark among them, or a faint one as a blank (single blanks inside the run,
#: never at its ends).
_PRM_LAYOUT_RE = re.compile(r"(?<!\S)([^\s/:](?:[^\s/:]| (?! )){12}[^\s/:])(?!\S)")
#: A time as the date screen lays it out, whatever its cells read: two cells, a colon,
#: two cells ("II:IA", a held-out ROM's 1 and 4 read as letters).
_TIME_TOKEN_RE = re.compile(r"[^\s:/]{2}:[^\s:/]{2}")
#: What :func:`parse_screen` joins the lines with (the field parsers' line break).
_LINE_BREAK = "\n"


def parse_prm(text: str) -> FieldMatch | None:
    """The 14-digit PRM in ``text`` (spaces between digits tolerated), or ``None``."""
    text = folded(text)
    matches = list(_PRM_RE.finditer(text))
    if len(matches) == 1:
        match = matches[0]
        value = match.group(1).replace(" ", "")
        return FieldMatch(value, digit_positions(text, match.start(1), match.end(1)), rule="prm")
    if matches:
        return None  # several PRMs: which one?
    runs = [
        m
        for m in _PRM_LAYOUT_RE.finditer(text)
        if sum(c.isdigit() for c in m.group(1)) >= SETTINGS.prm_layout_min_digits
    ]
    if len(runs) == 1:
        # a guess: the cells not read as digits are marked "?" until re-decided
        run = runs[0]
        value = "".join(c if c.isdigit() else "?" for c in run.group(1))
        cells = tuple(range(run.start(1), run.end(1)))
        return FieldMatch(value, cells, repaired=True, rule="prm layout")
    return None


PARSERS: dict[ScreenKind, Callable[[str], FieldMatch | None]] = {
    ScreenKind.PRM: parse_prm,
    ScreenKind.DATE: parse_date,
    ScreenKind.INJECTION_INDEX: parse_index,
}


def parse_value(kind: ScreenKind, text: str) -> FieldMatch | None:
    """Parse the value of a screen of ``kind`` in ``text`` (``None`` for screens without
    a value).

    A digit left outside the value (a time without its colon after a date, a number
    before an index, not after its unit: ``unit_cells``) may belong to it: the match is
    then marked ``repaired``.
    """
    parser = PARSERS.get(kind)
    match = parser(text) if parser else None
    if match is None or match.repaired:
        return match
    text, used = folded(text), set(match.digit_positions)
    closes = kind is ScreenKind.INJECTION_INDEX  # the index screen's unit ends its field
    if number_left_out(text, used | unit_cells(text, max(used, default=-1) + 1, closes)):
        return replace(match, repaired=True, rule=f"{match.rule}, a number left out")
    return match


@dataclass(frozen=True)
class ScreenMatch:
    """A value found on the screen's lines of cells."""

    value: str
    #: (line, column) of each digit cell of the value, in reading order.
    cells: tuple[tuple[int, int], ...]
    #: Lengths of the digit groups (date: day, month, year[, hour, minute]), else empty.
    groups: tuple[int, ...] = ()
    #: Found only by a looser rule: a best guess, never confident.
    repaired: bool = False
    #: Name of the grammar rule that found it (:attr:`FieldMatch.rule`).
    rule: str = ""


def parse_screen(kind: ScreenKind, lines: Sequence[str]) -> ScreenMatch | None:
    """:func:`parse_value` on the screen's ``lines``, its digits as (line, column) cells."""
    match = parse_value(kind, _LINE_BREAK.join(lines))
    if match is None:
        return None
    starts = np.cumsum([0, *(len(line) + len(_LINE_BREAK) for line in lines)])
    cells = []
    for position in match.digit_positions:
        line = int(np.searchsorted(starts, position, side="right")) - 1
        cells.append((line, position - int(starts[line])))
    return ScreenMatch(match.value, tuple(cells), match.groups, match.repaired, match.rule)


def number_token(token: str, rest: str) -> bool:
    """Whether the cells of ``token`` (followed by ``rest`` on its line) lean to digits:
    it holds a digit, stands right before the unit (:func:`number_before_unit`) or is
    laid out as a time (``HH:MM``: on a date screen its letters are misread digits)."""
    if any(c.isdigit() for c in token) or number_before_unit(token, rest):
        return True
    return _TIME_TOKEN_RE.fullmatch(token) is not None


def best_digits(
    kind: ScreenKind, match: ScreenMatch | FieldMatch, costs: npt.NDArray[np.float64]
) -> str | None:
    """The digits of ``match`` that fit its cells best within the field's grammar.

    ``costs`` (cells, 10): distance of each digit cell to each digit [dots]. Dates are
    decoded under their calendar constraints (:func:`best_date_digits`); other fields
    take each cell's nearest digit.
    """
    if kind is ScreenKind.DATE and match.groups:
        return best_date_digits(match.groups, costs)
    return nearest_digits(costs)


def nearest_digits(costs: npt.NDArray[np.float64]) -> str:
    """Each cell's nearest digit; ``costs`` (cells, 10) as in :func:`best_digits`."""
    return "".join(str(int(i)) for i in np.argmin(costs, axis=1))


__all__ = [
    "PARSERS",
    "ScreenMatch",
    "best_digits",
    "nearest_digits",
    "number_token",
    "parse_prm",
    "parse_screen",
    "parse_value",
]
