"""The Linky LCD's 5×7 dot-matrix character fonts, as data.

The Linky display is an upper-case alphanumeric dot-matrix LCD (2 lines × 16 characters of
5×7 dots). Its exact character ROM is not published; character LCD controllers almost all
ship the HD44780 "A00" ROM, so :data:`HD44780` reproduces those glyphs (rows top to bottom,
``#`` = dot on). The other sets are plausible designs a reader must not overfit:

* ``alt``: HD44780 with a few common variants (plain ``0``, straight ``7``, open ``4``);
* ``x11_5x7``, ``x11_5x8``: the X11 misc-fixed 5x7 and 5x8 fonts (public domain, from
  Debian's ``xfonts-base``; narrow 4-dot glyphs, the 5x8 one in a cell of 8 rows), read
  from ``fonts/*.json`` which name their source and licence;
* ``spleen_5x8``: the digits of Spleen 5x8 (BSD-2-Clause, Frederic Cambus; a narrow
  design of its own: round 3, open 4), from ``fonts/spleen_5x8.json``, a template set
  only (the benchmark does not draw photos with it);
* ``plain``: a ``1`` without base, open ``4``, straight ``7``, ``6``/``9`` without tails;
* ``tailed``: a flagged ``1`` without base, ``6``/``9`` with closed hooks, a serif ``7``.

A glyph has 7 rows, or 8 for a 5×8 font (the last one is the underline/descender row).

This table is product data (the reader's templates); the synthetic-photo generator
(:mod:`ocrsynth` in devtools/, a development tool) draws with it too, never the reverse.

Only the characters Linky screens need are defined: digits, upper-case letters, the
lower-case letters of units (``kWh``, ``kVA``) and a little punctuation.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

#: Glyph height and width [dots] (a 5×8 font adds an underline row below the 7).
ROWS = 7
COLS = 5

#: Rows of ``#`` (dot on) and ``.``, top to bottom: 7, or 8 for a 5×8 font.
Glyph = tuple[str, ...]

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

#: Digit designs other than HD44780's (the letters stay HD44780's).
_PLAIN_OVERRIDES: dict[str, Glyph] = {
    "0": (".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."),
    "1": ("..#..", ".##..", "..#..", "..#..", "..#..", "..#..", "..#.."),
    "4": ("#....", "#....", "#..#.", "#..#.", "#####", "...#.", "...#."),
    "6": ("#....", "#....", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "....#", "....#", "...#.", "..#..", "..#..", "..#.."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "....#", "....#"),
}
_TAILED_OVERRIDES: dict[str, Glyph] = {
    "1": ("..#..", ".##..", "#.#..", "..#..", "..#..", "..#..", "..#.."),
    "2": (".###.", "#...#", "....#", "..##.", ".#...", "#....", "#####"),
    "3": (".###.", "#...#", "....#", "..##.", "....#", "#...#", ".###."),
    "5": ("#####", "#....", "#....", "####.", "....#", "#...#", ".###."),
    "6": (".###.", "#...#", "#....", "####.", "#...#", "#...#", ".###."),
    "7": ("#####", "#...#", "....#", "...#.", "..#..", "..#..", "..#.."),
    "9": (".###.", "#...#", "#...#", ".####", "....#", "#...#", ".###."),
}


def _load_json_font(name: str, keep: str | None = None) -> Mapping[str, Glyph]:
    """Glyphs of ``fonts/<name>.json`` (extracted by ``devtools/extract_*_glyphs.py``),
    only the characters of ``keep`` when given."""
    text = resources.files("linkytool.ocr").joinpath("fonts", f"{name}.json").read_text("utf-8")
    glyphs = json.loads(text)["glyphs"]
    return MappingProxyType(
        {char: tuple(rows) for char, rows in glyphs.items() if keep is None or char in keep}
    )


#: The characters a set lends only its digit designs with: its blank and digits (Spleen's
#: narrow letters fit noise as title words: "74L" spotted as TIC).
DIGITS_AND_BLANK = " 0123456789"


#: The HD44780 A00 glyphs (the most likely Linky ROM).
HD44780: Mapping[str, Glyph] = MappingProxyType(_HD44780)
#: An alternative plausible glyph set (HD44780 with a few common variants).
ALT: Mapping[str, Glyph] = MappingProxyType({**_HD44780, **_ALT_OVERRIDES})
#: Glyph sets by name (the name is recorded in each photo's ground truth).
FONTS: Mapping[str, Mapping[str, Glyph]] = MappingProxyType(
    {
        "hd44780": HD44780,
        "alt": ALT,
        "x11_5x7": _load_json_font("x11_5x7"),
        "x11_5x8": _load_json_font("x11_5x8"),
        "spleen_5x8": _load_json_font("spleen_5x8", DIGITS_AND_BLANK),
        "plain": MappingProxyType({**_HD44780, **_PLAIN_OVERRIDES}),
        "tailed": MappingProxyType({**_HD44780, **_TAILED_OVERRIDES}),
    }
)


def font_rows(font: str) -> int:
    """Rows of the glyph set's cell: 7, or 8 for a 5×8 font [dots]."""
    return len(FONTS[font]["0"])


def bits_of(glyph: Glyph) -> npt.NDArray[np.bool_]:
    """The (rows, 5) boolean dot matrix of a glyph given as rows of ``#``/``.``."""
    return np.array([[cell == "#" for cell in row] for row in glyph], dtype=np.bool_)


def glyph_bits(char: str, font: str = "hd44780") -> npt.NDArray[np.bool_]:
    """The (rows, 5) boolean dot matrix of ``char`` in glyph set ``font`` (True = dot on;
    7 rows, 8 for a 5×8 font)."""
    try:
        glyph = FONTS[font][char]
    except KeyError as exc:
        raise ValueError(f"no 5×7 glyph for {char!r} in font {font!r}") from exc
    return bits_of(glyph)


def supported(text: str, font: str = "hd44780") -> bool:
    """Whether every character of ``text`` has a glyph in ``font``."""
    glyphs = FONTS[font]
    return all(char in glyphs for char in text)
