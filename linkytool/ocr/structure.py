"""Structural, font-agnostic evidence on digit cells: holes, a bar, a left wall.

The nearest template (:mod:`linkytool.ocr.dotmatrix`) cannot tell a digit of a design
the templates do not hold from another digit 1-2.5 dots away: a tailed 6 or 9 is 1 dot
from an 8, a tailed 1 one dot from a 4, HD44780's flat-topped 3 two from a 5. Their
*shapes* differ whatever the design: an 8 encloses two holes, a 6 one low, a 9 one
high, a 0 one tall; a 4, 5, 6 and 9 cross their ink with a bar, a 1, 2, 3, 7 and 8 do
not; a 5 has a left wall under its top, a 1, 2, 3 and 7 do not. :data:`DIGIT_SHAPES`
lists, per digit, the features every known dot-matrix design of it has (checked
against every glyph set of :mod:`linkytool.ocr.font5x7`: ``tests/ocr/
test_structure.py``), and :func:`shape_ruled_out` says which digits a sampled cell
cannot be.

A cell's dots are sampled darknesses (0 = background, 1 = dot on); a dot within
``Settings.shape_uncertain_band`` of 0.5 may be either, and a digit is ruled out only
when *no* way of reading those dots gives its shape (a cell with more than
``Settings.shape_max_uncertain`` such dots, or whose ink is shorter than
:data:`MIN_INK_ROWS`, rules nothing out: blur, or a grid cutting the glyph).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

from linkytool.ocr.font5x7 import COLS, ROWS
from linkytool.ocr.settings import SETTINGS

FloatArray = npt.NDArray[np.float64]

#: The digits, in the column order of the (N, 10) masks.
DIGITS = "0123456789"
#: A glyph shorter than this [dots] is cut by the grid (or no digit): no evidence. The
#: narrow X11 designs are 6 dots high, the HD44780-style ones 7.
MIN_INK_ROWS = 6
#: Columns of ink a wide glyph spans (:attr:`Shape.wide`).
WIDE_COLS = 4

#: The bit mask of :func:`_admitted` admitting every digit.
EVERY_DIGIT = (1 << len(DIGITS)) - 1

#: The eight neighbours of a dot (row, column steps).
_EIGHT = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))


@dataclass(frozen=True)
class Shape:
    """What a digit's strokes enclose and cross, whatever its design.

    ``holes``: the enclosed background areas from top to bottom, each ``T`` (tall: half
    the ink's height or more, a 0), ``U`` (upper: centre above the ink's middle) or
    ``L`` (lower); ``""`` none. ``bar``: a row strictly inside the ink lit over its width
    (all but one dot, 3 at least). ``left_wall``: the ink's left column lit on both
    rows under its top; ``right_wall``: its right column on both rows above its bottom.
    ``top_cap``, ``bottom_cap``: a stroke of the ink's top (bottom) row lit over its
    width but two dots (2 at least; one dead dot inside bridged, :func:`_stroke_dots`):
    a 7's top, not a 1's or a 4's point, nor an open 4's two arms and a stray dot.
    ``wide``: the ink spans :data:`WIDE_COLS` columns or more (a 4's bar crosses its
    stem to a left stroke).
    ``bottom_point``: the ink's bottom row is one dot (a stroke's end: a 7's or a 4's
    stem, not a 3's or a 5's base).
    """

    holes: str
    bar: bool
    left_wall: bool
    right_wall: bool
    top_cap: bool
    bottom_cap: bool
    wide: bool
    bottom_point: bool


@dataclass(frozen=True)
class Allowed:
    """The shapes a digit may have: each feature's allowed values."""

    holes: frozenset[str]
    #: Allowed values of the yes/no features, in :data:`FLAGS` order.
    flags: tuple[frozenset[bool], ...]

    def admits(self, shape: Shape) -> bool:
        """Whether ``shape`` is one of this digit's shapes."""
        values = (getattr(shape, name) for name in FLAGS)
        return shape.holes in self.holes and all(
            value in allowed for value, allowed in zip(values, self.flags, strict=True)
        )


#: The yes/no features of :class:`Shape`, in the order of a :data:`DIGIT_SHAPES` row.
FLAGS = ("bar", "left_wall", "right_wall", "top_cap", "bottom_cap", "wide", "bottom_point")


