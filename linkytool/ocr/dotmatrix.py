"""Nearest-template classifier for 5×7 dot-matrix LCD cells (pure numpy).

tesseract reads separate LCD dots badly (see docs/ocr.md), so each character cell is
read here: the reader samples the darkness of the 35 dot centres of a cell, scaled to
[0, 1] (0 = background, 1 = dot on), and this module compares that vector with every
glyph of the template glyph sets (of :mod:`linkytool.ocr.font5x7`; which ones:
``Settings.fonts``, or :func:`use_template_fonts` for a leave-one-font-out benchmark). The
distance is the sum of absolute differences [dots]; the gap between the best and the
second-best character is the cell's margin, from which the confidence derives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from linkytool.ocr.font5x7 import COLS, FONTS, ROWS, glyph_bits
from linkytool.ocr.settings import SETTINGS

FloatArray = npt.NDArray[np.float64]

#: Characters a value can hold, per field grammar (see :mod:`linkytool.ocr.grammar`).
DIGITS = "0123456789"
#: Margin [dots] at which a cell counts as certain (a full dot of difference).
CERTAIN_MARGIN = 2.0


@dataclass(frozen=True)
class Templates:
    """Glyph vectors: ``chars[i]`` is drawn by ``vectors[i]`` (35 floats, 1 = dot on)."""

    chars: tuple[str, ...]
    vectors: FloatArray


#: The glyph sets the classifier is built from (one entry; see :func:`use_template_fonts`).
_ACTIVE_FONTS: list[tuple[str, ...]] = [
    SETTINGS.fonts if SETTINGS.fonts is not None else tuple(FONTS)
]


def template_fonts() -> tuple[str, ...]:
    """The glyph sets the classifier compares cells with."""
    return _ACTIVE_FONTS[0]


@contextmanager
def use_template_fonts(fonts: Iterable[str]) -> Iterator[None]:
    """Build the classifier from ``fonts`` only, inside the ``with`` block.

    For the leave-one-font-out benchmark (``bench/ocr_accuracy.py --font``): photos
    drawn with a glyph set are read by a classifier that never saw that set.
    """
    chosen = tuple(fonts)
    unknown = [name for name in chosen if name not in FONTS]
    if unknown or not chosen:
        raise ValueError(f"unknown or no glyph sets: {unknown or chosen!r}")
    previous, _ACTIVE_FONTS[0] = _ACTIVE_FONTS[0], chosen
    try:
        yield
    finally:
        _ACTIVE_FONTS[0] = previous


def templates(font: str | None = None) -> Templates:
    """Every glyph of glyph set ``font`` (of every template set when None: a character
    may then have several glyphs)."""
    return _templates((font,) if font is not None else _ACTIVE_FONTS[0])


@lru_cache(maxsize=16)
def _templates(fonts: tuple[str, ...]) -> Templates:
    chars: list[str] = []
    vectors: list[FloatArray] = []
    seen: set[tuple[str, bytes]] = set()
    for font_name in fonts:
        for char in FONTS[font_name]:
            # the 7 rows a cell is sampled on (a 5×8 font's underline row is left out)
            bits = glyph_bits(char, font_name)[:ROWS].astype(np.float64).reshape(-1)
            key = (char, bits.tobytes())
            if key in seen:
                continue
            seen.add(key)
            chars.append(char)
            vectors.append(bits)
    return Templates(tuple(chars), np.stack(vectors))


@dataclass(frozen=True)
class CellRead:
    """One cell: best character per candidate set, with distances [dots]."""

    char: str
    distance: float
    second: str
    second_distance: float

    @property
    def margin(self) -> float:
        """Gap between best and second-best character [dots]."""
        return self.second_distance - self.distance

    @property
    def confidence(self) -> float:
        """0..1 from the margin (1 at :data:`CERTAIN_MARGIN` dots or more)."""
        return float(min(1.0, max(0.0, self.margin / CERTAIN_MARGIN)))


def char_distances(
    cells: FloatArray, font: str | None = None
) -> tuple[tuple[str, ...], FloatArray]:
    """Distance of each cell (N, 35) to each character (min over its glyphs): (N, C)."""
    table = templates(font)
    raw = np.abs(cells[:, None, :] - table.vectors[None, :, :]).sum(axis=2)
    unique = tuple(dict.fromkeys(table.chars))
    index = {char: i for i, char in enumerate(unique)}
    out = np.full((cells.shape[0], len(unique)), np.inf)
    for column, char in enumerate(table.chars):
        target = index[char]
        out[:, target] = np.minimum(out[:, target], raw[:, column])
    return unique, out


def classify(
    cells: FloatArray, allowed: Iterable[str] | None = None, font: str | None = None
) -> list[CellRead]:
    """Read each cell (N, 35) among ``allowed`` characters (all when None) of ``font``."""
    chars, distances = char_distances(cells, font)
    if allowed is not None:
        keep = [i for i, c in enumerate(chars) if c in set(allowed)]
        chars = tuple(chars[i] for i in keep)
        distances = distances[:, keep]
    order = np.argsort(distances, axis=1)
    reads = []
    for row, ranks in zip(distances, order, strict=True):
        best, second = int(ranks[0]), int(ranks[1])
        reads.append(CellRead(chars[best], float(row[best]), chars[second], float(row[second])))
    return reads


__all__ = [
    "CERTAIN_MARGIN",
    "COLS",
    "DIGITS",
    "ROWS",
    "CellRead",
    "Templates",
    "WordMatch",
    "char_distances",
    "classify",
    "detect_font",
    "spot_word",
    "spot_words",
    "template_fonts",
    "templates",
    "unfamiliar_digits",
    "use_template_fonts",
]


#: Fewest title letters for :func:`unfamiliar_digits` to compare with.
MIN_LETTERS = 3


def unfamiliar_digits(
    digit_costs: FloatArray, title: Sequence[CellRead], excess: float = SETTINGS.digit_fit_excess
) -> bool:
    """Whether a value's digits fit the templates far worse than the title's letters.

    ``digit_costs`` (N, 10): each digit cell's distance to each digit [dots]. On one
    panel, blur, glare and contrast degrade letters and digits alike; a digit cell whose
    nearest digit is ``excess`` dots worse than the title letters' median fit is drawn
    in a design the templates do not know (a held-out font: its nearest digit can be
    the wrong one with a wide margin). False without enough letters to compare.
    """
    letters = [cell.distance for cell in title if cell.char.isalpha()]
    if len(letters) < MIN_LETTERS or not len(digit_costs):
        return False
    return float(digit_costs.min(axis=1).max()) - float(np.median(letters)) > excess


#: The glyph set must explain the cells this much better [dots, whole panel] to be chosen.
FONT_MARGIN = 4.0


def detect_font(cells: FloatArray) -> str | None:
    """The glyph set that best explains a panel's cells (N, 35), or None if unclear.

    A meter has one character ROM: knowing it removes cross-set confusions (the
    alternative set's 8 is 3 dots from its 3, 6 and 9; the HD44780 digits are >= 6 dots
    apart).
    """
    totals = {
        name: float(char_distances(cells, name)[1].min(axis=1).sum()) for name in _ACTIVE_FONTS[0]
    }
    if len(totals) < 2:
        return None
    ranked = sorted(totals, key=totals.__getitem__)
    if totals[ranked[1]] - totals[ranked[0]] >= FONT_MARGIN:
        return ranked[0]
    return None


@dataclass(frozen=True)
class WordMatch:
    """Where ``word`` fits a line of cells best: start cell and mean cost [dots/char]."""

    word: str
    start: int
    cost: float


def spot_word(
    cells: FloatArray,
    word: str,
    equivalents: dict[str, str] | None = None,
    font: str | None = None,
) -> WordMatch:
    """Best placement of ``word`` on a line of cells (N, 35), by summed template distance.

    Keyword spotting on the cell lattice: robust where one letter of a title is misread,
    since every other letter still votes. Whole words only: the cells just before and
    after must be blank (so "DATE" is not found in "CONSOMMATEUR"). ``equivalents`` maps
    a letter to look-alikes whose glyphs count as that letter (e.g. ``{"O": "0"}``: the
    alternative ROM draws 0 like O).
    """
    return spot_words(cells, (word,), equivalents, font)[0]


def spot_words(
    cells: FloatArray,
    words: Sequence[str],
    equivalents: dict[str, str] | None = None,
    font: str | None = None,
) -> list[WordMatch]:
    """:func:`spot_word` for each of ``words``, the cell distances computed once."""
    chars, distances = char_distances(cells, font)
    index = {c: i for i, c in enumerate(chars)}
    table = equivalents or {}
    # a neighbour counts as "not blank" by how much better it fits a letter or a digit
    # than a blank: a noise cell (previous screen's residue, dust) fits neither well
    alnum = [i for i, c in enumerate(chars) if c.isalnum()]
    space = np.maximum(distances[:, index[" "]] - distances[:, alnum].min(axis=1), 0.0)
    count = cells.shape[0]
    found = []
    for word in words:
        columns = []
        for letter in word:
            options = [index[c] for c in letter + table.get(letter, "") if c in index]
            columns.append(distances[:, options].min(axis=1))
        best = WordMatch(word, 0, float("inf"))
        for start in range(0, count - len(word) + 1):
            costs = [columns[i][start + i] for i in range(len(word))]
            # a whole word: blank cells (or the line's ends) on both sides
            if start > 0:
                costs.append(space[start - 1])
            if start + len(word) < count:
                costs.append(space[start + len(word)])
            cost = float(np.mean(costs))
            if cost < best.cost:
                best = WordMatch(word, start, cost)
        found.append(best)
    return found
