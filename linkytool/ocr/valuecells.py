"""The value's cells: the screen's lines as the grammar reads them, and their digit costs.

Cells of a number lean to digits (:func:`value_lines`: "3OOO2" -> "30002", an open 4
read H -> 4, the panel agreeing); a PRM or a date that does not parse is retried with
stray cells blanked (:data:`TRIMS`, a guess when letters go). The grammar returns the
value's digit cells as (line, column); :func:`digit_costs` gives their distance to
each digit, which the grammar re-decides among.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from linkytool.ocr.dotmatrix import (
    DIGITS,
    CellRead,
    FloatArray,
    FontSet,
    char_distances,
    letters_fit,
    margins_among,
    number_digits,
    panel_drawn_off,
    reconsidered,
    rom_fonts,
    shape_read,
    value_margin,
    vouched_digits,
)
from linkytool.ocr.fields import fold_digits, same_length_upper
from linkytool.ocr.grammar import ScreenMatch, number_token, parse_screen
from linkytool.ocr.imaging import median
from linkytool.ocr.indexes import unit_cells
from linkytool.ocr.panel import PanelRead
from linkytool.ocr.rectify import CHARS
from linkytool.ocr.result import ScreenKind
from linkytool.ocr.settings import SETTINGS

#: Screens whose value has a fixed layout (14 digits, a date): stray cells may be trimmed.
GRAMMAR_EXCLUSIVE_KINDS = (ScreenKind.PRM, ScreenKind.DATE)

Cell = tuple[int, int]


def cell_index(cell: Cell) -> int:
    """Cell number (0..31) of a (line, column) cell."""
    line, column = cell
    return line * CHARS + column


def _is_mark(char: str) -> bool:
    """A cell read as a stray mark (dot, quote, dash...): neither a letter, a digit, a
    blank nor a date/time separator."""
    return not char.isalnum() and char not in " /:"


def _is_not_digit(char: str) -> bool:
    """A cell read as a letter or a mark (not a digit, a blank or a separator)."""
    return not char.isdigit() and char not in " /:"


#: Retries of a fixed-length value's parse: (cells blanked, anywhere in a token rather
#: than at its ends, result is only a guess). Marks glued to a PRM or a date are noise;
#: letters may be too, and marks inside a token ("40**21/12/2027"), but a letter or an
#: inner mark may also be a misread digit, so those readings are never confident. Never
#: for an index: a mark there may be a blurred digit, and dropping it would shorten it.
TRIMS: tuple[tuple[Callable[[str], bool], bool, bool], ...] = (
    (_is_mark, False, False),
    (_is_not_digit, False, True),
    (_is_mark, True, True),
)


def mark_glued_before(lines: Sequence[str], match: ScreenMatch) -> bool:
    """A stray mark glued before the number (``(97kWh``): it may be a digit of it that
    fits no template (a held-out design's blurred 4 read as "(": 97 for 497)."""
    if not match.cells:
        return False
    line, column = min(match.cells)
    before = lines[line][column - 1] if column > 0 else " "
    return not before.isspace() and _is_mark(before)


#: A colon opening or closing a number's token separates nothing (a time's colon
#: stands between its digits): it is one of the number's cells, a digit if it fits one
#: (tuning seed 105012, X11 5x8 hard photo 77: the blurred X11 1 of "14/03/2025" read
#: ":", so no date).
_EDGE_COLON_IS_A_CELL = True


def number_cells(raw: list[str], trim: Callable[[str], bool] | None) -> tuple[list[str], list[int]]:
    """(``raw``, ``trim``'s cells blanked at both ends of each token; the cells of the
    numbers but "/" and ":", a colon at a token's edge kept: :data:`_EDGE_COLON_IS_A_CELL`):
    tokens holding a digit, before the unit or laid out as a
    time (:func:`number_token`)."""
    chars = list(raw)
    numbers: list[int] = []
    for token in re.finditer(r"[^ ]+", "".join(raw)):
        start, end = token.span()
        # a noise cell glued to a number is not one of its digits
        while trim is not None and start < end and trim(raw[start]):
            chars[start] = " "
            start += 1
        while trim is not None and end > start and trim(raw[end - 1]):
            end -= 1
            chars[end] = " "
        word = "".join(raw[start:end])
        if number_token(word, "".join(raw[end:])):
            # the unit's W and h ending the token are no digits of it ("000005AWh": an
            # h turned 4 beside a k read 4 by its shape lost the value)
            last = end - 2 if word[-2:].upper() == "WH" and len(word) > 2 else end
            edges = (start, last - 1) if _EDGE_COLON_IS_A_CELL else ()
            numbers.extend(
                i
                for i in range(start, last)
                if raw[i] not in "/:" or (raw[i] == ":" and i in edges)
            )
    return chars, numbers


def _inside_number(chars: Sequence[str], index: int) -> bool:
    """Whether cell ``index`` of a line (``chars``) lies between two cells of its token
    read as digits or digit look-alikes (:func:`~linkytool.ocr.fields.fold_digits`), or
    after one and right before the blank before the unit (the index screen draws its
    number, one blank, then ``kWh``: that cell is the number's last digit): a value's
    digit cell, never its edge (a unit's k, a noise cell glued to it)."""

    def digit_towards(step: int) -> bool:
        at = index + step
        while 0 <= at < len(chars) and not chars[at].isspace():
            if fold_digits(chars[at]).isdigit():
                return True
            at += step
        return False

    after = index + 1
    text = same_length_upper("".join(chars))
    last = after < len(chars) and chars[after].isspace() and bool(unit_cells(text, after))
    return digit_towards(-1) and (last or digit_towards(1))


def _biased_lines(
    read: PanelRead,
    lines: Sequence[int],
    trim: Callable[[str], bool] | None = None,
    everywhere: bool = False,
) -> list[str]:
    """``lines`` with the cells of their numbers read as digits where they are close to
    one, or where no template explains them and their shape is one digit's, the panel
    agreeing (:func:`number_digits`, over every number of these lines): "3OOO2" ->
    "30002", an open 4 read H -> 4; other tokens stay words ("HEURE" keeps its H).
    Cells for which ``trim`` is true are first blanked at both ends of each token
    (``everywhere``: wherever they are)."""
    texts: list[list[str]] = []
    where: list[tuple[int, int]] = []
    for at, line in enumerate(lines):
        raw = [cell.char for cell in read.lines[line]]
        if trim is not None and everywhere:
            raw = [" " if trim(c) else c for c in raw]
        chars, numbers = number_cells(raw, trim)
        texts.append(chars)
        where.extend((at, index) for index in numbers)
    if where:
        cells = np.stack([read.grid.cells[lines[at]][index] for at, index in where])
        numbers_read = [read.lines[lines[at]][index] for at, index in where]
        shapes = np.stack([read.shape_dots[lines[at]][index] for at, index in where])
        inside = np.array([_inside_number(texts[at], index) for at, index in where])
        digits = number_digits(cells, numbers_read, read.lines[0], read.font, shapes, inside=inside)
        for (at, index), digit in zip(where, digits, strict=True):
            if digit is not None:
                texts[at][index] = digit
    return ["".join(chars) for chars in texts]


def value_lines(
    read: PanelRead,
    kind: ScreenKind,
    trim: Callable[[str], bool] | None = None,
    everywhere: bool = False,
) -> list[str]:
    """The screen's two lines the value is parsed from: line 2, or both for the date.

    Some date screens show the date after the title and the time on line 2
    ("DATE 01/08/2026" / "HEURE 16:34"); titles of the other screens hold no digits
    and are left blank (a title "I" must not become a "1").
    """
    if kind is ScreenKind.DATE:
        return _biased_lines(read, (0, 1), trim, everywhere)
    return [" " * CHARS, _biased_lines(read, (1,), trim, everywhere)[0]]


def parse_read(read: PanelRead, kind: ScreenKind) -> tuple[list[str], ScreenMatch | None]:
    """(value lines, match) of one variant's cells; retries with trimmed tokens."""
    lines = value_lines(read, kind)
    match = parse_screen(kind, lines)
    if kind not in GRAMMAR_EXCLUSIVE_KINDS:
        return lines, match
    for trim, everywhere, guess in TRIMS:
        if match is not None and not match.repaired:
            break
        trimmed_lines = value_lines(read, kind, trim, everywhere)
        trimmed = parse_screen(kind, trimmed_lines)
        if trimmed is None:
            continue
        trimmed = replace(
            trimmed, repaired=trimmed.repaired or guess, rule=f"{trimmed.rule}, trimmed"
        )
        if match is None or not trimmed.repaired:
            lines, match = trimmed_lines, trimmed
    if kind is ScreenKind.DATE and match is not None and match.repaired:
        quiet = _faint_cells_blank(read, lines, match.cells)
        again = parse_screen(kind, quiet)
        if again is not None and not again.repaired and again.cells == match.cells:
            return quiet, replace(again, rule=f"{again.rule}, faint cells blank")
    return lines, match


def _faint_cells_blank(read: PanelRead, lines: Sequence[str], cells: Sequence[Cell]) -> list[str]:
    """``lines`` (both panel lines) with the cells outside ``cells``, up to the line the
    date ends on, whose ink contrast is under ``Settings.blank_ink_share`` of the
    median of ``cells``' blanked: a blank cell's noise normalised into a glyph, not an
    unread time or a number left out (tuning seed 130003, dates of photos 5, 22 and 27
    of every font: "DATE        7770" / "10/04/2025  0480", cells at 0.15-0.25 of the
    date's ink). Not the next line: a glare dims lit digits to 0.4 of their neighbours'
    at most, so a time two cells after the date is not that much fainter, but a time
    on the next line may be (a shadow along the line). Nor cells glued to the date: a
    year's last digits under a finger or dirt would leave a 2-digit year
    (``tests/ocr/test_hard_x11_exact.py``, "16/02/270BRM" stays a guess)."""
    ink = read.grid.ink
    if ink is None or not cells:
        return list(lines)
    floor = SETTINGS.blank_ink_share * median([float(ink[c]) for c in cells])
    end, last = max(cells)
    glued = re.match(r"[^ ]*", lines[end][last + 1 :])
    kept = {(end, last + 1 + i) for i in range(glued.end() if glued else 0)}
    return [
        "".join(
            " "
            if line <= end
            and (line, column) not in cells
            and (line, column) not in kept
            and ink[line, column] < floor
            else char
            for column, char in enumerate(text)
        )
        for line, text in enumerate(lines)
    ]


def with_digits(lines: Sequence[str], match: ScreenMatch, digits: str) -> list[str]:
    """``lines`` with the digit cells of ``match`` replaced by ``digits``."""
    chars = [list(line) for line in lines]
    for (line, column), digit in zip(match.cells, digits, strict=True):
        chars[line][column] = digit
    return ["".join(line) for line in chars]


def value_dots(read: PanelRead, cells: Sequence[Cell]) -> FloatArray:
    """The dots (len(cells), 35) of ``read``'s ``cells``, as sampled."""
    out: FloatArray = read.grid.cells.reshape(-1, 35)[[cell_index(c) for c in cells]]
    return out


@dataclass(frozen=True)
class DigitEvidence:
    """A value's digit cells as the doubts judge them (:func:`digit_costs`, and
    ``devtools/ocr_doubts.py``, which prints them)."""

    at: list[int]  # the cells' indexes in the panel's 32
    dots: FloatArray  # (n, 35) the samples the value is read on (:func:`value_dots`)
    shapes: FloatArray  # (n, 35) the samples the cells' shapes are read on
    costs: FloatArray  # (n, 10) distance [dots] to each digit's nearest design
    drawn_off: bool  # the panel's words drawn a dot off every template


def digit_evidence(read: PanelRead, cells: Sequence[Cell]) -> DigitEvidence:
    """:class:`DigitEvidence` of the value ``cells`` of ``read``."""
    at = [cell_index(c) for c in cells]
    chosen = value_dots(read, cells)
    chars, distances = char_distances(chosen, read.font, designs=True)
    return DigitEvidence(
        at,
        chosen,
        read.shape_dots.reshape(-1, 35)[at],
        distances[:, [chars.index(digit) for digit in DIGITS]],
        # a panel whose letters are drawn a dot off every template may draw its digits so
        panel_drawn_off(*_words_beside(read, at), read.font),
    )


def digit_costs(read: PanelRead, cells: Sequence[Cell]) -> tuple[FloatArray, bool, float]:
    """Distance [dots] of ``cells`` to each digit, (len(cells), 10), whether they are
    of a design the templates do not hold (both: :func:`reconsidered`), their
    smallest margin [dots] (:func:`value_margin`)."""
    evidence = digit_evidence(read, cells)
    chosen, shapes, costs = evidence.dots, evidence.shapes, evidence.costs
    drawn_off = evidence.drawn_off
    # the glyph sets the panel was matched to may lack this design: every set's nearest
    # digit must be the same one, or the reading leans on that choice (unless the cell's
    # shape alone reads it, the panel agreeing: dotmatrix.shape_read)
    elsewhere = _nearest_elsewhere(chosen, costs) if read.font is not None else None
    other_design = (
        elsewhere is not None
        and bool(elsewhere.any())  # the shapes are read only when a cell disagrees
        and bool((elsewhere & _unshaped(chosen, costs, read.lines[0], shapes)).any())
    )
    result, unfamiliar = reconsidered(
        chosen, costs, read.lines[0], drawn_off, shapes, sharp=read.sharp
    )
    margin = value_margin(chosen, result, read.lines[0], drawn_off, shapes, sharp=read.sharp)
    # judged only where it could decide: a margin under the confident one holds anyway
    judged = SETTINGS.rom_margin and read.font is None and margin >= SETTINGS.confident_margin
    rom = rom_fonts(read.grid.cells.reshape(-1, 35)) if judged else None
    if rom is not None:
        margin = min(margin, _rom_margin(evidence, rom, result, read))
    return result, unfamiliar or other_design, margin


def _rom_margin(
    evidence: DigitEvidence, rom: FontSet, result: FloatArray, read: PanelRead
) -> float:
    """The smallest margin [dots] of the digits read among every glyph set (``result``
    (N, 10), :func:`digit_costs`' costs) measured on the designs of the sets ``rom``
    alone (:func:`~linkytool.ocr.dotmatrix.rom_fonts`: the sets the panel's cells
    match), against the digits the panel and each cell's shape leave possible
    (:func:`~linkytool.ocr.dotmatrix.margins_among`); infinite without title letters.

    :func:`~linkytool.ocr.dotmatrix.detect_fonts` gives the matched sets up when a cell
    fits a left-out set's design far better (a ROM the templates lack mixes its
    neighbours' designs), and the cells are then read among every set: that cell's
    margin is then a design's the panel draws nowhere else. Which digit is read does
    not change; the matched sets' designs must also part it from every digit still
    possible, unless the panel vouches for its design (drawn twice alike:
    :func:`~linkytool.ocr.dotmatrix.vouched_digits`; seed 61483's HD44780 hard photo 4,
    ``test_heldout_fonts.py``, is sure only through it). A cell its shape alone reads
    is not exempt (lead, stop 53: that exemption decided nothing on the 92 pins nor on
    the ~700 photos of stop 52's report sets, where the margins it lifted were 10.8-18.8
    dots, far over any bound). Lead's safety seed 86532, X11 5x7
    (held out) hard photo 16 (pinned): the panel matches X11 5x8 alone, the index's 2
    (its bottom bar's middle dot unlit) is 2 dots nearer Spleen's hooked 7 (``####.``
    over ``#..#.``) than any X11 5x8 digit: ``000007`` sure (margin 2.50); among X11
    5x8 the 7 leads the 2 by 0.50."""
    letters = letters_fit(read.lines[0])
    if letters is None or not len(result):
        return float("inf")
    chars, among = char_distances(evidence.dots, rom, designs=True)
    # the panel's reconsidering (a digit read by its shape) moves both alike
    costs = among[:, [chars.index(digit) for digit in DIGITS]] + (result - evidence.costs)
    margins = margins_among(
        evidence.dots,
        result,
        costs,
        letters,
        drawn_off=evidence.drawn_off,
        shapes=evidence.shapes,
        sharp=read.sharp,
    )
    # a design drawn twice alike is the ROM's: the panel vouches for it (one ROM)
    exempt = vouched_digits(evidence.dots, result, letters, evidence.drawn_off, evidence.shapes)
    return float(np.where(exempt, np.inf, margins).min())


def _words_beside(read: PanelRead, value: Sequence[int]) -> tuple[FloatArray, list[CellRead]]:
    """The cells (N, 35) and readings of every cell of both lines but the ``value``'s
    (their indexes): the panel's words, whose letters tell a ROM drawn a dot otherwise
    (:func:`~linkytool.ocr.dotmatrix.panel_drawn_off`). A date split over two lines
    shows four title letters (``DATE``) and its ``HEURE`` on the second line: held-out
    seed 149901 (ocr48a), tailed camera hard photo 17, a variant ROM's 9 with its
    loop opened by one dot read 3, sure (``09:54`` read ``03:54``); one of ``DATE``'s
    letters is drawn a dot off every template, three of ``HEURE``'s."""
    every = read.grid.cells.reshape(-1, 35)
    shown = [cell for line in read.lines for cell in line]
    words = [i for i in range(len(shown)) if i not in value]
    return every[words], [shown[i] for i in words]


def _unshaped(
    cells: FloatArray, costs: FloatArray, title: Sequence[CellRead], shapes: FloatArray
) -> npt.NDArray[np.bool_]:
    """(N,) the digit cells (N, 35) their shape alone does not read
    (:func:`~linkytool.ocr.dotmatrix.shape_read`; all of them without enough title
    letters to compare with)."""
    letters = letters_fit(title)
    if letters is None:
        return np.ones(len(cells), dtype=np.bool_)
    out: npt.NDArray[np.bool_] = shape_read(cells, costs, letters, shapes) < 0
    return out


def _nearest_elsewhere(cells: FloatArray, costs: FloatArray) -> npt.NDArray[np.bool_]:
    """(N,) the digit cells (``cells`` (N, 35)) nearest another digit among every glyph
    set than among the sets the panel was matched to (``costs`` (N, 10) [dots]): a
    design the matched sets do not draw. Lead's sweep seed 85742, tailed hard photo
    46 (tailed held out, a variant ROM): the index's 5 (``####.`` over ``#....`` twice)
    nearest a 5 at 3.45 dots among every set, a 6 at 3.56 among the matched ones, was
    read ``609`` for ``509`` confidently (margin 5.7). :func:`digit_costs` leaves out a
    cell its shape reads: no template's guess (the alternative ROM's open 4,
    ``test_an_index_with_an_open_4_is_read_whole``)."""
    chars, everywhere = char_distances(cells, None, designs=True)
    every_costs = everywhere[:, [chars.index(digit) for digit in DIGITS]]
    out: npt.NDArray[np.bool_] = np.argmin(every_costs, axis=1) != np.argmin(costs, axis=1)
    return out


def ink_after(read: PanelRead, match: ScreenMatch) -> bool:
    """Whether a date read with a two-digit year and no time (``JJ/MM/AA``, a layout the
    screen shows) is followed, on its line, by a cell holding at least
    ``Settings.trailing_ink_share`` of the date's median ink contrast: the rest of a
    four-digit year a glare washed out (``15/04/2027`` read ``15/04/20``). A date with
    its time, or with four year digits, is whole whatever follows it (tuning seeds
    149862-149863: faint ink after such dates held 3 right readings, and a pinned one)."""
    ink = read.grid.ink
    if ink is None or len(match.groups) != 3 or match.groups[2] != 2:
        return False
    line, column = match.cells[-1]
    if column + 1 >= CHARS:
        return False
    levels = ink.reshape(-1)
    value = median([float(levels[cell_index(c)]) for c in match.cells])
    after = float(levels[cell_index((line, column + 1))])
    return after >= SETTINGS.trailing_ink_share * value


def faint_digit(read: PanelRead, match: ScreenMatch, kind: ScreenKind) -> bool:
    """True when a digit cell of ``match`` is much fainter (``Settings.faint_digit_share``)
    than the value's median, and for a PRM or a date also than the brighter digit beside
    it.

    A previous screen's residue beside a fixed-length value sits beside lit digits; a
    glare or a shadow dims a value's digits together (tuning seed 130001, PRMs of photos
    1, 12 and 18 of every font: ink falling smoothly to 0.45 of the median, 0.8 of the
    next cell). Not for an index, whose length is no check: noise cells glued before it
    in a glare's shade are as dim as its first digits (tuning seed 130002, X11 5x8 hard
    photo 4, ``BA.089264`` read 1089264)."""
    ink = read.grid.ink
    if ink is None or not match.cells:
        return False
    levels = [float(v) for v in ink.reshape(-1)[[cell_index(c) for c in match.cells]]]
    share = SETTINGS.faint_digit_share
    floor = share * median(levels)
    local = kind in GRAMMAR_EXCLUSIVE_KINDS
    return any(
        level < floor and (not local or level < share * max(levels[max(0, i - 1) : i + 2]))
        for i, level in enumerate(levels)
    )


__all__ = [
    "GRAMMAR_EXCLUSIVE_KINDS",
    "TRIMS",
    "cell_index",
    "digit_costs",
    "faint_digit",
    "mark_glued_before",
    "number_cells",
    "parse_read",
    "value_dots",
    "value_lines",
    "with_digits",
]
