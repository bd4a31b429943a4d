"""What every field parser shares: :class:`FieldMatch` and the folding of digit look-alikes.

The text a parser reads keeps one character per LCD cell (:func:`same_length_upper`),
so the positions a match reports are the cells' positions; look-alike letters are
folded to digits inside tokens that read as numbers (:func:`fold_digit_runs`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Letters a dot-matrix or tesseract read commonly returns for a digit.
DIGIT_CONFUSIONS: dict[str, str] = {
    "O": "0",
    "Q": "0",
    "D": "0",
    "U": "0",
    "I": "1",
    "L": "1",
    "|": "1",
    "!": "1",
    "T": "7",
    "Z": "2",
    "S": "5",
    "B": "8",
    "G": "6",
    "A": "4",
}


@dataclass(frozen=True)
class FieldMatch:
    """A value found in a text: normalised value and the positions of its digits."""

    value: str
    digit_positions: tuple[int, ...]
    #: Lengths of the digit groups in order (date: day, month, year[, hour, minute]);
    #: empty for a single number (PRM, index).
    groups: tuple[int, ...] = ()
    #: Found only by a looser rule (a cell of the screen's fixed layout taken as the
    #: blank whatever it reads, digits left unexplained): a best guess, never confident.
    repaired: bool = False
    #: Name of the grammar rule that found it (diagnostics, tests).
    rule: str = ""


def same_length_upper(text: str) -> str:
    """Upper-case without accents, one output character per input character.

    Keeps positions aligned with the LCD cells (unlike :func:`values.normalise_text`).
    """
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)[:1] or char
        upper = base.upper()
        out.append(upper if len(upper) == 1 else base)
    return "".join(out)


def fold_digits(text: str) -> str:
    """Replace confusable letters by digits (for a text that should be digits)."""
    return "".join(DIGIT_CONFUSIONS.get(c, c) for c in text.upper())


def fold_digit_runs(text: str) -> str:
    """Fold confusions inside tokens that read as a number once folded.

    A token is folded when every character is a digit or a confusable letter and it
    holds at least one real digit (or is long, like a PRM read as letters): "3OOO2" ->
    "30002", "2O" -> "20", while words such as "KWH", "BASE" or "DATE" are kept.
    """

    def fold(match: re.Match[str]) -> str:
        token = match.group(0)
        folded = fold_digits(token)
        if folded.isdigit() and (any(c.isdigit() for c in token) or len(token) >= 6):
            return folded
        return token

    return re.sub(r"[^\s/:.\-]+", fold, text)


def folded(text: str) -> str:
    """``text`` upper-cased cell for cell, look-alikes folded in number tokens."""
    return fold_digit_runs(same_length_upper(text))


def digit_positions(text: str, start: int, end: int) -> tuple[int, ...]:
    """Positions of the digits of ``text[start:end]``."""
    return tuple(i for i in range(start, end) if text[i].isdigit())


def number_left_out(text: str, explained: set[int]) -> bool:
    """Whether ``text`` (folded) holds a digit the value does not explain (``explained``:
    its digits' and unit's positions) in a number: a run of letters and digits holding
    more digits than letters. Digits inside words do not count ("C0URANTE": the ROM's O;
    "00URANTE": its C leaning to a digit beside it, tuning seed 135001 photo 0)."""
    for run in re.finditer(r"[A-Z\d]+", text):
        digits = {run.start() + i for i, c in enumerate(run.group()) if c.isdigit()}
        if 2 * len(digits) > len(run.group()) and not explained >= digits:
            return True
    return False


def group_positions(match: re.Match[str], count: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(digit positions, group lengths) of the first ``count`` groups that matched."""
    positions: list[int] = []
    lengths: list[int] = []
    for group in range(1, min(count, match.re.groups) + 1):
        if match.group(group) is None:
            continue
        positions.extend(range(match.start(group), match.end(group)))
        lengths.append(match.end(group) - match.start(group))
    return tuple(positions), tuple(lengths)


__all__ = [
    "DIGIT_CONFUSIONS",
    "FieldMatch",
    "digit_positions",
    "fold_digit_runs",
    "fold_digits",
    "folded",
    "group_positions",
    "number_left_out",
    "same_length_upper",
]
