"""Structural evidence on digit cells (issue 13, ``linkytool.ocr.structure``).

The shape table must hold for every design the project knows, each feature is pinned on
hand-written cells (a tailed 6, a 5×8 cell, a half-lit dot, a cell shifted a column),
and the reader uses it one way: a runner-up the shape rules out is no runner-up
(``dotmatrix.panel_margins``, ``value_margin``). A nearest digit the shape rules out
does not withdraw confidence: that half withdrew right readings of damaged cells
(held-out seed 61483, docs/ocr.md) and prevented no wrong one.
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import numpy as np
import pytest

from linkytool.ocr import dotmatrix, read_photo, structure
from linkytool.ocr.dotmatrix import (
    DIGITS,
    CellRead,
    cell_windows,
    char_distances,
    shifted,
    unfamiliar_digits,
    use_template_fonts,
    value_margin,
)
from linkytool.ocr.font5x7 import FONTS, bits_of, glyph_bits
from linkytool.ocr.settings import SETTINGS
from linkytool.ocr.structure import DIGIT_SHAPES, Shape, admitted, shape_of, shape_ruled_out

from .conftest import bench_photo, switch_off_shapes

SHIPPED = SETTINGS.fonts if SETTINGS.fonts is not None else tuple(FONTS)
TITLE = [CellRead(c, 0.0, " ", 5.0) for c in "DATE"]


def _cell(rows: tuple[str, ...]) -> np.ndarray:
    return bits_of(rows).astype(np.float64).reshape(-1)


def _placements(font: str, digit: str) -> list[np.ndarray]:
    """Every way the grid may show the glyph: both 7-row windows of a 5×8 glyph, each
    also moved one dot in its cell."""
    out = []
    for window in cell_windows(glyph_bits(digit, font)):
        out.extend([window, *shifted(window)])
    return out


@pytest.mark.parametrize("font", list(FONTS))
def test_every_known_design_has_its_own_digits_shape_and_no_other(font: str) -> None:
    """Each digit of every glyph set (HD44780, alt, X11 5x7 and 5x8, Spleen, plain,
    tailed), in every placement, admits its own row of DIGIT_SHAPES and no other row:
    on clean dots the shape alone names the digit (no exception left)."""
    for digit in DIGITS:
        for bits in _placements(font, digit):
            assert admitted(bits.astype(np.float64)) == {digit}, (font, digit, shape_of(bits))


def test_the_table_has_one_row_per_digit() -> None:
    assert set(DIGIT_SHAPES) == set(DIGITS)


TAILED_6 = (".###.", "#...#", "#....", "####.", "#...#", "#...#", ".###.")
HD_8 = (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###.")


def test_a_tailed_6_has_one_low_hole_and_is_no_8() -> None:
    """1 dot from an 8 by template, but its upper loop is open: one low hole."""
    shape = shape_of(bits_of(TAILED_6))
    assert shape is not None and shape.holes == "L"
    assert admitted(_cell(TAILED_6)) == {"6"}
    assert shape_of(bits_of(HD_8)) == Shape("UL", False, True, True, True, True, True, False)


def test_a_slashed_0_has_one_tall_hole() -> None:
    """HD44780's slash splits the 0's inside in two halves touching at a corner: one
    hole (8-connected), not an 8's two stacked ones."""
    shape = shape_of(glyph_bits("0", "hd44780"))
    assert shape is not None and shape.holes == "T"


def test_a_5x8_cell_reads_the_same_shape_in_either_window() -> None:
    """An X11 5x8 9 (6 dots high, blank top and bottom rows) seen through either 7-row
    window: one upper hole, a bar, a left wall."""
    windows = cell_windows(glyph_bits("9", "x11_5x8"))
    assert len(windows) == 2
    shapes = {shape_of(window) for window in windows}
    assert len(shapes) == 1
    (shape,) = shapes
    assert shape is not None and (shape.holes, shape.bar, shape.left_wall) == ("U", True, True)


def test_a_cell_shifted_a_column_keeps_its_shape() -> None:
    bits = glyph_bits("4", "x11_5x7")  # 4 dots wide: room to move right
    moved = np.roll(bits, 1, axis=1)
    assert shape_of(moved) == shape_of(bits)
    assert admitted(moved.astype(np.float64)) == {"4"}


def test_a_half_lit_dot_may_be_either() -> None:
    """The dot that would close a tailed 6's upper loop sampled at 0.5: off it reads as
    a 6 (one low hole), on as an 8 (two): both stay possible. Sampled clearly off or on,
    one of them is ruled out."""
    cell = _cell(TAILED_6)
    cell[2 * 5 + 4] = 0.5  # row 2, right column
    assert admitted(cell) == {"6", "8"}
    cell[2 * 5 + 4] = 0.3 - SETTINGS.shape_uncertain_band / 2  # off, surely
    assert admitted(cell) == {"6"}
    cell[2 * 5 + 4] = 0.9
    assert admitted(cell) == {"8"}