def _allowed(holes: str, flags: str) -> Allowed:
    """An :class:`Allowed` from a compact row: ``holes`` ``|``-separated (``-``: none),
    then one of ``y``, ``n``, ``*`` (either) per feature of :data:`FLAGS`."""
    either = {"y": frozenset({True}), "n": frozenset({False}), "*": frozenset({True, False})}
    return Allowed(
        frozenset("" if h == "-" else h for h in holes.split("|")),
        tuple(either[flag] for flag in flags.replace(" ", "")),
    )


#: Digit -> the shapes its dot-matrix designs have: the holes, then each feature of
#: :data:`FLAGS` required (``y``), excluded (``n``) or free (``*``). Written from what a
#: digit is (an 8 has two stacked loops, a 6 a lower one, a 9 an upper one and a top, a
#: 4 a bar and a point on top, a 7 a top and no base...), each row asking only what
#: tells its digit from the others, and checked against every design of
#: :mod:`linkytool.ocr.font5x7` (HD44780, alt, X11 5x7 and 5x8, Spleen, plain, tailed):
#: each admits its own row and no other. A 4 is wide (ocrQ, tuning seed 136001): its bar
#: crosses the stem to a left stroke, 4 or 5 columns in every design, where a flagged 1
#: (``#.#`` under its point: the tailed 1, which is X11's 4 without its bar row) is 3;
#: blur that leaves a 1's gap uncertain gave it a 3-dot "bar", a 4's shape. A 7 ends in
#: its stroke's one dot (every design): a bottom row of 2 dots left it no bottom cap, a
#: 7's shape, for HD44780's flat-topped 3 with a blurred base (tuning seeds 136001-2).
#: No feature here may be lost to one dead dot of a stroke that every design draws
#: wider than needed: ocrV's "a 4's bar is 4 dots side by side" (stop 36) ruled out a
#: variant ROM's open 4 whose bar lacked its middle dot (``##.##``), on a panel whose
#: letters match the templates (nothing says it is drawn a dot off), and read it 5 or 1
#: confidently (lead's probe, seeds 81902-3: 3 confident-wrong in 58 values holding a
#: 4; ``tests/ocr/test_confidence_seventh.py``). A bar is all but one dot of the width.
#: Nor may one stray dot give a feature (stop 38, the same probe): a cap is a stroke,
#: not a count over the row, or alt's open 4 with a dot stuck between its arms
#: (``##..#``) had a 5's top cap and read 5 confidently (4 of 13 values holding a 4);
#: and 2, 3 and 7 are open on the left under their top (every design), or a 9 whose
#: loop one dead dot opens at its corner read 3 confidently (tailed, 5 of 14).
DIGIT_SHAPES: dict[str, Allowed] = {
    #                 holes    bar left right top bottom wide point
    "0": _allowed("T", "     *   *    *    *   *      *    *"),
    "1": _allowed("-", "     n   *    *    n   *      *    *"),
    "2": _allowed("-", "     n   n    n    y   y      *    *"),
    "3": _allowed("-", "     n   n    y    y   y      *    *"),
    "4": _allowed("-|U", "   y   *    *    n   *      y    *"),
    "5": _allowed("-", "     y   y    *    y   *      *    *"),
    "6": _allowed("L", "     *   *    *    *   *      *    *"),
    "7": _allowed("-", "     n   n    *    y   n      *    y"),
    "8": _allowed("UL", "    *   *    *    *   *      *    *"),
    "9": _allowed("U", "     *   *    *    y   *      *    *"),
}


def shape_of(on: npt.NDArray[np.bool_]) -> Shape | None:
    """The :class:`Shape` of a cell's lit dots ``on`` (ROWS × COLS), or None when its
    ink is shorter than :data:`MIN_INK_ROWS` rows.

    Holes are the background not reached from the cell's border through background
    dots side by side (4-connectivity: a diagonal stroke closes a loop), grouped by
    8-connectivity (the two halves of a slashed 0 are one hole, an 8's two are not:
    its middle bar is a whole row). Computed on a 35-bit mask (:func:`_shape_bits`).
    """
    dots = np.asarray(on, dtype=bool)
    if dots.shape != (ROWS, COLS):
        raise ValueError(f"a cell is {ROWS}×{COLS} dots, not {dots.shape}")
    return _shape_bits(sum(1 << int(i) for i in np.flatnonzero(dots.reshape(-1))))


