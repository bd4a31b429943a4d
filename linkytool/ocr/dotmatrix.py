"""Nearest-template classifier for 5×7 dot-matrix LCD cells (pure numpy).

tesseract reads separate LCD dots badly (see docs/ocr.md), so each character cell is
read here: the reader samples the darkness of the 35 dot centres of a cell, scaled to
[0, 1] (0 = background, 1 = dot on), and this module compares that vector with every
glyph of the template glyph sets (of :mod:`linkytool.ocr.font5x7`; which ones:
``Settings.fonts``, or :func:`use_template_fonts` for a leave-one-font-out benchmark). A
character has one prototype per distinct glyph of those sets (both 7-row windows of a
5×8 glyph, and the glyph moved by one dot in its cell at ``Settings.shift_cost``). The
distance is the sum of absolute differences [dots] (a dot sampled half on counts half),
each glyph row allowed to match one column off at ``Settings.row_shift_cost``: a set
the templates do not hold still fits its own characters. The gap between the best and
the second-best character is the cell's margin, from which the confidence derives.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
import numpy.typing as npt

from linkytool.ocr.font5x7 import COLS, FONTS, ROWS, glyph_bits
from linkytool.ocr.settings import SETTINGS
from linkytool.ocr.structure import (
    DIGIT_SHAPES,
    admitted,
    broken_spines,
    shape_ruled_out,
    speckled,
)

FloatArray = npt.NDArray[np.float64]

#: Characters a value can hold, per field grammar (see :mod:`linkytool.ocr.grammar`).
DIGITS = "0123456789"
#: Margin [dots] at which a cell counts as certain (a full dot of difference).
CERTAIN_MARGIN = 2.0


@dataclass(frozen=True)
class Templates:
    """Glyph vectors: ``chars[i]`` is drawn by ``vectors[i]`` (35 floats, 1 = dot on), at
    an extra cost of ``penalties[i]`` [dots] (a glyph moved by one dot in its cell)."""

    chars: tuple[str, ...]
    vectors: FloatArray
    penalties: FloatArray

    @cached_property
    def row_ids(self) -> npt.NDArray[np.intp]:
        """Row pattern (of :data:`ROW_PATTERNS`) of each template row: (T, 7)."""
        weights = 1 << np.arange(COLS - 1, -1, -1)
        ids: npt.NDArray[np.intp] = (
            self.vectors.reshape(-1, ROWS, COLS).astype(np.intp) * weights
        ).sum(axis=2)
        return ids

    @cached_property
    def unique(self) -> tuple[str, ...]:
        """The characters, each once, in template order."""
        return tuple(dict.fromkeys(self.chars))

    @cached_property
    def starts(self) -> npt.NDArray[np.intp]:
        """Index of each character's first template (the templates are grouped by
        character)."""
        return np.array([self.chars.index(char) for char in self.unique], dtype=np.intp)


#: A set of glyph set names (see :func:`detect_fonts`); None: every template set.
FontSet = tuple[str, ...]

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
    drawn with a glyph set are read by a classifier that never saw that set (nor does
    the font detection: it chooses among the same sets).
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


def _font_set(font: str | FontSet | None) -> FontSet:
    """The glyph sets named by ``font`` (one name, several, or None: every template set)."""
    if font is None:
        return _ACTIVE_FONTS[0]
    wanted = (font,) if isinstance(font, str) else tuple(font)
    if not wanted or any(name not in FONTS for name in wanted):
        raise ValueError(f"unknown or no glyph sets: {wanted!r}")
    return wanted


def templates(font: str | FontSet | None = None, *, designs: bool = False) -> Templates:
    """Every glyph of glyph set(s) ``font`` (of every template set when None: a
    character then has several glyphs), each also moved by one dot where it fits;
    ``designs``: with the digit designs the sets suggest (:func:`stretched`,
    :data:`DIGIT_AS_LETTER`), for reading digits only: they fit noise too well to judge
    whether a panel is a dot-matrix LCD (a plain-font screen's blurred text)."""
    off = np.inf
    return _templates(
        _font_set(font),
        SETTINGS.shift_cost,
        SETTINGS.stretch_cost if designs else off,
        SETTINGS.alias_cost if designs else off,
    )


def cell_windows(bits: npt.NDArray[np.bool_]) -> list[npt.NDArray[np.bool_]]:
    """The 7-row windows a cell sampled on 7 rows may show of a glyph of 7 or 8 rows.

    The grid of a 5×8 panel may land on the top 7 rows or the bottom 7 of a cell; a
    window is kept when the row it leaves out is unlit (the underline row, an X11
    glyph's blank top row); a glyph lit on both is cut at its 7 top rows.
    """
    if bits.shape[0] <= ROWS:
        return [bits]
    kept = [
        bits[start : start + ROWS]
        for start in range(bits.shape[0] - ROWS + 1)
        if not np.delete(bits, np.s_[start : start + ROWS], axis=0).any()
    ]
    return kept or [bits[:ROWS]]


#: One-dot moves of a glyph inside its cell: (rows, columns) down/right positive.
SHIFTS: tuple[tuple[int, int], ...] = ((1, 0), (-1, 0), (0, 1), (0, -1))


def shifted(bits: npt.NDArray[np.bool_]) -> list[npt.NDArray[np.bool_]]:
    """``bits`` moved by one dot each way where no lit dot leaves the cell.

    A glyph set may sit its glyphs one column left (the X11 fonts' 4-dot glyphs) or one
    row lower (a 5×8 design) than another; a cell's grid may also land a dot off.
    """
    moves = []
    for rows, cols in SHIFTS:
        edge = bits[-1 if rows > 0 else 0] if rows else bits[:, -1 if cols > 0 else 0]
        if edge.any():
            continue
        moves.append(np.roll(bits, (rows, cols), axis=(0, 1)))
    return moves


#: The design box [rows, columns] of a narrow glyph set (the X11 5x7 and 5x8 digits:
#: 4 dots wide, 6 high) whose digits :func:`stretched` redraws on the full matrix.
NARROW_BOX = (ROWS - 1, COLS - 1)


def design_box(font: str) -> tuple[slice, slice] | None:
    """Rows and columns of the box holding every digit of ``font`` when it is a
    :data:`NARROW_BOX` design (None otherwise: the digits already fill the 5×7 matrix)."""
    union = np.zeros_like(glyph_bits("0", font))
    for digit in DIGITS:
        union |= glyph_bits(digit, font)
    rows, cols = np.flatnonzero(union.any(axis=1)), np.flatnonzero(union.any(axis=0))
    if (rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) != NARROW_BOX:
        return None
    return slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)


def stretched(bits: npt.NDArray[np.bool_], box: tuple[slice, slice]) -> list[npt.NDArray[np.bool_]]:
    """A narrow design (``box``: 4 columns × 6 rows) drawn on the full 5×7 matrix, each
    way one column and one row can be repeated.

    Dot-matrix digit designs come in two sizes: 5×7 (HD44780-style ROMs) and 4×6 (the X11
    fonts). The same design scaled up keeps its strokes: the X11 4 stretched is 2 dots
    from the HD44780 4 (8 from any 5×7 template), its flat-topped 3 is the HD44780 3
    (which no round 3 resembles): a 5×7 ROM the templates do not hold still finds its
    design among the narrow sets' (leave-one-font-out, ``bench/ocr_accuracy.py``).
    """
    core = bits[box]
    out = []
    for col in range(core.shape[1]):
        wide = np.insert(core, col, core[:, col], axis=1)
        for row in range(core.shape[0]):
            out.append(np.insert(wide, row, wide[row], axis=0))
    return out


#: Digits many ROMs draw like a letter of the same set: the alternative ROM's 0 is its
#: O (HD44780 slashes its 0). A cell reads as that digit at ``Settings.alias_cost``.
DIGIT_AS_LETTER = {"0": "O"}
#: Marks whose glyph may also sit one dot off in its cell, as letters and digits do: a
#: colon is two stacked pairs of dots whatever row it starts on (the X11 5x8 colon, its
#: top 7 rows sampled, lies one row lower than every other set's: it read "." and the
#: time "14.55" was lost, leave-one-font-out tuning seed 12421). Not "/" or ".": moved a
#: dot, they fit a blurred digit's stroke.
MOVABLE_MARKS = ":"


def _placements(
    char: str, font_name: str, shift_cost: float, stretch_cost: float, alias_cost: float
) -> Iterator[tuple[npt.NDArray[np.bool_], float]]:
    """Every (7-row dot matrix, extra cost [dots]) prototype of ``char`` in ``font_name``."""
    for window in cell_windows(glyph_bits(char, font_name)):
        yield window, 0.0
        # letters, digits and a colon only: another mark moved a dot (a "/" one row
        # lower) fits a blurred digit's stroke
        if char.isalnum() or char in MOVABLE_MARKS:
            for moved in shifted(window):
                yield moved, shift_cost
    box = design_box(font_name) if char in DIGITS else None
    if box is not None:
        for bits in stretched(glyph_bits(char, font_name), box):
            yield bits, stretch_cost
    letter = DIGIT_AS_LETTER.get(char)
    if letter is not None and letter in FONTS[font_name]:
        for window in cell_windows(glyph_bits(letter, font_name)):
            yield window, alias_cost


@lru_cache(maxsize=32)
def _templates(
    fonts: FontSet, shift_cost: float, stretch_cost: float, alias_cost: float
) -> Templates:
    found: dict[tuple[str, bytes], tuple[FloatArray, float]] = {}
    for font_name in fonts:
        for char in FONTS[font_name]:
            for bits, penalty in _placements(char, font_name, shift_cost, stretch_cost, alias_cost):
                vector = bits.astype(np.float64).reshape(-1)
                key = (char, vector.tobytes())
                # the same glyph drawn in place by another set: no move penalty
                if key not in found or penalty < found[key][1]:
                    found[key] = (vector, penalty)
    order = {char: rank for rank, char in enumerate(dict.fromkeys(c for c, _ in found))}
    keys = sorted(found, key=lambda key: order[key[0]])  # stable: each character's glyphs together
    return Templates(
        tuple(char for char, _ in keys),
        np.stack([found[key][0] for key in keys]),
        np.array([found[key][1] for key in keys]),
    )