def test_too_many_uncertain_dots_or_a_cut_glyph_rule_nothing_out() -> None:
    blurred = np.full(35, 0.5)
    assert admitted(blurred) == set(DIGITS)
    cut = _cell(HD_8).reshape(7, 5)
    cut[:2] = 0.0  # the grid caught 5 rows of the glyph
    assert shape_of(cut.astype(bool)) is None
    assert admitted(cut.reshape(-1)) == set(DIGITS)


def _digit_costs(cells: np.ndarray) -> np.ndarray:
    with use_template_fonts(SHIPPED):
        chars, distances = char_distances(cells, designs=True)
    return distances[:, [chars.index(d) for d in DIGITS]]


def test_a_lone_tailed_6_read_6_is_confident_by_its_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lone tailed 6 (no 8 elsewhere on the panel): its runner-up 8 is 1 dot away by
    template, but an 8 needs two holes. Without the shape the margin stays thin."""
    cells = np.stack([_cell(TAILED_6), _cell(glyph_bits_rows("2"))])
    costs = _digit_costs(cells)
    assert [DIGITS[i] for i in costs.argmin(axis=1)] == ["6", "2"]
    ordered = np.sort(costs, axis=1)
    assert ordered[0, 1] - ordered[0, 0] < SETTINGS.confident_margin
    assert value_margin(cells, costs, TITLE) >= SETTINGS.confident_margin
    switch_off_shapes(monkeypatch)
    assert value_margin(cells, costs, TITLE) < SETTINGS.confident_margin


def glyph_bits_rows(digit: str) -> tuple[str, ...]:
    """HD44780's glyph of ``digit`` as rows."""
    return tuple(FONTS["hd44780"][digit])


def test_the_shape_table_rules_out_by_row() -> None:
    cells = np.stack([_cell(TAILED_6), _cell(HD_8)])
    out = shape_ruled_out(cells)
    assert out.shape == (2, 10)
    assert [DIGITS[i] for i in np.flatnonzero(~out[0])] == ["6"]
    assert [DIGITS[i] for i in np.flatnonzero(~out[1])] == ["8"]
    assert structure.MIN_INK_ROWS == 6


def test_a_lone_flat_topped_3_is_familiar_by_its_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """HD44780's flat-topped 3 drawn once, HD44780 left out (nearest a 3, misfit 3.5,
    its next digit a 5 2.5 dots further): "à confirmer" by the unfamiliar-digits rule,
    until its shape (no bar, no left wall) rules the 5 out."""
    fonts = tuple(f for f in SHIPPED if f != "hd44780")
    cells = np.stack([cell_windows(glyph_bits(c, "hd44780"))[0].reshape(-1) for c in "2739"])
    with use_template_fonts(fonts):
        chars, distances = char_distances(cells.astype(np.float64), designs=True)
    costs = distances[:, [chars.index(d) for d in DIGITS]]
    assert [DIGITS[i] for i in costs.argmin(axis=1)] == list("2739")
    with use_template_fonts(fonts):  # the reader's sets (their sure dots too)
        assert not unfamiliar_digits(costs, TITLE, cells=cells.astype(np.float64))
        switch_off_shapes(monkeypatch)
        assert unfamiliar_digits(costs, TITLE, cells=cells.astype(np.float64))


@pytest.mark.parametrize(
    "case",
    [("tailed", 9, "2026-08-31T16:04"), ("hd44780", 5, "27715990683096")],
)
@pytest.mark.parametrize("shapes", [True, False])
def test_held_out_values_read_right_are_confident_by_their_shapes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[str, int, str], shapes: bool
) -> None:
    """Tuning seed 4242 (``bench/ocr_accuracy.py --font all --level normal --seed
    4242``), normal photos read right but "à confirmer" before the shapes: the tailed
    date's lone 6 (1 dot from an 8) and the HD44780 PRM's lone slashed 0 and
    flat-topped 3 (2.5 dots from an 8 and a 5), their font held out. Their shapes rule
    those runners-up out: confident and right. (The HD44780 PRM's own 5 and 8, fitting
    worse than the letters but clear of that misfit, now also rule them out as
    witnesses, ``dotmatrix.trusted_alone``: switched off too for the contrast.)"""
    font, index, truth = case
    if not shapes:
        switch_off_shapes(monkeypatch)
        familiar_witnesses = dataclasses.replace(SETTINGS, unfamiliar_margin_slack=np.inf)
        monkeypatch.setattr(dotmatrix, "SETTINGS", familiar_witnesses)
    path, value = bench_photo(tmp_path, font, "normal", index, 4242)
    assert value == truth
    with use_template_fonts(tuple(f for f in SHIPPED if f != font)):
        reading = read_photo(path)
    assert reading.value == truth
    assert reading.confident == shapes