#: Row masks of a 7×5 pattern (bit ``row * COLS + col``), and the columns a dot may
#: step left or right from without wrapping onto the next row.
_ROW_MASKS = tuple(((1 << COLS) - 1) << (row * COLS) for row in range(ROWS))
_ALL_DOTS = (1 << (ROWS * COLS)) - 1
_LEFT_COL = sum(1 << (row * COLS) for row in range(ROWS))
_RIGHT_COL = _LEFT_COL << (COLS - 1)
_BORDER = _ROW_MASKS[0] | _ROW_MASKS[-1] | _LEFT_COL | _RIGHT_COL


def _grow4(dots: int) -> int:
    """``dots`` and their side-by-side neighbours (within the pattern)."""
    return (
        dots
        | (dots & ~_RIGHT_COL) << 1
        | (dots & ~_LEFT_COL) >> 1
        | (dots << COLS) & _ALL_DOTS
        | dots >> COLS
    )


def _grow8(dots: int) -> int:
    """``dots`` and their eight neighbours (within the pattern)."""
    row = dots | (dots & ~_RIGHT_COL) << 1 | (dots & ~_LEFT_COL) >> 1
    return row | (row << COLS) & _ALL_DOTS | row >> COLS


def _flood_bits(free: int, seeds: int, grow: Callable[[int], int]) -> int:
    """The dots of ``free`` reached from ``seeds`` (of ``free``) by ``grow`` steps."""
    seen = seeds & free
    while True:
        more = grow(seen) & free
        if more == seen:
            return seen
        seen = more


def _stroke_dots(row: int) -> int:
    """The lit dots of the longest stroke in one row's bits: dots side by side, one
    dark dot inside allowed (a dead dot does not cut a stroke; a second one, or two
    side by side, do: ``#.#.#`` is dots, not a stroke)."""
    lit = [bool(row >> col & 1) for col in range(COLS)]
    best = 0
    for start in range(COLS):
        for end in range(start, COLS):
            span = lit[start : end + 1]
            if span[0] and span[-1] and span.count(False) <= 1:
                best = max(best, span.count(True))
    return best


#: :func:`_stroke_dots` of every row pattern.
_STROKE_DOTS = tuple(_stroke_dots(row) for row in range(1 << COLS))


def _shape_bits(pattern: int) -> Shape | None:
    """:func:`shape_of` of a 7×5 pattern of lit dots (bit ``row * COLS + col``), on bit
    masks: plain Python integers, a fraction of the cost of sets or numpy on 35 dots (the
    reader tries ~50,000 patterns on a hard photo); ``tests/ocr/test_structure.py``
    compares it with a dot-by-dot flood fill."""
    counts = [(pattern & mask).bit_count() for mask in _ROW_MASKS]
    ink_rows = [r for r in range(ROWS) if counts[r]]
    if not ink_rows or ink_rows[-1] - ink_rows[0] + 1 < MIN_INK_ROWS:
        return None
    columns = 0
    for row in range(ROWS):
        columns |= pattern >> (row * COLS)
    columns &= (1 << COLS) - 1
    top, bottom = ink_rows[0], ink_rows[-1]
    left = (columns & -columns).bit_length() - 1
    right = columns.bit_length() - 1
    free = ~pattern & _ALL_DOTS
    inside = free & ~_flood_bits(free, free & _BORDER, _grow4)
    found: list[tuple[int, str]] = []
    while inside:
        hole = _flood_bits(inside, inside & -inside, _grow8)
        inside &= ~hole
        per_row = [(hole & mask).bit_count() for mask in _ROW_MASKS]
        hole_rows = [r for r in range(ROWS) if per_row[r]]
        high, low = hole_rows[0], hole_rows[-1]
        tall = low - high + 1 >= (bottom - top + 1) / 2
        upper = sum(r * n for r, n in enumerate(per_row)) / sum(per_row) - top < (bottom - top) / 2
        found.append((high, "T" if tall else "U" if upper else "L"))
    width = right - left + 1
    cap = max(2, width - 2)

    def lit(row: int, col: int) -> bool:
        return bool(pattern >> (row * COLS + col) & 1)

    return Shape(
        holes="".join(kind for _, kind in sorted(found)),
        bar=any(counts[row] >= max(3, width - 1) for row in range(top + 1, bottom)),
        left_wall=lit(top + 1, left) and lit(top + 2, left),
        right_wall=lit(bottom - 2, right) and lit(bottom - 1, right),
        top_cap=_STROKE_DOTS[pattern >> (top * COLS) & _ROW_MASKS[0]] >= cap,
        bottom_cap=_STROKE_DOTS[pattern >> (bottom * COLS) & _ROW_MASKS[0]] >= cap,
        wide=width >= WIDE_COLS,
        bottom_point=counts[bottom] == 1,
    )