#: Every row a 5-dot wide glyph can have: pattern ``p`` lights column ``c`` when bit
#: ``4 - c`` of ``p`` is set.
ROW_PATTERNS = np.array([[(p >> (COLS - 1 - c)) & 1 for c in range(COLS)] for p in range(32)])
#: The pattern of each row moved one column right / left (itself where a lit dot
#: would leave the cell).
_RIGHT = np.array([p >> 1 if p & 1 == 0 else p for p in range(32)])
_LEFT = np.array([(p << 1) & 31 if p & 16 == 0 else p for p in range(32)])


def _pattern_distances(cells: FloatArray) -> FloatArray:
    """L1 distance of each cell row (N, 35 -> 7 rows) to each row pattern: (N, 7, 32),
    float64, the same bits as ``|rows - ROW_PATTERNS|`` summed over the 5 columns.

    A pattern's distance is its columns' terms (``|x|`` unlit, ``|x - 1|`` lit) added left
    to right, as numpy sums 5 terms: the 32 patterns are built column by column from the
    prefixes they share (2 + 4 + ... + 32 additions a row instead of 32 x 5 terms).
    Pattern ``p`` lights column ``c`` when bit ``4 - c`` is set, so appending a column's
    term to prefix ``q`` gives pattern ``2q`` (unlit) or ``2q + 1`` (lit).
    """
    count = cells.shape[0]
    values = np.asarray(cells, dtype=np.float64).reshape(count, ROWS, COLS)
    unlit = np.abs(values)
    lit = np.abs(values - 1.0)
    sums = np.stack([unlit[:, :, 0], lit[:, :, 0]], axis=2)
    for column in range(1, COLS):
        longer = np.empty((count, ROWS, sums.shape[2], 2))
        np.add(sums, unlit[:, :, column, None], out=longer[..., 0])
        np.add(sums, lit[:, :, column, None], out=longer[..., 1])
        sums = longer.reshape(count, ROWS, 2 * sums.shape[2])
    out: FloatArray = sums
    return out


def row_distances(cells: FloatArray, row_shift_cost: float) -> FloatArray:
    """Distance [dots] of each cell row (N, 35 -> 7 rows) to each row pattern: (N, 7, 32).

    Tolerant to a row drawn one column off: a pattern may also match moved by one dot
    at ``row_shift_cost`` (glyph sets differ by a stroke one dot left or right: the
    HD44780 7's stem, a 4's bar), on top of the L1 distance where a dot sampled half on
    counts half.
    """
    plain = _pattern_distances(cells)
    moved = np.minimum(plain[:, :, _RIGHT], plain[:, :, _LEFT]) + row_shift_cost
    out: FloatArray = np.minimum(plain, moved)
    return out


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
    cells: FloatArray,
    font: str | FontSet | None = None,
    *,
    tolerant: bool = True,
    designs: bool = False,
) -> tuple[tuple[str, ...], FloatArray]:
    """Distance of each cell (N, 35) to each character (min over its glyphs, a moved
    glyph's penalty added): (N, C) [dots]. ``tolerant=False``: rows are not matched one
    column off (title spotting: a word summed over cells would otherwise fit noise, "74L"
    spotted as TIC). ``designs``: see :func:`templates` (reading digits)."""
    table = templates(font, designs=designs)
    per_row = row_distances(cells, SETTINGS.row_shift_cost if tolerant else np.inf)
    flat = per_row.reshape(len(cells), ROWS * len(ROW_PATTERNS))
    columns = table.row_ids + np.arange(ROWS) * len(ROW_PATTERNS)  # (templates, rows)
    # each template's rows added in row order, one (cells, templates) column at a time:
    # numpy sums 7 terms in that order too (same bits), from one gather of 7 x the size
    raw = flat[:, columns[:, 0]] + flat[:, columns[:, 1]]
    for row in range(2, ROWS):
        raw += flat[:, columns[:, row]]
    raw += table.penalties
    out: FloatArray = np.minimum.reduceat(raw, table.starts, axis=1)
    return table.unique, out


def classify(
    cells: FloatArray, allowed: Iterable[str] | None = None, font: str | FontSet | None = None
) -> list[CellRead]:
    """Read each cell (N, 35) among ``allowed`` characters (all when None) of ``font``;
    among digits only, with the digit designs of :func:`templates`."""
    digits_only = allowed is not None and set(allowed) <= set(DIGITS)
    chars, distances = char_distances(cells, font, designs=digits_only)
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
    "FontSet",
    "Templates",
    "WordMatch",
    "agreed_shapes",
    "as_near_by_sure_dots",
    "blur_closable",
    "cell_windows",
    "char_distances",
    "classify",
    "clear_twin_pairs",
    "clear_twins",
    "design_gap",
    "detect_fonts",
    "digit_misfits",
    "drawn_two_ways",
    "letters_fit",
    "letters_off_template",
    "margins_among",
    "moved_distances",
    "next_digit_drawn_unlike",
    "number_digits",
    "one_design_pairs",
    "panel_drawn_off",
    "panel_margins",
    "reconsidered",
    "rom_fonts",
    "ruled_out",
    "shape_digits",
    "shape_disagrees",
    "shape_read",
    "shifted",
    "split_change",
    "spot_word",
    "spot_words",
    "sure_dot_misses",
    "sure_dots_decide",
    "template_fonts",
    "templates",
    "unfamiliar_digits",
    "unlike_cells",
    "unlike_own_digit",
    "use_template_fonts",
    "value_margin",
    "vouched_digits",
]


#: Fewest title letters for :func:`unfamiliar_digits` to compare with.
MIN_LETTERS = 3


def letters_fit(title: Sequence[CellRead]) -> float | None:
    """How well the title letters fit their characters [dots] (median), or None without
    enough letters (:data:`MIN_LETTERS`): the panel's own sharpness, blur and glare."""
    letters = [cell.distance for cell in title if cell.char.isalpha()]
    return float(np.median(letters)) if len(letters) >= MIN_LETTERS else None


def digit_misfits(digit_costs: FloatArray, title: Sequence[CellRead]) -> FloatArray | None:
    """How much worse [dots] each digit cell fits its nearest digit (``digit_costs``
    (N, 10)) than the title letters their characters (:func:`letters_fit`): (N,), or
    None without enough letters to compare (see :func:`unfamiliar_digits`)."""
    letters = letters_fit(title)
    if letters is None or not len(digit_costs):
        return None
    misfit: FloatArray = digit_costs.min(axis=1) - letters
    return misfit


def unfamiliar_digits(
    digit_costs: FloatArray,
    title: Sequence[CellRead],
    excess: float = SETTINGS.digit_fit_excess,
    slack: float = SETTINGS.unfamiliar_margin_slack,
    cap: float = SETTINGS.unfamiliar_excess_cap,
    *,
    cells: FloatArray | None = None,
    known: npt.NDArray[np.bool_] | None = None,
    drawn_off: bool = False,
    shapes: FloatArray | None = None,
) -> bool:
    """Whether a value's digits are drawn in a design the templates do not know.

    ``digit_costs`` (N, 10): each digit cell's distance to each digit [dots]. On one
    panel, blur, glare and contrast degrade letters and digits alike, so a digit cell
    whose nearest digit fits ``e`` dots worse than the title letters' median fit
    (``e > excess``) is an unfamiliar design: its nearest digit can be the wrong one
    with a wide margin (a held-out set's 5 is 3 dots from another set's 6). It is
    accepted only when its margin to the next digit exceeds that misfit by ``slack``
    (the unknown glyph's own class cannot then be the second one) and the misfit stays
    under ``cap``, or when the panel itself vouches for it (``cells`` (N, 35) given:
    :func:`vouched_digits`; the margin is then to the next digit the panel or the
    cell's shape does not rule out, :func:`panel_margins`, with ``drawn_off`` and
    ``shapes``), or when the cell's sure dots alone decide between its nearest digit and
    every runner-up that doubt fears (:func:`sure_dots_decide`: the misfit is then the
    uncertain dots'). False without enough letters to compare.
    """
    letters = letters_fit(title)
    if letters is None or not len(digit_costs):
        return False
    ordered = np.sort(digit_costs, axis=1)
    margin = (
        ordered[:, 1] - ordered[:, 0]
        if cells is None
        else panel_margins(cells, digit_costs, letters, drawn_off, shapes)
    )
    odd = _unfamiliar_cells(digit_costs, letters, margin, excess=excess, slack=slack, cap=cap)
    if known is not None:
        odd &= ~known
    if cells is not None and odd.any():
        odd &= ~sure_dots_decide(cells, digit_costs, letters, slack=slack, cap=cap)
    if cells is not None and odd.any():
        odd &= ~vouched_digits(cells, digit_costs, letters, drawn_off, shapes)
    return bool(odd.any())


def _unfamiliar_cells(
    digit_costs: FloatArray,
    letters: float,
    margin: FloatArray,
    *,
    excess: float,
    slack: float,
    cap: float,
) -> npt.NDArray[np.bool_]:
    """(N,) the digit cells of an unfamiliar design (:func:`unfamiliar_digits`' test
    before the panel vouches): a nearest digit fitting over ``excess`` dots worse than
    the title letters (``letters``), with a ``margin`` [dots] under that misfit plus
    ``slack``, or a misfit over ``cap``."""
    misfit = np.sort(digit_costs, axis=1)[:, 0] - letters  # the letters' fit taken once
    out: npt.NDArray[np.bool_] = (misfit > excess) & ((margin < misfit + slack) | (misfit > cap))
    return out


