"""The Linky LCD's 5×7 dot-matrix character font, as data.

The Linky display is an upper-case alphanumeric dot-matrix LCD (2 lines × 16 characters of
5×7 dots). Its exact character ROM is not published; character LCD controllers almost all
ship the HD44780 "A00" ROM, so :data:`HD44780` reproduces those glyphs (rows top to bottom,
``#`` = dot on). :data:`ALT` is a second, plausible glyph set (plain ``0``, straight ``7``,
closed ``4``...) used on some synthetic photos so that a reader cannot overfit one ROM: a
reader may use both sets as templates.

Only the characters Linky screens need are defined: digits, upper-case letters, the
lower-case letters of units (``kWh``, ``kVA``) and a little punctuation.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

#: Glyph height and width [dots].
ROWS = 7
COLS = 5

Glyph = tuple[str, str, str, str, str, str, str]

_HD44780: dict[str, Glyph] = {
    " ": (".....", ".....", ".....", ".....", ".....", ".....", "....."),
    "0": (".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "2": (".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"),
    "3": ("#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."),
    "4": ("...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."),
    "5": ("#####", "#....", "####.", "....#", "....#", "#...#", ".###."),
    "6": ("..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."),
    "8": (".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."),
    "A": (".###.", "#...#", "#...#", "#...#", "#####", "#...#", "#...#"),
    "B": ("####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."),
    "C": (".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."),
    "D": ("###..", "#..#.", "#...#", "#...#", "#...#", "#..#.", "###.."),
    "E": ("#####", "#....", "#....", "####.", "#....", "#....", "#####"),
    "F": ("#####", "#....", "#....", "####.", "#....", "#....", "#...."),
    "G": (".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"),
    "H": ("#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "I": (".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."),
    "J": ("..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."),
    "K": ("#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"),
    "L": ("#....", "#....", "#....", "#....", "#....", "#....", "#####"),
    "M": ("#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"),
    "N": ("#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"),
    "O": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "P": ("####.", "#...#", "#...#", "####.", "#....", "#....", "#...."),
    "Q": (".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"),
    "R": ("####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"),
    "S": (".####", "#....", "#....", ".###.", "....#", "....#", "####."),
    "T": ("#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "U": ("#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "V": ("#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."),
    "W": ("#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."),
    "X": ("#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"),
    "Y": ("#...#", "#...#", "#...#", ".#.#.", "..#..", "..#..", "..#.."),
    "Z": ("#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"),
    "h": ("#....", "#....", "#.##.", "##..#", "#...#", "#...#", "#...#"),
    "k": ("#....", "#....", "#..#.", "#.#..", "##...", "#.#..", "#..#."),
    ":": (".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."),
    "/": (".....", "....#", "...#.", "..#..", ".#...", "#....", "....."),
    ".": (".....", ".....", ".....", ".....", ".....", ".##..", ".##.."),
    ",": (".....", ".....", ".....", ".....", ".##..", "..#..", ".#..."),
    "-": (".....", ".....", ".....", "#####", ".....", ".....", "....."),
    "+": (".....", "..#..", "..#..", "#####", "..#..", "..#..", "....."),
    "'": (".##..", "..#..", ".#...", ".....", ".....", ".....", "....."),
    "(": ("...#.", "..#..", ".#...", ".#...", ".#...", "..#..", "...#."),
    ")": (".#...", "..#..", "...#.", "...#.", "...#.", "..#..", ".#..."),
    "%": ("##...", "##..#", "...#.", "..#..", ".#...", "#..##", "...##"),
    "*": (".....", "..#..", "#.#.#", ".###.", "#.#.#", "..#..", "....."),
    "=": (".....", ".....", "#####", ".....", "#####", ".....", "....."),
}

_ALT_OVERRIDES: dict[str, Glyph] = {
    "0": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "1": ("..#..", ".##..", "#.#..", "..#..", "..#..", "..#..", "#####"),
    "3": (".###.", "#...#", "....#", "..##.", "....#", "#...#", ".###."),
    "4": ("#...#", "#...#", "#...#", "#####", "....#", "....#", "....#"),
    "6": (".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "...#.", "..#..", "..#..", "..#..", "..#.."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."),
    "M": ("#...#", "##.##", "#.#.#", "#...#", "#...#", "#...#", "#...#"),
}

#: The HD44780 A00 glyphs (the most likely Linky ROM).
HD44780: Mapping[str, Glyph] = MappingProxyType(_HD44780)
#: An alternative plausible glyph set (HD44780 with a few common variants).
ALT: Mapping[str, Glyph] = MappingProxyType({**_HD44780, **_ALT_OVERRIDES})
#: Glyph sets by name (the name is recorded in each photo's ground truth).
FONTS: Mapping[str, Mapping[str, Glyph]] = MappingProxyType({"hd44780": HD44780, "alt": ALT})


def bits_of(glyph: Glyph) -> npt.NDArray[np.bool_]:
    """The (7, 5) boolean dot matrix of a glyph given as rows of ``#``/``.``."""
    return np.array([[cell == "#" for cell in row] for row in glyph], dtype=np.bool_)


def variant_rom(font: str, rng: np.random.Generator, rate: float = 0.5) -> dict[str, Glyph]:
    """Another plausible ROM: each glyph of ``font`` has one dot flipped with ``rate``.

    Models that the real Linky ROM is unknown. One flip keeps every glyph nearer its own
    character than any other (the closest pairs differ by 3 dots), so a person still
    reads it, but a reader whose templates are exactly :data:`FONTS` loses margin. Not
    part of :data:`FONTS` on purpose.
    """
    glyphs = dict(FONTS[font])
    for char in sorted(glyphs):
        if char == " " or rng.random() >= rate:
            continue
        rows = [list(row) for row in glyphs[char]]
        row, col = int(rng.integers(0, ROWS)), int(rng.integers(0, COLS))
        rows[row][col] = "." if rows[row][col] == "#" else "#"
        joined = tuple("".join(r) for r in rows)
        glyphs[char] = (joined[0], joined[1], joined[2], joined[3], joined[4], joined[5], joined[6])
    return glyphs


def glyph_bits(char: str, font: str = "hd44780") -> npt.NDArray[np.bool_]:
    """The (7, 5) boolean dot matrix of ``char`` in glyph set ``font`` (True = dot on)."""
    try:
        glyph = FONTS[font][char]
    except KeyError as exc:
        raise ValueError(f"no 5×7 glyph for {char!r} in font {font!r}") from exc
    return bits_of(glyph)


def supported(text: str, font: str = "hd44780") -> bool:
    """Whether every character of ``text`` has a glyph in ``font``."""
    glyphs = FONTS[font]
    return all(char in glyphs for char in text)