@cache
def _digits_of(shape: Shape) -> int:
    """Bit mask of the digits admitting ``shape`` (a few dozen shapes occur)."""
    return sum(1 << i for i, digit in enumerate(DIGITS) if DIGIT_SHAPES[digit].admits(shape))


#: Patterns kept: a cell of a panel drawn a dot off tries its readings with each of its
#: 35 dots switched (``admitted``'s ``drawn_off``), up to a few hundred patterns a cell.
@lru_cache(maxsize=1 << 16)
def _admitted(pattern: int) -> int:
    """Bit mask of the digits whose shape a 7×5 pattern of lit dots has (bit ``i`` of
    ``pattern``: dot ``i`` in row order; every digit when it has no shape)."""
    shape = _shape_bits(pattern)
    if shape is None:
        return EVERY_DIGIT
    return _digits_of(shape)


def admitted(
    cell: npt.NDArray[np.float64], band: float | None = None, drawn_off: bool = False
) -> frozenset[str]:
    """The digits one cell's 35 sampled dots (0 = background, 1 = on) may be by shape:
    those admitting the shape of at least one reading of its uncertain dots, within
    ``band`` of 0.5 (``Settings.shape_uncertain_band`` when None; every digit when
    there are too many of them). ``drawn_off``: the glyph may also be drawn one dot
    otherwise than its design (a ROM a dot off the templates, a dead dot): every
    reading with any one dot switched counts too."""
    dots = np.asarray(cell, dtype=np.float64).reshape(-1)
    width = SETTINGS.shape_uncertain_band if band is None else band
    unsure = [int(i) for i in np.flatnonzero(np.abs(dots - 0.5) < width)]
    if len(unsure) > SETTINGS.shape_max_uncertain:
        return frozenset(DIGITS)
    sure = sum(1 << int(i) for i in np.flatnonzero(dots >= 0.5) if int(i) not in unsure)
    switches = (0, *(1 << i for i in range(len(dots)))) if drawn_off else (0,)
    mask = 0
    for flips in itertools.product((0, 1), repeat=len(unsure)):
        reading = sure | sum(bit << i for bit, i in zip(flips, unsure, strict=True))
        for switch in switches:
            mask |= _admitted(reading ^ switch)
            if mask == EVERY_DIGIT:  # nothing left to rule out
                return frozenset(DIGITS)
    return frozenset(digit for i, digit in enumerate(DIGITS) if mask >> i & 1)


def shape_ruled_out(
    cells: npt.NDArray[np.float64], band: float | None = None, drawn_off: bool = False
) -> npt.NDArray[np.bool_]:
    """(N, 10) the digits each cell (N, 35) cannot be by its shape (:func:`admitted`,
    dots within ``band`` of 0.5 uncertain; ``drawn_off``: any one dot may be drawn
    otherwise)."""
    out = np.zeros((len(cells), len(DIGITS)), dtype=np.bool_)
    for row, cell in enumerate(cells):
        allowed = admitted(cell, band, drawn_off)
        out[row] = [digit not in allowed for digit in DIGITS]
    return out