def sure_dots_decide(
    cells: FloatArray,
    digit_costs: FloatArray,
    letters: float,
    *,
    slack: float = SETTINGS.unfamiliar_margin_slack,
    cap: float = SETTINGS.unfamiliar_excess_cap,
) -> npt.NDArray[np.bool_]:
    """(N,) the digit cells (N, 35) whose sure dots alone decide between their nearest
    digit and every runner-up the unfamiliar-digits doubt fears (``digit_costs``
    (N, 10) within the misfit plus ``slack`` of the nearest, the misfit to the title
    letters ``letters`` under ``cap``): no sure dot contradicts a template of the nearest
    digit, and for every such runner-up a sure dot contradicts each of its templates
    (:func:`sure_dot_misses`). The misfit is then the uncertain dots' (a highlight or
    defocus dimming a stroke), not a drawing the templates lack."""
    ordered = np.sort(digit_costs, axis=1)
    misfit = ordered[:, 0] - letters
    nearest = np.argmin(digit_costs, axis=1)
    misses = sure_dot_misses(cells)
    rows = np.arange(len(cells))
    feared = (digit_costs - ordered[:, :1] < (misfit + slack)[:, None]) & (
        np.arange(len(DIGITS))[None, :] != nearest[:, None]
    )
    out: npt.NDArray[np.bool_] = (
        (misfit <= cap) & (misses[rows, nearest] == 0) & ~np.any(feared & (misses == 0), axis=1)
    )
    return out


def shape_digits(
    cells: FloatArray,
    fits: FloatArray,
    letters: float,
    gap: float = 0.0,
    shapes: FloatArray | None = None,
) -> npt.NDArray[np.intp]:
    """(N,) the digit each cell (N, 35) is by its shape alone, -1 for none: a cell no
    template explains (its nearest template, ``fits`` (N,) [dots] away, misfits the
    title letters' fit ``letters`` by more than ``Settings.unfamiliar_excess_cap``)
    whose every reading of its uncertain dots has the shape of one digit and no other
    (:func:`linkytool.ocr.structure.admitted`), or whose shape allows several digits,
    one of them the digit a cell of the same design (within ``gap`` [dots]) reads by
    its shape alone (:func:`_twin_shapes`). Shapes are read from ``shapes`` (N, 35)
    when given (:func:`panel_margins`), else from ``cells``."""
    out = np.full(len(cells), -1, dtype=np.intp)
    unexplained = fits - letters > SETTINGS.unfamiliar_excess_cap
    dots = cells if shapes is None else shapes
    allowed = {int(row): admitted(dots[row]) for row in np.flatnonzero(unexplained)}
    for row, digits in allowed.items():
        if len(digits) == 1:
            out[row] = DIGITS.index(next(iter(digits)))
    return _twin_shapes(cells, out, allowed, gap)


def _twin_shapes(
    cells: FloatArray, shaped: npt.NDArray[np.intp], allowed: dict[int, frozenset[str]], gap: float
) -> npt.NDArray[np.intp]:
    """``shaped`` (N,) with each cell no template explains whose shape allows several
    digits (``allowed``) read as the one digit its twins read by their shape alone: the
    cells within ``gap`` [dots] of it (one ROM draws a character one way; blur left one
    of two alike open 4s a 1's shape too, tuning seed 52711 alt normal photo 2). The
    twins must agree on one digit, and the cell's own shape must allow it."""
    out = shaped.copy()
    between = cell_distances(cells)
    for row, digits in allowed.items():
        if shaped[row] >= 0:
            continue
        twins = {int(shaped[j]) for j in np.flatnonzero((shaped >= 0) & (between[row] <= gap))}
        if len(twins) == 1 and DIGITS[next(iter(twins))] in digits:
            out[row] = next(iter(twins))
    return out


def number_digits(
    cells: FloatArray,
    line: Sequence[CellRead],
    title: Sequence[CellRead],
    font: str | FontSet | None = None,
    shapes: FloatArray | None = None,
    *,
    inside: npt.NDArray[np.bool_] | None = None,
) -> list[str | None]:
    """Per cell (N, 35) of a value's numbers (read as ``line``), the digit it reads as,
    None to keep its reading: its nearest digit when that fits within
    ``Settings.digit_bias`` of its nearest character (a blurred 0 read C, O or D), else
    the digit its shape alone reads (:func:`shape_digits`) when no character explains
    its design (its nearest misfits the ``title`` letters by more than
    ``Settings.digit_fit_excess``, in this cell or in one of the same design and shape
    within :func:`design_gap`: the alternative ROM's open 4 fits H 3 dots off, blur
    may bring one of them under, a unit's k fits its own k) and the panel agrees
    (:func:`agreed_shapes`, over the cells read as digits: an HD44780 4 elsewhere
    keeps an open 4 unread; shapes read from ``shapes`` (N, 35) when given).

    A cell ``inside`` a number (N,) bool, between cells of its token read as digits,
    needs no character's misfit: a Linky value holds no letter between its digits, so
    a letter fitting well there is a digit of a design no template holds (ocr38b, the
    alternative ROM's open 4 blurred within ``digit_fit_excess`` of its H: a PRM or an
    index left a layout guess). Its shape must still read one digit, the panel
    agreeing, as for any cell read by its shape."""
    digits = classify(cells, DIGITS, font)
    fits = np.array([digit.distance for digit in digits])
    best = np.array([cell.distance for cell in line])
    nearest = np.array([DIGITS.index(digit.char) for digit in digits], dtype=np.intp)
    as_digit = fits <= best + SETTINGS.digit_bias
    shaped = np.full(len(cells), -1, dtype=np.intp)
    letters = letters_fit(title)
    if letters is not None:
        gap = design_gap(cells[as_digit], nearest[as_digit])  # the template digits' noise
        dots = cells if shapes is None else shapes
        shaped[~as_digit] = shape_digits(
            cells[~as_digit], fits[~as_digit], letters, gap, dots[~as_digit]
        )
        members = as_digit | (shaped >= 0)
        sub, read = cells[members], np.where(shaped >= 0, shaped, nearest)[members]
        alike = (read[:, None] == read[None, :]) & (cell_distances(sub) <= design_gap(sub, read))
        # the twin is itself read by its shape: a template digit (a k read 4) vouches nothing
        misfit = best > letters + SETTINGS.digit_fit_excess
        if inside is not None:
            misfit |= inside
        unexplained = (misfit & (shaped >= 0))[members]
        kept = shaped[members]
        kept[~(alike & unexplained[None, :]).any(axis=1)] = -1
        shaped[members] = kept
        members = as_digit | (shaped >= 0)
        shaped[members] = agreed_shapes(cells[members], shaped[members], nearest[members])
    return [
        DIGITS[digit] if plain else DIGITS[shape] if shape >= 0 else None
        for digit, plain, shape in zip(nearest, as_digit, shaped, strict=True)
    ]


def agreed_shapes(
    cells: FloatArray, shaped: npt.NDArray[np.intp], nearest: npt.NDArray[np.intp]
) -> npt.NDArray[np.intp]:
    """(N,) the shape readings ``shaped`` (N,) of digit cells (N, 35) (-1: none; the
    others read as ``nearest`` (N,)), kept only where the panel agrees: one ROM draws
    a digit one way, so every cell read as that digit lies within :func:`design_gap`
    of it and every cell read as another digit beyond (:func:`_one_to_one`)."""
    if not (shaped >= 0).any():
        return shaped
    read = np.where(shaped >= 0, shaped, nearest)
    one_design = cell_distances(cells) <= design_gap(cells, read)
    agree = _one_to_one(read[:, None] == read[None, :], one_design)
    return np.where(agree, shaped, -1)


#: The digits every shape of which encloses a hole (:data:`~linkytool.ocr.structure.
#: DIGIT_SHAPES`): 0, 6, 8 and 9. Blur closes loops, so off a sharp panel a cell's hole
#: may be blur's, and its shape reads none of them (:func:`reconsidered`).
HOLED_DIGITS = "".join(d for d, allowed in DIGIT_SHAPES.items() if "" not in allowed.holes)
HOLED_INDEXES = np.array([DIGITS.index(d) for d in HOLED_DIGITS], dtype=np.intp)


def shape_read(
    cells: FloatArray, digit_costs: FloatArray, letters: float, shapes: FloatArray | None = None
) -> npt.NDArray[np.intp]:
    """(N,) the digit the shape reads for digit cells (N, 35) no template explains
    (:func:`shape_digits`), -1 for none, kept only where the panel agrees
    (:func:`agreed_shapes`; the other cells read as their nearest digit of
    ``digit_costs`` (N, 10))."""
    fits, nearest = digit_costs.min(axis=1), np.argmin(digit_costs, axis=1)
    familiar = fits - letters <= SETTINGS.unfamiliar_excess_cap
    gap = design_gap(cells[familiar], nearest[familiar])  # the template digits' noise
    return agreed_shapes(cells, shape_digits(cells, fits, letters, gap, shapes), nearest)


def reconsidered(
    cells: FloatArray,
    digit_costs: FloatArray,
    title: Sequence[CellRead],
    drawn_off: bool = False,
    shapes: FloatArray | None = None,
    *,
    sharp: bool = True,
) -> tuple[FloatArray, bool]:
    """The distances [dots] of digit cells (N, 35) to each digit (``digit_costs``
    (N, 10)) once the panel has spoken, and whether the digits are of a design the
    templates do not hold (:func:`unfamiliar_digits`).

    A cell no template explains whose shape is one digit's, on a panel that agrees, is
    that digit (:func:`shape_read`: its other digits cost ``Settings.unlike_cost``
    more) and no unfamiliar design, unless a dot of it (or of its pooled ``shapes``)
    is a speck (:func:`~linkytool.ocr.structure.speckled`: then the digits are
    unfamiliar, the costs unchanged). Only for unfamiliar digits (never confident): two
    cells that look unlike do not share a digit (:func:`unlike_cells`). A margin may be
    infinite: every other digit ruled out (:func:`panel_margins`, ``drawn_off``:
    :func:`panel_drawn_off`; ``shapes``: the dots the shapes are read from).

    Nor does a shape that is a hole's answer the doubt off a ``sharp`` panel
    (:attr:`~linkytool.ocr.panel.PanelRead.sharp`): blur closes loops
    (:func:`blur_closable`), so a blurred 3 or 5 whose lower side blur closed has a 6's
    shape (:data:`HOLED_DIGITS`; the value is read the same, to confirm). ocr37h's
    adversarial PRMs (seed 139601, camera model, X11 5x8 held out, normal photo 2):
    ``35355355335535`` read ``66666666666666`` confidently, every cell smeared past
    every template and read a 6 by its shape, the panel agreeing with itself.
    """
    letters = letters_fit(title)
    if letters is not None and len(digit_costs):
        shaped = shape_read(cells, digit_costs, letters, shapes)
        other = (shaped[:, None] >= 0) & (np.arange(len(DIGITS))[None, :] != shaped[:, None])
        digit_costs = digit_costs + SETTINGS.unlike_cost * other
    else:
        shaped = np.full(len(digit_costs), -1, dtype=np.intp)
    known = (shaped >= 0) & (np.argmin(digit_costs, axis=1) == shaped)
    if not unfamiliar_digits(
        digit_costs, title, cells=cells, known=known, drawn_off=drawn_off, shapes=shapes
    ):
        # a shape read through a speck (structure.speckled) answers no doubt: the value
        # is read the same, to confirm
        specks = speckled(cells if shapes is None else shapes) | speckled(cells)
        # a hole blur may have closed answers no doubt either
        closed = np.isin(shaped, HOLED_INDEXES) & (not sharp)
        return digit_costs, bool((known & (specks | closed)).any())
    misfit = digit_misfits(digit_costs, title)
    out = digit_costs
    if misfit is not None:
        odd = (misfit > SETTINGS.digit_fit_excess) & ~known
        out = out + SETTINGS.unlike_cost * unlike_cells(cells, out, odd)
    return out, True