def _reference_shape(lit: list[list[bool]]) -> Shape | None:
    """The shape of rows of lit dots, dot by dot with sets and a stack: the plain reading
    of :class:`Shape`'s definition the product's bit-mask version is checked against."""
    four = ((1, 0), (-1, 0), (0, 1), (0, -1))
    eight = (*four, (1, 1), (1, -1), (-1, 1), (-1, -1))

    def flood(
        free: set[tuple[int, int]], seeds: list[tuple[int, int]], steps: tuple[tuple[int, int], ...]
    ) -> set[tuple[int, int]]:
        seen = {seed for seed in seeds if seed in free}
        stack = list(seen)
        while stack:
            row, col = stack.pop()
            for d_row, d_col in steps:
                step = (row + d_row, col + d_col)
                if step in free and step not in seen:
                    seen.add(step)
                    stack.append(step)
        return seen

    rows, cols = len(lit), len(lit[0])
    ink_rows = [r for r in range(rows) if any(lit[r])]
    if not ink_rows or ink_rows[-1] - ink_rows[0] + 1 < structure.MIN_INK_ROWS:
        return None
    ink_cols = [c for c in range(cols) if any(lit[r][c] for r in range(rows))]
    top, bottom, left, right = ink_rows[0], ink_rows[-1], ink_cols[0], ink_cols[-1]
    free = {(r, c) for r in range(rows) for c in range(cols) if not lit[r][c]}
    border = [(r, c) for r, c in free if r in (0, rows - 1) or c in (0, cols - 1)]
    inside = free - flood(free, border, four)
    found: list[tuple[int, str]] = []
    while inside:
        hole = flood(inside, [min(inside)], eight)
        inside -= hole
        hole_rows = [r for r, _ in hole]
        high, low = min(hole_rows), max(hole_rows)
        tall = low - high + 1 >= (bottom - top + 1) / 2
        upper = sum(hole_rows) / len(hole_rows) - top < (bottom - top) / 2
        found.append((high, "T" if tall else "U" if upper else "L"))
    width = right - left + 1
    cap = max(2, width - 2)

    def stroke(row: list[bool]) -> int:
        """Lit dots of the longest stroke: a piece of the row between dark dots, or two
        such pieces one dark dot apart."""
        pieces = "".join("#" if on else "." for on in row).split(".")
        joined = [a + b for a, b in itertools.pairwise(pieces)]
        return max(len(piece) for piece in pieces + joined)

    return Shape(
        holes="".join(kind for _, kind in sorted(found)),
        bar=any(sum(lit[row]) >= max(3, width - 1) for row in range(top + 1, bottom)),
        left_wall=lit[top + 1][left] and lit[top + 2][left],
        right_wall=lit[bottom - 2][right] and lit[bottom - 1][right],
        top_cap=stroke(lit[top]) >= cap,
        bottom_cap=stroke(lit[bottom]) >= cap,
        wide=width >= structure.WIDE_COLS,
        bottom_point=sum(lit[bottom]) == 1,
    )


def _lit(pattern: int) -> list[list[bool]]:
    cols, rows = structure.COLS, structure.ROWS
    return [[bool(pattern >> (r * cols + c) & 1) for c in range(cols)] for r in range(rows)]


def test_shape_on_bit_masks_is_the_shape_on_dots() -> None:
    """The product's bit-mask shape (speedR) is the dot-by-dot one's, on every 7-row
    digit of every set with any one dot switched, and on random patterns (with and
    without holes)."""
    switches = [0, *(1 << i for i in range(structure.ROWS * structure.COLS))]
    patterns: set[int] = set()
    for font in FONTS.values():
        for char, glyph in font.items():
            dots = bits_of(glyph)
            if char not in structure.DIGITS or dots.shape != (structure.ROWS, structure.COLS):
                continue
            base = sum(1 << i for i, on in enumerate(dots.reshape(-1)) if on)
            patterns.update(base ^ switch for switch in switches)
    rng = np.random.default_rng(131000)
    for density in (0.25, 0.5, 0.75):
        draws = rng.random((1500, structure.ROWS * structure.COLS)) < density
        patterns.update(int(sum(1 << i for i in np.flatnonzero(row))) for row in draws)
    for pattern in patterns:
        assert structure._shape_bits(pattern) == _reference_shape(_lit(pattern)), pattern