def speckled(cells: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """(N,) the cells (N, 35) with a dot surely lit (``Settings.shape_uncertain_band``
    over 0.5) none of whose eight neighbours may be lit (each surely dark, that band
    under 0.5): a speck of dust or a stuck dot, no stroke of a digit (no digit of any
    glyph set has such a dot, ``FONTS`` checked by the tests). A shape read through it
    is no evidence: an alternative ROM's open 4 with a stray dot between its stems'
    tops has a top cap, a 5's shape (held-out seed 113331, alt hard photo 4, ``08:14``
    read ``08:15`` confidently). Uncertain dots (a pooled cell's 0.5) are no speck."""
    dots = np.asarray(cells, dtype=np.float64).reshape(-1, ROWS, COLS)
    band = SETTINGS.shape_uncertain_band
    lit = dots >= 0.5 + band
    padded = np.pad(dots > 0.5 - band, ((0, 0), (1, 1), (1, 1)))
    around = np.zeros(lit.shape, dtype=np.int_)
    for d_row, d_col in _EIGHT:
        around += padded[:, 1 + d_row : 1 + d_row + ROWS, 1 + d_col : 1 + d_col + COLS]
    out: npt.NDArray[np.bool_] = (lit & (around == 0)).any(axis=(1, 2))
    return out


#: Digit -> the outer columns of its ink every dot-matrix design of it draws as one
#: unbroken stroke (``L`` left, ``R`` right): a 6's spine, a 9's, both sides of a 0
#: (checked against every glyph set of :mod:`linkytool.ocr.font5x7`, any placement:
#: ``tests/ocr/test_confidence_seventh.py``). An 8 pinches both sides at its waist.
SPINES: dict[str, str] = {"0": "LR", "6": "L", "9": "R"}


def broken_spines(cells: npt.NDArray[np.float64], drawn_off: bool = False) -> npt.NDArray[np.bool_]:
    """(N, 10) the digits (:data:`SPINES`) each cell (N, 35) cannot be because an outer
    column of its ink is no spine in any reading of its uncertain dots (within
    ``Settings.shape_uncertain_band`` of 0.5): broken, a dot sampled surely dark
    between two surely lit ones, or too short, its longest possible stroke (the surely
    lit dots joined through uncertain ones) under half the height of the cell's surely
    lit ink; every column beyond it surely dark (the ink's edge, not a column inside
    the glyph).

    Blur adds ink, it does not remove it: it closes a 6's open top into an 8's upper
    loop, so two holes do not prove a cell is no 6 (:func:`~linkytool.ocr.dotmatrix.
    blur_closable`), but it does not darken a dot between two lit dots of a stroke. A
    cell read as an 8 whose left column is surely broken at its waist is no 6 and no 0,
    whatever lit its top (ocrV, tuning seed 138501: X11 8s whose runner-up 6 lay
    1.1-1.5 dots off, a pair two dots apart). Every design's spine spans half its ink's
    height or more (4 of 6 or 7 rows at least), so when the dot above a surely dark
    waist is uncertain (read dark, the column is a 2-dot stroke under the waist; read
    lit, it is broken) the cell is no 6 either (ocr37h, tuning seed 139501: X11 5x7
    hard photo 14, an 8 1.38 dots from a 6, the dot above its waist sampled 0.84).

    ``drawn_off`` (a panel drawn a dot off the templates, as :func:`admitted`'s): the
    column must be broken with any one sure dot switched too. Stop 41's report seed
    84731, tailed held out, hard photo 33: a variant ROM's 6 whose middle bar starts a
    column in (``.###.``) breaks its spine at the waist by one dot; read as an 8, its
    runner-up 6 (0.8 dot off) was ruled out, and ``30/10/26 16:54`` came back
    ``30/10/28 18:54``, sûr."""
    dots = np.asarray(cells, dtype=np.float64).reshape(-1, ROWS, COLS)
    band = SETTINGS.shape_uncertain_band
    lit, dark = dots >= 0.5 + band, dots <= 0.5 - band
    out = np.zeros((len(dots), len(DIGITS)), dtype=np.bool_)
    for row in range(len(dots)):
        for side in "LR":
            if _column_broken_however_drawn(lit[row], dark[row], side, drawn_off):
                for digit, sides in SPINES.items():
                    if side in sides:
                        out[row, DIGITS.index(digit)] = True
    return out


def _column_broken_however_drawn(
    lit: npt.NDArray[np.bool_], dark: npt.NDArray[np.bool_], side: str, drawn_off: bool
) -> bool:
    """:func:`_column_broken`, and with ``drawn_off`` in every reading with one sure dot
    switched (lit to dark or dark to lit) too."""
    if not _column_broken(lit, dark, side):
        return False
    if not drawn_off:
        return True
    for row, col in zip(*np.nonzero(lit | dark), strict=True):
        switched_lit, switched_dark = lit.copy(), dark.copy()
        switched_lit[row, col], switched_dark[row, col] = dark[row, col], lit[row, col]
        if not _column_broken(switched_lit, switched_dark, side):
            return False
    return True


def _column_broken(lit: npt.NDArray[np.bool_], dark: npt.NDArray[np.bool_], side: str) -> bool:
    """Whether the ink's outer column on ``side`` (``L`` or ``R``; the first column
    holding a surely lit dot, every column beyond it surely dark) is no spine in any
    reading of its uncertain dots: a surely dark dot between two surely lit ones, or
    its surely lit dots joined through uncertain ones, as far as they reach, span under
    half the rows of the cell's surely lit ink."""
    order = range(COLS) if side == "L" else range(COLS - 1, -1, -1)
    for col in order:
        if lit[:, col].any():
            rows = np.flatnonzero(lit[:, col])
            top, bottom = int(rows[0]), int(rows[-1])
            if dark[top : bottom + 1, col].any():
                return True
            if len(rows) < 2:  # one dot is no stroke: a speck, light from a neighbour
                return False
            # the longest stroke any reading gives: on through the uncertain dots around
            while top > 0 and not dark[top - 1, col]:
                top -= 1
            while bottom < ROWS - 1 and not dark[bottom + 1, col]:
                bottom += 1
            ink = np.flatnonzero(lit.any(axis=1))
            return 2 * (bottom - top + 1) < int(ink[-1] - ink[0] + 1)
        if not dark[:, col].all():
            return False
    return False


def pooled_dots(samples: npt.NDArray[np.float64], band: float | None = None) -> FloatArray:
    """The dots (N, 35) a cell's shape is read from, pooled over samplings (K, N, 35) of
    the same dots (the preprocessing variants sampled at the same place: another window,
    another channel): a dot sampled surely on (off) in one of them, within ``band`` of
    0.5 (``Settings.shape_uncertain_band`` when None) in none of the others, is on
    (off); sampled surely on in one and surely off in another, or surely in none, it is
    uncertain (0.5). A wider window's blur leaves a dot doubtful that a narrower one
    samples surely (tuning seed 12421: an HD44780 slashed 0 whose 5 px sampling allowed
    a 3 and a 6, its 3 px one only a 0); it adds no certainty one sampling lacks.
    """
    width = SETTINGS.shape_uncertain_band if band is None else band
    on = (samples - 0.5 >= width).any(axis=0)
    off = (0.5 - samples >= width).any(axis=0)
    out: FloatArray = np.where(on & ~off, 1.0, np.where(off & ~on, 0.0, 0.5))
    return out


def unsure_share(samples: npt.NDArray[np.float64]) -> float:
    """The share of dots sampled within ``Settings.shape_uncertain_band`` of 0.5 over
    the cells (..., 35) holding a dot over 0.5 (blank cells left out), 1.0 with no such
    cell: how blurred a sampling of a panel is. Blur spreads each lit dot's light over
    its neighbours, so a blur wide enough to close a loop (a pitch) leaves dots
    half-lit all over the panel; a sharp photo samples nearly every dot surely."""
    cells = np.asarray(samples, dtype=np.float64).reshape(-1, ROWS * COLS)
    inked = cells[cells.max(axis=1) > 0.5]
    if not len(inked):
        return 1.0
    return float((np.abs(inked - 0.5) < SETTINGS.shape_uncertain_band).mean())


__all__ = [
    "DIGIT_SHAPES",
    "MIN_INK_ROWS",
    "SPINES",
    "Allowed",
    "Shape",
    "admitted",
    "broken_spines",
    "pooled_dots",
    "shape_of",
    "shape_ruled_out",
    "speckled",
    "unsure_share",
]