def cell_distances(cells: FloatArray) -> FloatArray:
    """(N, N) distances [dots] between every two cells (N, 35) of one panel."""
    out: FloatArray = np.abs(cells[:, None, :] - cells[None, :, :]).sum(axis=2)
    return out


def drawn_two_ways(cells: FloatArray, digits: str) -> bool:
    """Whether two of a value's digit cells (N, 35) read as the same digit (``digits``,
    N characters) are two designs: one ROM draws a digit one way, so one of them is
    another digit whatever its margin. Two tests, each at the two cells' best alignment
    within a dot (a wide panel's two lines can be sampled a row apart within their
    cells: held-out seed 87901, X11 wide normal photo 26, the date's 1s and 0s 8 dots
    apart unmoved, one row off):

    - they lie more than ``Settings.unlike_distance`` [dots] apart
      (:func:`moved_distances`). A variant ROM's dead dot can make a cell one dot from
      another set's design of another digit (held-out seed 149702, X11 5x8 wide hard
      photo 20: the month's 8, its lower loop's left dot dead, read as Spleen's 3
      beside the time's X11 3, 6.5 dots apart: ``24/08/2027`` read ``24/03/2027``
      confidently, ocr46a);
    - or their ink moved (:func:`ink_moved`): a dot clearly lit in one is clearly dark
      in the other and another dot the other way round. Blur greys dots; a shade or a
      highlight dims or lights part of a cell one way. X11 draws its 3 and 5 two dots
      apart: stop 46's sweep seed 87911, wide hard photo 46 (both X11 sets held out,
      the variant ROM's 3 with its middle row's left dot lit) read ``153110`` as
      ``155110`` confidently, the 3 and the 5 only 4.4 dots apart (the panel's blur
      puts its 1s 2.5 apart), the 5's top-left dot dark in the 3 and the 3's top-right
      dot dark in the 5;
    - or their change is split by ink they share (:func:`split_change`): two dots
      clearly changed, even all one way, on one row or column with a dot clearly lit
      in both between them, which no shade explains (``Settings.unlike_split_change``).
      Stop 52's report seed 88231, X11 5x8 (held out) wide hard photo 6, a variant
      ROM's 5 with its lower loop closed (the dot left of its bowl lit): the PRM
      ``33189899364054`` read ``...364064`` confidently, that 5 a 6 beside the panel's
      own hooked 6, 2.65 dots apart, the 5's flat top lit at both ends where the 6's
      top is dark, its middle lit in both (``tests/ocr/test_two_designs_one_way.py``).
    """
    if len(cells) < 2:
        return False
    settings = SETTINGS
    same = np.array([[a == b for b in digits] for a in digits], dtype=np.bool_)
    unlike = (moved_distances(cells) > settings.unlike_distance) | (
        ink_moved(cells) >= settings.unlike_moved_dots
    )
    if settings.unlike_split_change:
        unlike |= split_change(cells)
    return bool(np.any(same & unlike))


def _moves(cells: FloatArray) -> Iterator[FloatArray]:
    """Every cell (N, 35) moved by up to one dot each way (nine moves, unmoved among
    them), as (N, 35): a dot moved out of the cell is lost, one moved in is dark."""
    grids = cells.reshape(len(cells), ROWS, COLS)
    padded = np.pad(grids, ((0, 0), (1, 1), (1, 1)))
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            yield padded[:, dy : dy + ROWS, dx : dx + COLS].reshape(len(cells), -1)


def moved_distances(cells: FloatArray) -> FloatArray:
    """(N, N) distances [dots] between every two cells (N, 35), the second moved by up
    to one dot each way (the least over the nine moves; dots moved out of the cell
    count as missing from it)."""
    best = np.full((len(cells), len(cells)), np.inf)
    for moved in _moves(cells):
        lost = cells.sum(axis=1) - moved.sum(axis=1)
        between = np.abs(cells[:, None, :] - moved[None, :, :]).sum(axis=2) + lost[None, :]
        best = np.minimum(best, between)
    out: FloatArray = np.minimum(best, best.T)
    return out


def ink_moved(cells: FloatArray) -> npt.NDArray[np.int_]:
    """(N, N) for every two cells (N, 35), how many dots their ink moved: the fewer of
    the dots clearly lit (at least ``Settings.crisp_lit``) in the first and clearly dark
    (at most ``Settings.crisp_dark``) in the second, and the other way round, the
    second moved by up to one dot each way (the fewest over the nine moves). A shade or
    a highlight over part of a cell dims or lights its dots one way only; another
    design moves ink both ways."""
    settings = SETTINGS
    lit, dark = cells >= settings.crisp_lit, cells <= settings.crisp_dark
    best = np.full((len(cells), len(cells)), np.iinfo(np.int_).max)
    for moved in _moves(cells):
        lost = (lit[:, None, :] & (moved <= settings.crisp_dark)[None, :, :]).sum(axis=2)
        gained = (dark[:, None, :] & (moved >= settings.crisp_lit)[None, :, :]).sum(axis=2)
        best = np.minimum(best, np.minimum(lost, gained))
    out: npt.NDArray[np.int_] = np.minimum(best, best.T)
    return out


def split_change(cells: FloatArray) -> npt.NDArray[np.bool_]:
    """(N, N) for every two cells (N, 35), whether the dots clearly lit (``Settings.
    crisp_lit``) in one and clearly dark (``Settings.crisp_dark``) in the other, either
    way, at their best alignment within a dot (the fewest such dots over the nine
    moves; at every such alignment), include two on one row or one column of the cell
    with a dot clearly lit in both between them. A shade or a highlight dims a cell's
    dots one way (:func:`ink_moved` forgives it), but over an area: it could not dim
    two dots and leave the lit dot between them as it was. Two such dots are the
    glyph's own."""
    settings = SETTINGS
    lit, dark = cells >= settings.crisp_lit, cells <= settings.crisp_dark
    moves = np.stack(list(_moves(cells)))[:, None, :, :]  # (9, 1, N, 35): the second cell
    changed = (lit[:, None, :] & (moves <= settings.crisp_dark)) | (
        dark[:, None, :] & (moves >= settings.crisp_lit)
    )
    count = changed.sum(axis=3)  # (9, N, N)
    here = _split_by_shared(changed, lit[:, None, :] & (moves >= settings.crisp_lit))
    split = np.all(here | (count > count.min(axis=0)), axis=0)
    out: npt.NDArray[np.bool_] = split & split.T
    return out


