"""The injection index screen's grammar: the number before the unit ("000123 kWh").

The index has no fixed width: a padded width the reader has not seen
(``SETTINGS.index_pad_widths``), a letter glued to the number or a noise cell glued to
its padding make the match a guess (``repaired``).
"""

from __future__ import annotations

import re

from linkytool.ocr.digitcells import fold_index_letters
from linkytool.ocr.fields import FieldMatch, digit_positions, folded, same_length_upper
from linkytool.ocr.settings import SETTINGS

_INDEX_RE = re.compile(r"(?<![\d/:.])(\d{1,9})(?![\d/:.])\s*(?:K?WH|KW)?")
#: The number right before the unit: what the index screen shows, whatever follows.
#: The unit's W may read as a digit ("K4H": the cells of a token holding digits lean
#: to digits), its K and H do not; or its K may read as anything, a digit included,
#: when its W and H are read ("004775hWh": a held-out ROM's k).
_KWH = r"(?:K(?:W|\dH)|\SWH)"
_INDEX_UNIT_RE = re.compile(r"(?<![\d/:.])(?<!\d\s)(\d{1,9})\s?" + _KWH)
_INDEX_MARKED_UNIT_RE = re.compile(r"(?<![\d/:.])(?<!\d\s)(\d{1,9})\S" + _KWH)
_UNIT_AHEAD_RE = re.compile(r"\s?" + _KWH)
#: The screen's own layout after the number: one blank, the unit read letter for letter,
#: a blank (what follows it on the line is no digit of the index).
_WHOLE_UNIT = " KWH "


def number_before_unit(token: str, rest: str) -> bool:
    """Whether ``token`` (letters and digits, followed by ``rest`` on its line) is the
    index screen's number: it stands right before the unit ("TTO kWh": 770 whose 7s
    read T and 0 O; "H kWh": an open-top 4), or ends with it, glued ("TkWh": the
    alternative ROM's 7 read T, tuning seed 135001 photo 39), so its cells lean to
    digits as a token holding one does. A mark ("." before "kWh") is no digit of it."""
    text = same_length_upper(token + rest)
    ends = range(1, len(token) + 1)
    return token.isalnum() and any(_UNIT_AHEAD_RE.match(text, end) for end in ends)


def unit_cells(text: str, start: int, closes: bool = False) -> set[int]:
    """The positions of the unit starting at ``start`` in ``text`` (folded), its k
    misread included ("0000054WH"), none when no unit starts there; with ``closes``
    (the index screen), the cells after it too (:func:`cells_after_unit`)."""
    unit = _UNIT_AHEAD_RE.match(text, start)
    cells = set(range(*unit.span())) if unit else set()
    return cells | cells_after_unit(text, start) if closes else cells


def cells_after_unit(text: str, start: int) -> set[int]:
    """The positions after the unit, to the end of its line, when the unit starts at
    ``start`` in ``text`` (folded) and is the screen's own layout (" kWh ", one blank
    before and after, read letter for letter); none otherwise.

    The index screen draws its number, one blank, then ``kWh``: the unit closes the
    field, so a cell after it is no digit of the index, whatever it reads (a previous
    screen's residue, noise at the panel's edge: leave-one-font-out tuning seed 143111,
    X11 5x7 held out, hard photo 19, ``001994 KWh     9``, a guess before ocr39b). Only
    for the unit read in full: a digit misread as its W or H (``1234 5WH8``, the loose
    forms :func:`parse_index` accepts) would leave a digit of the number after it.
    """
    if not text.startswith(_WHOLE_UNIT, start):
        return set()
    after = start + len(_WHOLE_UNIT)
    end = text.find("\n", after)
    return set(range(after, len(text) if end < 0 else end))


def index_digits_plausible(digits: str) -> bool:
    """True for an unpadded number or one padded to a known width."""
    widths = SETTINGS.index_pad_widths
    return not digits.startswith("0") or len(digits) == 1 or len(digits) in widths


def parse_index(text: str) -> FieldMatch | None:
    """The injection index [kWh] in ``text`` as a decimal string without padding.

    The number followed by the unit (``kWh``) when exactly one is; otherwise the only
    number of the text. Anything else (two numbers, no number) is no reading.
    """
    text, opened = fold_index_letters(folded(text))
    repaired, rule = False, "index before its unit"
    matches = list(_INDEX_UNIT_RE.finditer(text))
    if len(matches) == 1 and not index_digits_plausible(matches[0].group(1)):
        # "0000026kWh": a padded width one too long; the screen shows "N kWh", so the
        # last cell is likely the blank misread (a guess when that gives a known width)
        marked = list(_INDEX_MARKED_UNIT_RE.finditer(text))
        if len(marked) == 1 and index_digits_plausible(marked[0].group(1)):
            matches, repaired, rule = marked, True, "index, its blank misread"
    if len(matches) != 1:
        # the blank before the unit read as a mark or a digit ("000000214.kWh",
        # "0000002144kWh": the screen shows "N kWh", one blank between)
        matches, repaired = list(_INDEX_MARKED_UNIT_RE.finditer(text)), True
        rule = "index, its blank misread"
    if len(matches) != 1:
        matches, repaired, rule = list(_INDEX_RE.finditer(text)), False, "index alone"
    if len(matches) != 1:
        return None
    match = matches[0]
    start, digits = match.start(1), match.group(1)
    if start > 0 and text[start - 1].isalpha():
        # "OOOOOOT53kWh": a letter glued before the number may be a misread digit of it
        repaired = True
    if match.end(0) == match.end(1) < len(text) and text[match.end(1)].isalpha():
        # "70758H kWh": so may a letter glued after it that is not the unit (an open 4
        # read H: 70758 for 707584)
        repaired = True
    glued = _glued_to_padding(digits)
    if glued:
        # "1000941": a noise cell read as a digit before a 6-digit padded "000941"
        start, digits, repaired = start + glued, digits[glued:], True
    number = int(digits)
    if number > SETTINGS.max_index_kwh:
        return None
    positions = digit_positions(text, start, match.end(1))
    return FieldMatch(str(number), positions, repaired=repaired or opened, rule=rule)


def _glued_to_padding(digits: str) -> int:
    """How many leading digits of ``digits`` are likely noise glued to a padded index.

    A run longer than the narrowest padding whose last digits of that width start with
    a zero ("1000941", "4000009") is read as a stray cell (or two) before a padded
    number: an index of a million kWh or more is far less likely than a noise cell on a
    screen read at commissioning. 0 when the run is not of that shape.
    """
    widths = SETTINGS.index_pad_widths
    width = min(widths)
    if width < len(digits) <= max(widths) and digits[0] != "0" and digits[-width] == "0":
        return len(digits) - width
    return 0


__all__ = [
    "cells_after_unit",
    "index_digits_plausible",
    "number_before_unit",
    "parse_index",
    "unit_cells",
]