def _split_by_shared(
    changed: npt.NDArray[np.bool_], shared: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """(...) whether two ``changed`` dots (..., 35) lie on one row or one column of the
    cell with a ``shared`` dot (..., 35: crisp and lit in both cells) between them."""
    grid_changed = changed.reshape(*changed.shape[:-1], ROWS, COLS)
    grid_shared = shared.reshape(*shared.shape[:-1], ROWS, COLS)
    out = np.zeros(changed.shape[:-1], dtype=np.bool_)
    for axis in (-2, -1):
        before = np.logical_or.accumulate(grid_changed, axis=axis)
        after = np.flip(
            np.logical_or.accumulate(np.flip(grid_changed, axis=axis), axis=axis), axis=axis
        )
        out |= (grid_shared & before & after).any(axis=(-2, -1))
    return out


def _one_to_one(
    same: npt.NDArray[np.bool_], one_design: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """(N,) the cells whose digit and design match one to one: every cell read as the
    same digit (``same`` (N, N)) is of the same design (``one_design`` (N, N)), and
    every cell of that design reads that digit."""
    mismatched = (same & ~one_design) | (~same & one_design)
    return np.asarray(~mismatched.any(axis=1), dtype=np.bool_)


def vouched_digits(
    cells: FloatArray,
    digit_costs: FloatArray,
    letters: float,
    drawn_off: bool = False,
    shapes: FloatArray | None = None,
) -> npt.NDArray[np.bool_]:
    """(N,) the digit cells (N, 35) whose nearest digit (``digit_costs`` (N, 10)
    [dots]) the panel itself vouches for, though they may fit it worse (their misfit)
    than the title letters fit theirs (``letters`` [dots], :func:`letters_fit`).

    One panel has one ROM: it draws each digit one way, so the cells of one digit are
    near-identical and those of two digits are not. A cell is vouched for when another
    cell reads the same digit (a design drawn twice alike: not noise, which does not
    repeat) and explains it clearly better than any other digit's cell
    (:func:`clear_twins`: a shade over two cells is noise that repeats), every cell
    read as its digit is of its design and every cell read as another digit is not
    (:func:`one_design_pairs`: within :func:`design_gap`, at most
    ``Settings.unlike_distance`` dots, and no ink moved; the panel's digits fall
    into clusters mapping one to one onto distinct digits: no digit split over two
    designs, no design read as two digits), its margin reaches
    ``Settings.confident_margin`` and its design's misfit (that of the best-drawn cell
    of it: noise on one drawing is no other design; ocrW's tuning seed 139004, tailed
    normal photo 48, four alike tailed 1s, one of them 4.6 dots off) stays under
    ``Settings.unfamiliar_excess_cap``. The margin is the one the policy judges
    (:func:`panel_margins`: against the digits neither the panel nor the cell's shape
    rules out), not the raw one: a tailed 1 drawn three times alike, 0.5 dot from a 4
    that the panel's own 4, drawn otherwise, rules out, is vouched for (tuning seed
    5318; HD44780's slashed 0 and its 8 likewise). A digit drawn
    once is never vouched for (a lone unknown design may be nearer another digit: the
    tailed 5 and a 6), nor is a digit by the value's grammar.

    Nor is a cell whose own shape rules out its nearest digit
    (:func:`shape_contradicts`; read from ``shapes`` when given, one dot switched on a
    ``drawn_off`` panel): a twin proves a design drawn twice, not which digit it is,
    and a cell no reading of whose uncertain dots has that digit's shape is another
    glyph the blur brought near the twin. ocr38a's variant probe (alt's 3 with the dot
    left of its middle bar lit, alt held out, hard, seed 141053, photo 20): the index
    ``638`` read ``688`` confidently; the 3, its middle bar three dots wide, fit the
    8 template 2.45 dots worse than the title letters (no template held its design), its
    left column surely dark beside both loops (a 2's or a 3's shape only), and lay
    within the design gap of the panel's blurred 8, its "twin".
    """
    settings = SETTINGS
    ordered = np.sort(digit_costs, axis=1)
    nearest = np.argmin(digit_costs, axis=1)
    between = cell_distances(cells)
    one_design = one_design_pairs(cells, nearest)
    same = nearest[:, None] == nearest[None, :]
    one_to_one = _one_to_one(same, one_design)
    margin = panel_margins(cells, digit_costs, letters, drawn_off, shapes)
    misfit = design_misfits(ordered[:, 0] - letters, same & one_design)
    out: npt.NDArray[np.bool_] = (
        one_to_one
        & clear_twins(between, same)
        & ~unlike_own_digit(cells if shapes is None else shapes, digit_costs, drawn_off)
        & (margin >= settings.confident_margin)
        & (misfit <= settings.unfamiliar_excess_cap)
    )
    return out


def unlike_own_digit(
    dots: FloatArray, digit_costs: FloatArray, drawn_off: bool = False
) -> npt.NDArray[np.bool_]:
    """(N,) the digit cells (their dots (N, 35)) whose shape rules out their own nearest
    digit (``digit_costs`` (N, 10)) in every reading of their uncertain dots (with any
    one dot switched when ``drawn_off``): :func:`shape_contradicts` of
    :func:`~linkytool.ocr.structure.shape_ruled_out`. No twin vouches for them
    (:func:`vouched_digits`)."""
    return shape_contradicts(shape_ruled_out(dots, None, drawn_off), digit_costs)


def clear_twins(between: FloatArray, same: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """(N,) the digit cells with a clear twin: another cell read as the same digit
    (``same`` (N, N)) nearer to it (``between`` (N, N) [dots], :func:`cell_distances`)
    than every cell read as another digit, by ``Settings.confident_margin``. A twin
    proves a design drawn twice alike only when it explains the cell better than the
    panel's drawing of any other digit: a shade or a reflection over part of the value
    dims its cells alike whatever their digit. Tuning seed 140204 (ocr37n), tailed
    camera hard photo 10: the first two cells of ``35460450294420``, a 3 and a 5 under
    one shade (their middle rows dark), both read 3, 5.7 dots apart, within the design
    gap (6.0): vouched for, the PRM was read ``33460450294420`` confidently; the 5 lay
    6.5 dots from the panel's own 5. A cell drawn once has no twin."""
    out: npt.NDArray[np.bool_] = np.any(clear_twin_pairs(between, same), axis=1)
    return out


def clear_twin_pairs(between: FloatArray, same: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """(N, N) the pairs (cell, twin) of :func:`clear_twins`: another cell read as the
    same digit (``same`` (N, N)) nearer to the cell (``between`` (N, N) [dots]) than
    every cell read as another digit, by ``Settings.confident_margin``."""
    other = np.where(same, np.inf, between).min(axis=1)
    pairs = same & ~np.eye(len(same), dtype=np.bool_)
    out: npt.NDArray[np.bool_] = pairs & (between + SETTINGS.confident_margin <= other[:, None])
    return out


def design_misfits(misfit: FloatArray, one_glyph: npt.NDArray[np.bool_]) -> FloatArray:
    """(N,) each cell's design's misfit [dots]: the smallest ``misfit`` (N,) of the
    cells drawing the same glyph as it (``one_glyph`` (N, N), itself included). One ROM
    draws a digit one way: noise on one drawing of it is no other design."""
    out: FloatArray = np.where(one_glyph, misfit[None, :], np.inf).min(axis=1)
    return out


def design_gap(cells: FloatArray, nearest: npt.NDArray[np.intp]) -> float:
    """Distance [dots] beyond which two digit cells (N, 35) of one panel are two
    designs: ``Settings.design_noise_factor`` times the farthest apart two cells read
    as one digit (``nearest`` (N,)) lie within ``Settings.unlike_distance`` (the
    panel's own noise: blur, glare and sampling move one design's cells this much),
    at least ``Settings.design_gap_floor`` and at most ``unlike_distance``;
    ``unlike_distance`` when no digit repeats."""
    settings = SETTINGS
    between = cell_distances(cells)
    pairs = np.triu(nearest[:, None] == nearest[None, :], k=1)
    repeats = between[pairs & (between <= settings.unlike_distance)]
    if not len(repeats):
        return settings.unlike_distance
    noise = settings.design_noise_factor * float(repeats.max())
    return min(settings.unlike_distance, max(settings.design_gap_floor, noise))


def one_design_pairs(cells: FloatArray, nearest: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
    """(N, N) the pairs of digit cells (N, 35) of one design: within :func:`design_gap`
    of each other (``nearest`` (N,): each cell's nearest digit) and their ink not moved
    (:func:`ink_moved` under ``Settings.unlike_moved_dots``: a dot clearly lit in one
    and clearly dark in the other and another dot the other way round is another
    design, as :func:`drawn_two_ways` holds, whatever the distance).

    The design gap is capped at ``Settings.unlike_distance`` (6 dots), the distance
    HD44780 draws its slashed 0 and its 8 apart: on a panel of small or blurred dots the
    two lay under the gap (tuning seed 88001, HD44780 held out, wide normal photo 47,
    ``000787 kWh``: a 0 5.8 dots from the 8, its three 0s 1.7-3.2 apart), so the 0s
    and the 8 were "one design read as two digits", no 0 was vouched for and the
    index stayed to confirm; their ink moved both ways (the slash's dots against the
    8's waist). For :func:`vouched_digits` only: :func:`ruled_out` keeps the distance
    alone (a cell within the gap of another digit's cells rules nothing out for it,
    ``test_a_digit_read_from_cells_of_two_designs_rules_nothing_out``), so a digit the
    panel shows moves no margin by this test; it only lets a design drawn twice alike
    vouch for itself beside another digit's drawing."""
    between = cell_distances(cells)
    moved = ink_moved(cells) >= SETTINGS.unlike_moved_dots
    out: npt.NDArray[np.bool_] = (between <= design_gap(cells, nearest)) & ~moved
    return out


def ruled_out(cells: FloatArray, digit_costs: FloatArray, letters: float) -> npt.NDArray[np.bool_]:
    """(N, 10) the digits each digit cell (N, 35) cannot be, by the panel's own glyphs.

    One ROM draws each digit one way. When another cell reads digit ``e`` reliably (a
    reading the policy trusts on its own raw margin, :func:`trusted_alone`, against
    the title letters' fit ``letters`` [dots]; margin at least
    ``Settings.confident_margin``) and lies further than :func:`design_gap` from this
    cell, this cell is not the ROM's ``e``. Only for cells whose digits map one to one
    onto designs (no digit read from two designs, no design read as two digits, at
    that gap); the other cells rule nothing out. Each cell's own nearest digit is never ruled out.
    """
    settings = SETTINGS
    ordered = np.sort(digit_costs, axis=1)
    nearest = np.argmin(digit_costs, axis=1)
    misfit = ordered[:, 0] - letters
    margin = ordered[:, 1] - ordered[:, 0]
    reliable = trusted_alone(misfit, margin) & (margin >= settings.confident_margin)
    between = cell_distances(cells)
    apart = between > design_gap(cells, nearest)
    same = nearest[:, None] == nearest[None, :]
    one_to_one = _one_to_one(same, ~apart)
    witness = apart & ~same & reliable[None, :] & one_to_one[:, None]  # (cell, other cell)
    out = np.zeros(digit_costs.shape, dtype=np.bool_)
    cell, other = np.nonzero(witness)
    out[cell, nearest[other]] = True
    return out


def trusted_alone(misfit: FloatArray, margin: FloatArray) -> npt.NDArray[np.bool_]:
    """(N,) the digit cells whose nearest digit the unfamiliar-digits rule trusts on
    their own raw margin (no help from the panel): a familiar fit (``misfit`` [dots]
    to the title letters within ``Settings.digit_fit_excess``), or an unfamiliar one
    whose ``margin`` [dots] to the next digit exceeds that misfit by
    ``Settings.unfamiliar_margin_slack``, the misfit under
    ``Settings.unfamiliar_excess_cap`` (:func:`unfamiliar_digits` with ``cells``
    None)."""
    settings = SETTINGS
    out: npt.NDArray[np.bool_] = (misfit <= settings.digit_fit_excess) | (
        (margin >= misfit + settings.unfamiliar_margin_slack)
        & (misfit <= settings.unfamiliar_excess_cap)
    )
    return out


def panel_margins(
    cells: FloatArray,
    digit_costs: FloatArray,
    letters: float,
    drawn_off: bool = False,
    shapes: FloatArray | None = None,
    *,
    sharp: bool = False,
) -> FloatArray:
    """(N,) each digit cell's margin [dots]: the next digit's distance minus the
    nearest's, among the digits neither the panel (:func:`ruled_out`) nor the cell's
    own shape (:func:`linkytool.ocr.structure.shape_ruled_out`; with any one dot
    drawn otherwise too when ``drawn_off``, :func:`panel_drawn_off`) rules out: a
    tailed 6 one dot from an 8 is no 8 when the panel's 8, elsewhere, looks
    otherwise, or when it encloses one hole, not two. The shapes are read from
    ``shapes`` (N, 35) when given (the dots pooled over the variants sampled at the same
    place: :func:`linkytool.ocr.structure.pooled_dots`), else from ``cells``; ``sharp``:
    the panel is sampled sharply (:attr:`linkytool.ocr.panel.PanelRead.sharp`), so an
    8's shape counts too (:func:`blur_closable`). The values read do not change; only
    the margin the policy judges."""
    excluded = _excluded(
        cells, digit_costs, letters, drawn_off=drawn_off, shapes=shapes, sharp=sharp
    )
    return _margins(digit_costs, excluded)


def margins_among(
    cells: FloatArray,
    digit_costs: FloatArray,
    among: FloatArray,
    letters: float,
    *,
    drawn_off: bool = False,
    shapes: FloatArray | None = None,
    sharp: bool = False,
) -> FloatArray:
    """(N,) :func:`panel_margins` of each cell's nearest digit by ``digit_costs``
    (N, 10) [dots], measured on ``among`` (N, 10): the cells' distances to the designs
    of some glyph sets only (``valuecells._rom_margin``). The digits left out are
    those the panel and the cell's shape rule out, judged as :func:`panel_margins`
    judges them (on ``digit_costs``): evidence of the panel, not of a template set. A
    margin under 0: another possible digit fits those designs better."""
    excluded = _excluded(
        cells, digit_costs, letters, drawn_off=drawn_off, shapes=shapes, sharp=sharp
    )
    return _margins(digit_costs, excluded, among)


def _excluded(
    cells: FloatArray,
    digit_costs: FloatArray,
    letters: float,
    *,
    drawn_off: bool,
    shapes: FloatArray | None,
    sharp: bool,
) -> npt.NDArray[np.bool_]:
    """(N, 10) the digits a cell's margin leaves out: those the panel
    (:func:`ruled_out`) or the cell's shape (:func:`_shape_excluded`) rules out."""
    return ruled_out(cells, digit_costs, letters) | _shape_excluded(
        cells, digit_costs, drawn_off, shapes, sharp
    )


def _shape_excluded(
    cells: FloatArray,
    digit_costs: FloatArray,
    drawn_off: bool,
    shapes: FloatArray | None,
    sharp: bool = False,
) -> npt.NDArray[np.bool_]:
    """(N, 10) the digits each cell's shape takes out of its margin: those its shape
    rules out (read from ``shapes`` when given, else ``cells``), and those every twin of
    it rules out (:func:`_twins_shape`). None for a cell whose shape rules out its own
    nearest digit (:func:`shape_contradicts`); for a cell read as an 8
    (:func:`blur_closable`) on a panel that is not ``sharp``, only those a surely broken
    outer column rules out (:func:`~linkytool.ocr.structure.broken_spines`: blur does
    not break a stroke); never a digit the cell contradicts on no more sure dots than
    its nearest one (:func:`as_near_by_sure_dots`), unless every twin rules it out.

    Each drawing's sure dots are judged before its twins lend (ocr39a): a twin lends
    what its own shape and sure dots rule out. The tailed 1 (a flag, no base) is three
    sure dots from every template 1 and four from X11's 4 drawn on the full matrix;
    blur leaving its stem's last dot uncertain ties the two, and the 4 its shape rules
    out (no bar) came back within a dot, while a twin drawn alike with that dot sure
    rules the 4 out (tuning seeds 142401-142403, tailed held out, hard: photo 23 of
    142403, ``10/08/27 19:56``, the hour's 1 0.6 dot nearer than a 4, its twin the
    day's 1). A twin whose own sure dots tie
    lends nothing: ocrU's guard stands where no drawing of the design tells the two
    digits apart.

    ``drawn_off`` (:func:`panel_drawn_off`) is each cell's doubt (ocr42a): a cell that no
    sure dot shows drawn otherwise than a template of its nearest digit
    (:func:`drawn_as_templates`) has its shape read as sampled. With X11 held out every
    panel is judged drawn off (its N and R are a dot off every template), and its 8s,
    drawn as the templates' X11 8 with the waist surely dark, kept the 6 two dots away
    (tuning seeds 146601-146602, X11 5x7 held out, hard: 7 PRMs and indexes of 82 fields
    held by that margin alone). Stop 41's variant 6 (an 8 open at its top right) keeps
    the doubt: its surely dark top right contradicts every template 8."""
    dots = cells if shapes is None else shapes
    doubted = ~drawn_as_templates(dots, digit_costs) & drawn_off
    shape = _per_cell(lambda some, off: shape_ruled_out(some, None, off), dots, doubted)
    closable = blur_closable(digit_costs) & (not sharp)
    unusable = closable | shape_contradicts(shape, digit_costs)
    # blur closes loops, it does not break a stroke: a surely broken spine still speaks
    spines = _per_cell(broken_spines, dots[closable], doubted[closable])

    def own_evidence(excluded: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
        """``excluded`` with each cell's own limits: nothing where its shape is no
        evidence, only the broken spines of an 8 that blur may have closed."""
        excluded[unusable] = False
        excluded[closable] = spines
        return excluded

    own = own_evidence(shape)
    if not own.any():
        return own
    # each drawing's own sure dots first: a twin lends what its own shape and sure dots
    # rule out, not what they give back (ocr39a)
    near = as_near_by_sure_dots(dots, digit_costs)
    own &= ~near
    # the twins lend only what their own shape may say, and lend nothing it may not
    out = own_evidence(_twins_shape(cells, digit_costs, own))
    out[closable] &= ~near[closable]
    return out


def drawn_as_templates(cells: FloatArray, digit_costs: FloatArray) -> npt.NDArray[np.bool_]:
    """(N,) the cells (N, 35) that no sure dot shows drawn otherwise than a template of
    their nearest digit (``digit_costs`` (N, 10); :func:`sure_dot_misses` 0): on a panel
    drawn a dot off (:func:`panel_drawn_off`) no evidence says these digits are, so their
    shapes are read as sampled (:func:`_shape_excluded`). Blur leaves dots uncertain, and
    an uncertain dot tells nothing either way: a variant glyph one dot from a template
    whose distinguishing dot blur hid is not told apart (the doubt a panel not judged
    drawn off already lives with)."""
    misses = sure_dot_misses(cells)
    out: npt.NDArray[np.bool_] = misses[np.arange(len(cells)), np.argmin(digit_costs, axis=1)] == 0
    return out


def _per_cell(
    rule: Callable[[FloatArray, bool], npt.NDArray[np.bool_]],
    cells: FloatArray,
    doubted: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """``rule(cells, drawn_off)`` (N, 10), each cell (N, 35) with its own ``doubted``
    (N,) as ``drawn_off`` (passed by position, as the callers always did)."""
    out = np.zeros((len(cells), len(DIGITS)), dtype=np.bool_)
    for flag in (False, True):
        rows = doubted == flag
        if rows.any():
            out[rows] = rule(cells[rows], flag)
    return out


def _twins_shape(
    cells: FloatArray, digit_costs: FloatArray, shape: npt.NDArray[np.bool_]
) -> npt.NDArray[np.bool_]:
    """``shape`` (N, 10), each cell also ruling out the digits every twin of it rules
    out: the other cells of the value read as its nearest digit within
    :func:`design_gap` (one ROM draws a character one way, so they are one glyph). A
    dot left doubtful in one drawing (dust, a dead dot, a sampling between two dots)
    opens a loop there only: ocrW's tuning seed 139002, alt (held out) normal photo 14,
    the middle one of three alike 0s with a left dot sampled 0.5 admitted a 3, 1.35
    dots off, that its twins' closed sides rule out. A twin lends its shape only when
    it is nearer to the cell than every cell read as another digit, by
    ``Settings.confident_margin`` (as :func:`clear_twins` vouches): on a blurred panel
    the design gap spans two designs 2 dots apart (stop 38's variant probe, seed 81992,
    hard photo 12: a tailed 9 whose loop a dead dot opens, read 3 beside two real 3s,
    borrowed their open left side and read ``32167831505308`` confidently: the 3s lay
    4.8 and 5.2 dots from it, the nearer of the panel's 8s 5.5, the design gap 6)."""
    if len(cells) < 2:
        return shape
    nearest = np.argmin(digit_costs, axis=1)
    between = cell_distances(cells)
    same = nearest[:, None] == nearest[None, :]
    twins = clear_twin_pairs(between, same) & (between <= design_gap(cells, nearest))
    out = shape.copy()
    for row in np.flatnonzero(twins.any(axis=1)):
        out[row] |= shape[twins[row]].all(axis=0)
    return out


def sure_dot_misses(cells: FloatArray) -> npt.NDArray[np.intp]:
    """(N, 10) for each cell (N, 35) and digit, the fewest dots sampled surely (outside
    ``Settings.shape_uncertain_band`` of 0.5) that contradict a template of that digit
    (any template set, any placement): blur leaves a dot uncertain, so a sure dot that
    contradicts a template is a dot the glyph draws otherwise."""
    table = templates()
    chars = np.asarray(table.chars)
    sure = np.abs(cells - 0.5) >= SETTINGS.shape_uncertain_band
    lit = cells >= 0.5
    out = np.zeros((len(cells), len(DIGITS)), dtype=np.intp)
    for column, digit in enumerate(DIGITS):
        glyphs = table.vectors[chars == digit] >= 0.5
        wrong = (glyphs[None, :, :] != lit[:, None, :]) & sure[:, None, :]
        out[:, column] = wrong.sum(axis=2).min(axis=1)
    return out


def as_near_by_sure_dots(cells: FloatArray, digit_costs: FloatArray) -> npt.NDArray[np.bool_]:
    """(N, 10) the digits each cell (N, 35) contradicts on no more sure dots
    (:func:`sure_dot_misses`) than its own nearest digit (``digit_costs`` (N, 10)): its
    shape rules none of them out. When every template of the nearest digit is
    contradicted by as many dots drawn surely as the runner-up's, the cell is a design
    neither template draws, and the loop or stroke its shape lacks is no evidence
    between them (one dot the ROM draws otherwise opens a loop). Held-out seed 138417
    (ocrU), X11 5x8 (held out) hard photo 9, a variant ROM's 8 without its middle bar's
    left dot: ``18:20`` read ``13:20`` confidently, the 3 nearest by 0.18 dot, each one
    sure dot off the cell, the 8 ruled out by its opened loops (margin 5.6)."""
    misses = sure_dot_misses(cells)
    nearest = misses[np.arange(len(misses)), np.argmin(digit_costs, axis=1)]
    out: npt.NDArray[np.bool_] = misses <= nearest[:, None]
    return out


def shape_contradicts(
    shape: npt.NDArray[np.bool_], digit_costs: FloatArray
) -> npt.NDArray[np.bool_]:
    """(N,) the cells whose shape (``shape`` (N, 10): the digits it rules out) rules out
    their own nearest digit (``digit_costs`` (N, 10)): the shape or the templates are
    wrong about that cell (a stroke cut by the grid, a loop opened by a missing dot),
    so its shape is no evidence against any runner-up either. Tuning seed 136001 (ocrQ),
    X11 5x8 (held out) hard photo 24: two blurred 3s whose shape admits no digit at all,
    nearest 5 by 0.1 dot, every runner-up ruled out: ``37322642666239`` read
    ``57322642666259`` confidently (margin infinite)."""
    out: npt.NDArray[np.bool_] = shape[np.arange(len(shape)), np.argmin(digit_costs, axis=1)]
    return out


def blur_closable(digit_costs: FloatArray) -> npt.NDArray[np.bool_]:
    """(N,) the cells whose nearest digit is an 8: their shape rules no runner-up out
    of the margin. Blur closes an open loop (a tailed 9's tail, a 3's open side, a 0's
    middle) into an 8's second hole, so two holes do not prove the cell is no 9, 3 or
    0; one hole still proves it is no 8 (blur adds holes, it does not open them).
    Held-out seed 92731 (ocrX's), tailed hard photo 35: ``13:49`` read ``13:48``
    confidently, the 9's two blurred holes ruling the 9 out (margin 1.78 dots); on
    tuning seed 95011 (all fonts, 30 a level) 2 of 144 hard fields and no normal one
    lose their confidence. Not on a sharp panel (``panel_margins``' ``sharp``): a blur
    wide enough to close a loop leaves dots half-lit all over the panel (that photo:
    7.9 % of its inked cells' dots), and a crisp X11 5x8 8 (0-0.5 %), 1.4-1.5 dots from
    a 3 or a 6 that its two holes rule out, was held by a thin margin (ocrW's tuning
    seed 139002, normal photos 19 and 35)."""
    eights: npt.NDArray[np.bool_] = np.argmin(digit_costs, axis=1) == DIGITS.index("8")
    return eights


def letters_off_template(
    cells: FloatArray, title: Sequence[CellRead], font: str | FontSet | None = None
) -> int:
    """How many distinct title letters (``title``, their cells (N, 35) ``cells``)
    contradict every template of their character (of ``font``, any placement) on a
    dot sampled surely, outside ``Settings.shape_uncertain_band`` of 0.5: a glyph drawn
    a whole dot otherwise than the templates (a ROM they do not hold exactly, a dead
    or stuck dot, dust), not blur (which leaves dots uncertain). A letter counts once
    however often the title shows it: one ROM draws it one way."""
    table = templates(font)
    band = SETTINGS.shape_uncertain_band
    off: set[str] = set()
    for cell, read in zip(cells, title, strict=False):
        if not read.char.isalpha() or read.char in off:
            continue
        glyphs = table.vectors[np.asarray(table.chars) == read.char] >= 0.5
        if not len(glyphs):  # a letter of another glyph set: nothing to compare with
            continue
        sure = np.abs(cell - 0.5) >= band
        wrong = (glyphs != (cell >= 0.5)[None, :]) & sure[None, :]
        if wrong.sum(axis=1).min() > 0:
            off.add(read.char)
    return len(off)


def panel_drawn_off(
    cells: FloatArray, title: Sequence[CellRead], font: str | FontSet | None = None
) -> bool:
    """Whether a panel draws its glyphs a whole dot otherwise than the templates: at
    least ``Settings.shape_off_letters`` of its words' letters (cells (N, 35)
    ``cells``, read as ``title``: both lines but the value's cells,
    :func:`linkytool.ocr.valuecells._words_beside`) do (:func:`letters_off_template`).
    Its digits may then be drawn a dot otherwise too, and one dot opens or closes a
    loop: a variant tailed 9 whose tail reaches one dot lower encloses two holes, an
    8's shape, 1 dot from the 8 template and 2 from any 9 (tuning seed 38411, tailed
    hard photo 38: 10729 read 10728, confident). On such a panel a digit's shape rules
    out only the digits no reading with one dot switched admits
    (:func:`panel_margins`)."""
    return letters_off_template(cells, title, font) >= SETTINGS.shape_off_letters


def _margins(
    digit_costs: FloatArray, excluded: npt.NDArray[np.bool_], among: FloatArray | None = None
) -> FloatArray:
    """(N,) the next digit's distance minus the nearest's [dots], the ``excluded``
    (N, 10) digits left out (the nearest by ``digit_costs`` never is), both measured
    on ``among`` (N, 10) when given (:func:`margins_among`), else on ``digit_costs``."""
    on = digit_costs if among is None else among
    rows, nearest = np.arange(len(digit_costs)), np.argmin(digit_costs, axis=1)
    masked = np.where(excluded, np.inf, on)
    masked[rows, nearest] = np.inf
    out: FloatArray = masked.min(axis=1) - on[rows, nearest]
    return out


def shape_disagrees(
    cells: FloatArray,
    digit_costs: FloatArray,
    drawn_off: bool = False,
    shapes: FloatArray | None = None,
) -> bool:
    """Whether the shape of one of a value's digit cells (N, 35; read from ``shapes``
    when given) rules out the digit the templates find nearest (``digit_costs`` (N, 10);
    :func:`unlike_own_digit`, with ``drawn_off``): two readings of one cell that
    disagree, so neither is evidence enough for a confident value (its margin is 0).

    Stop 40's report seed 84205, alternative ROM held out, hard photo 49: a blurred 3
    alone on an index screen, its lower-left curve smeared, fitted the other fonts' 8
    nearest (3.7 dots, the 3s 7.6) while its shape admits a 3 or a 9 and no 8: ``8 kWh``,
    sûr. A shape that contradicts its cell's nearest digit already lent no exclusion
    against a runner-up (:func:`shape_contradicts`); with no runner-up near, the
    templates' margin alone made the value confident."""
    dots = cells if shapes is None else shapes
    return bool(unlike_own_digit(dots, digit_costs, drawn_off).any())


def value_margin(
    cells: FloatArray,
    digit_costs: FloatArray,
    title: Sequence[CellRead],
    drawn_off: bool = False,
    shapes: FloatArray | None = None,
    *,
    sharp: bool = False,
) -> float:
    """The smallest margin [dots] of a value's digit cells (N, 35), each against the
    digits the panel and its shape do not rule out (:func:`panel_margins`, with
    ``drawn_off``, ``shapes`` and ``sharp``; those the shape does not when the title
    has too few letters to judge a familiar fit); 0 without digits."""
    if not len(digit_costs):
        return 0.0
    if shape_disagrees(cells, digit_costs, drawn_off, shapes):
        return 0.0
    letters = letters_fit(title)
    if letters is None:
        shape = _shape_excluded(cells, digit_costs, drawn_off, shapes, sharp)
        return float(_margins(digit_costs, shape).min())
    return float(panel_margins(cells, digit_costs, letters, drawn_off, shapes, sharp=sharp).min())


def unlike_cells(
    cells: FloatArray,
    digit_costs: FloatArray,
    movable: npt.NDArray[np.bool_] | None = None,
    *,
    apart: float = SETTINGS.unlike_distance,
    worse: float = SETTINGS.unlike_excess,
    runner_up: float = SETTINGS.unlike_margin,
) -> npt.NDArray[np.bool_]:
    """(N, 10) mask of the nearest digit of each cell that cannot be that digit.

    One panel has one character ROM: it draws each digit one way. When two cells
    (N, 35) have the same nearest digit (``digit_costs`` (N, 10) [dots]) but lie more
    than ``apart`` dots from each other, they are two designs; the one fitting that
    digit ``worse`` dots worse or more is another digit (the alternative ROM's open 4,
    nearest a 9 among the templates, next to a 9 that fits one). Meant for digits of a
    design the templates do not hold (:func:`unfamiliar_digits`): a known design fits
    its own digit. Only the ``movable`` cells (N,) bool, all when None, whose next
    digit fits within ``runner_up`` dots lose theirs: an unknown design halfway between
    two digits (the open 4: 9 or 4), not a known one damaged by glare (a 0 whose next
    digit is 2 dots further). Nor a cell whose next digit the panel draws elsewhere,
    unlike it, fitting as well as the clashing cell fits: that digit is no more this
    cell's than its nearest (a damaged cell unlike every other, a blurred X11 8 beside
    a sharp 8 and a sharp 6: "18:09" read 16:09, tuning seed 92032, X11 5x8 hard photo
    55; likewise a 0 read 1 and a 0 read 9 beside the panel's 1 and 9).
    """
    nearest = np.argmin(digit_costs, axis=1)
    best = digit_costs[np.arange(len(nearest)), nearest]
    ambiguous = np.sort(digit_costs, axis=1)[:, 1] - best <= runner_up
    between = cell_distances(cells)
    clash = (nearest[:, None] == nearest[None, :]) & (between > apart)
    clash &= best[None, :] <= best[:, None] - worse
    mask = np.zeros(digit_costs.shape, dtype=np.bool_)
    clash &= ambiguous[:, None] if movable is None else (ambiguous & movable)[:, None]
    clash &= ~next_digit_drawn_unlike(cells, digit_costs, apart=apart, worse=worse)[:, None]
    rows = np.flatnonzero(clash.any(axis=1))
    mask[rows, nearest[rows]] = True
    return mask


def next_digit_drawn_unlike(
    cells: FloatArray,
    digit_costs: FloatArray,
    *,
    apart: float = SETTINGS.unlike_distance,
    worse: float = SETTINGS.unlike_excess,
) -> npt.NDArray[np.bool_]:
    """(N,) the digit cells (N, 35) whose next digit (``digit_costs`` (N, 10) [dots])
    the panel draws elsewhere, more than ``apart`` dots from them and fitting it
    ``worse`` dots better than they fit their nearest: the cell is no more that digit
    than its nearest, so :func:`unlike_cells` does not move it there (ocrX)."""
    nearest = np.argmin(digit_costs, axis=1)
    rows = np.arange(len(nearest))
    best = digit_costs[rows, nearest]
    others = digit_costs.copy()
    others[rows, nearest] = np.inf
    second = np.argmin(others, axis=1)
    drawn = (nearest[None, :] == second[:, None]) & (cell_distances(cells) > apart)
    drawn &= best[None, :] <= best[:, None] - worse
    out: npt.NDArray[np.bool_] = drawn.any(axis=1)
    return out


#: A glyph set is left out when it explains the cells this much worse than the best
#: one [dots, whole panel].
FONT_MARGIN = 4.0
#: ... unless a cell then fits this much worse than with every set [dots]: a glyph no
#: kept set draws (a ROM the templates do not hold mixes its neighbours' designs; the
#: alternative ROM's round 3, 1-2 dots nearer Spleen's stretched 3 than HD44780's 8,
#: on a panel whose letters are HD44780's: leave-one-font-out seed 4242 cells).
FONT_CELL_SLACK = 1.0


def detect_fonts(cells: FloatArray) -> FontSet | None:
    """The template glyph sets that explain a panel's cells (N, 35) about as well as the
    best one, or None when none is clearly worse or the others are needed.

    A meter has one character ROM: leaving out the sets that fit its cells clearly worse
    removes cross-set confusions (the alternative set's 3 is 3 dots from HD44780's 8,
    the tailed set's 6 and 9 are 2 dots from it). Sets that fit as well are all kept,
    and nothing is left out when some cell fits a left-out set far better: a panel drawn
    in a set the templates do not hold (its 3 may be the tailed set's, its other digits
    HD44780's) must not lose the glyphs it shares with the sets that fit it worse.
    """
    names = _ACTIVE_FONTS[0]
    read = {name: char_distances(cells, name, designs=True) for name in names}
    kept = _rom_sets(read)
    if kept is None:
        return None
    fits = {name: distances.min(axis=1) for name, (_, distances) in read.items()}
    every = np.min([fits[name] for name in names], axis=0)
    kept_fit = np.min([fits[name] for name in kept], axis=0)
    if float((kept_fit - every).max()) > FONT_CELL_SLACK:
        return None
    if _shape_needs_left_out(cells, read, kept):
        return None
    return kept


def rom_fonts(cells: FloatArray) -> FontSet | None:
    """The glyph sets that explain a panel's cells (N, 35) about as well as the best one
    (:func:`detect_fonts`' first step: the panel's ROM as all its cells show it), or None
    when every set does or only a set lending its digits alone (Spleen) does.

    :func:`detect_fonts` gives these sets up when one cell fits a left-out set far
    better (a ROM the templates do not hold mixes its neighbours' designs) and the
    reader then reads every cell among every set; such a cell's margin is then the
    margin of a design the panel's other cells do not draw (``valuecells.digit_costs``
    judges it among these sets too)."""
    return _rom_sets({name: char_distances(cells, name, designs=True) for name in _ACTIVE_FONTS[0]})


def _rom_sets(read: dict[str, tuple[tuple[str, ...], FloatArray]]) -> FontSet | None:
    """:func:`rom_fonts` from each active set's distances (``read``)."""
    if len(read) < 2:
        return None
    totals = {name: float(distances.min(axis=1).sum()) for name, (_, distances) in read.items()}
    best = min(totals.values())
    kept = tuple(name for name in read if totals[name] - best < FONT_MARGIN)
    # a set lending only its digits (Spleen) is no panel's whole ROM: its title words
    # could not be spotted
    if len(kept) == len(read) or all("A" not in FONTS[name] for name in kept):
        return None
    return kept


def _shape_needs_left_out(
    cells: FloatArray, read: dict[str, tuple[tuple[str, ...], FloatArray]], kept: FontSet
) -> bool:
    """Whether a cell (of ``cells`` (N, 35)) whose shape is one digit's alone
    (:func:`~linkytool.ocr.structure.admitted`) is read as that digit, and nearer, by a
    set :func:`detect_fonts` would leave out, and as another character by every kept set.

    The tailed set's 6 (``.###.`` over ``#...#``, its top closed on the right) is one
    dot from the alternative ROM's 6 and two from HD44780's 8, on a panel whose other
    glyphs are HD44780's: kept alone, HD44780 read it 8, 0.6-1.0 dot worse than the
    left-out 6 (under :data:`FONT_CELL_SLACK`), and the value was wrong (tuning seed
    137001, tailed normal photos 12 and 45, ``000008`` for 000006). Its shape, a loop
    below and a stroke open on the right above, is a 6's and no 8's: evidence besides
    the templates that the kept set's reading is not the glyph."""
    kept_fit = np.min([read[name][1].min(axis=1) for name in kept], axis=0)
    for row in range(len(cells)):
        kept_chars = {read[name][0][int(np.argmin(read[name][1][row]))] for name in kept}
        for name in (name for name in read if name not in kept):
            chars, distances = read[name]
            char = chars[int(np.argmin(distances[row]))]
            if (
                char in DIGITS
                and char not in kept_chars
                and distances[row].min() < kept_fit[row]
                and admitted(cells[row]) == {char}
            ):
                return True
    return False


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
    font: str | FontSet | None = None,
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
    font: str | FontSet | None = None,
) -> list[WordMatch]:
    """:func:`spot_word` for each of ``words``, the cell distances computed once."""
    if not words:
        return []
    chars, distances = char_distances(cells, font, tolerant=False)
    plan = _spotting_plan(
        tuple(words), chars, tuple(sorted((equivalents or {}).items())), cells.shape[0]
    )
    # a neighbour counts as "not blank" by how much better it fits a letter or a digit
    # than a blank: a noise cell (previous screen's residue, dust) fits neither well
    space = np.maximum(distances[:, plan.space] - distances[:, plan.alnum].min(axis=1), 0.0)
    # each letter's distance on each cell, its look-alikes' glyphs counting as it, then
    # the blank's cost: (cells, letters + 1)
    letters = np.minimum.reduceat(distances[:, plan.options], plan.option_starts, axis=1)
    table = np.column_stack([letters, space])
    costs = np.full(plan.shape, np.inf)
    for (cell_at, letter_at), (word_at, start_at) in zip(plan.terms, plan.owners, strict=True):
        # a placement's mean over its own terms: numpy's mean of that row (same bits)
        costs[word_at, start_at] = table[cell_at, letter_at].mean(axis=1)
    best = np.argmin(costs, axis=1)  # the first best, as a scan keeping the strictly better
    found = {
        word: WordMatch(word, int(best[w]), float(costs[w, best[w]]))
        for w, word in enumerate(plan.words)
    }
    return [found[word] for word in words]


@dataclass(frozen=True)
class _SpottingPlan:
    """Where :func:`spot_words` gathers each placement's costs from (see
    :func:`_spotting_plan`)."""

    words: tuple[str, ...]
    space: int
    alnum: npt.NDArray[np.intp]
    #: Columns of the characters counting as each letter, letter after letter, and where
    #: each letter's columns start (``np.minimum.reduceat``).
    options: npt.NDArray[np.intp]
    option_starts: npt.NDArray[np.intp]
    #: (words, placements): a word's placements beyond the line stay at +inf.
    shape: tuple[int, int]
    #: Per number of terms: (cell, table column) of each term of each placement, (P, t).
    terms: tuple[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]], ...]
    #: Per number of terms: (word, start) of each placement, (P,) each.
    owners: tuple[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]], ...]


@lru_cache(maxsize=64)
def _spotting_plan(
    words: tuple[str, ...],
    chars: tuple[str, ...],
    equivalents: tuple[tuple[str, str], ...],
    count: int,
) -> _SpottingPlan:
    """The index arrays :func:`spot_words` gathers with, for ``words`` on a line of
    ``count`` cells classified among ``chars``: the same for every panel (built once).

    A placement's terms are its letters' costs, then the blank cell before it and the
    one after it where the line goes on (a whole word); placements with as many terms
    are averaged together.
    """
    index = {c: i for i, c in enumerate(chars)}
    table = dict(equivalents)
    unique = tuple(dict.fromkeys(words))
    letters = sorted({letter for word in unique for letter in word})
    column_of = {letter: column for column, letter in enumerate(letters)}
    blank = len(letters)  # the table's last column: the blank's cost
    options: list[int] = []
    starts: list[int] = []
    for letter in letters:
        found = [index[c] for c in letter + table.get(letter, "") if c in index]
        if not found:
            raise ValueError(f"no glyph for {letter!r} among the templates")
        starts.append(len(options))
        options.extend(found)
    groups: dict[int, list[tuple[list[int], list[int], int, int]]] = {}
    for w, word in enumerate(unique):
        for start in range(count - len(word) + 1):
            cells = [start + i for i in range(len(word))]
            columns = [column_of[letter] for letter in word]
            if start > 0:
                cells.append(start - 1)
                columns.append(blank)
            if start + len(word) < count:
                cells.append(start + len(word))
                columns.append(blank)
            groups.setdefault(len(cells), []).append((cells, columns, w, start))
    terms = []
    owners = []
    for group in groups.values():
        terms.append(
            (
                np.array([cells for cells, _, _, _ in group], dtype=np.intp),
                np.array([columns for _, columns, _, _ in group], dtype=np.intp),
            )
        )
        owners.append(
            (
                np.array([w for _, _, w, _ in group], dtype=np.intp),
                np.array([start for _, _, _, start in group], dtype=np.intp),
            )
        )
    return _SpottingPlan(
        words=unique,
        space=index[" "],
        alnum=np.array([i for i, c in enumerate(chars) if c.isalnum()], dtype=np.intp),
        options=np.array(options, dtype=np.intp),
        option_starts=np.array(starts, dtype=np.intp),
        shape=(len(unique), max(1, count - min(map(len, unique), default=0) + 1)),
        terms=tuple(terms),
        owners=tuple(owners),
    )
