"""The LCD font for the synthetic-photo generator: :mod:`linkytool.ocr.font5x7` (the
reader's own glyph table, re-exported here) plus :func:`variant_rom`, which only the
generator needs."""

from __future__ import annotations

import numpy as np

from linkytool.ocr.font5x7 import (
    ALT,
    COLS,
    FONTS,
    HD44780,
    ROWS,
    Glyph,
    bits_of,
    font_rows,
    glyph_bits,
    supported,
)


def variant_rom(font: str, rng: np.random.Generator, rate: float = 0.5) -> dict[str, Glyph]:
    """Another plausible ROM: each glyph of ``font`` has one dot flipped with ``rate``.

    Models that the real Linky ROM is unknown: a reader whose templates are exactly
    :data:`FONTS` loses margin. Not part of :data:`FONTS` on purpose. In HD44780, alt and
    plain the closest characters differ by 3 dots, so one flip keeps every glyph nearer
    its own character and a person still reads it; X11 5x7, X11 5x8 and tailed draw 6
    and 8 (tailed also 8 and 9) 2 dots apart, and a flip of one of those dots leaves a
    glyph as near the other digit as its own, which no one reads for sure. At the hard
    level (a variant ROM with p 0.25, half its glyphs flipped, 2 of 35 dots per close
    pair) that is about 1 % of X11 photos' ROMs and 3 % of tailed ones
    (`devtools/ocr_variant_probe.py` names such look-alikes, stop 38). The draws are
    left as they are: the benchmark's photos stay the same from stop to stop.
    """
    glyphs = dict(FONTS[font])
    for char in sorted(glyphs):
        if char == " " or rng.random() >= rate:
            continue
        rows = [list(row) for row in glyphs[char]]
        row, col = int(rng.integers(0, ROWS)), int(rng.integers(0, COLS))
        rows[row][col] = "." if rows[row][col] == "#" else "#"
        glyphs[char] = tuple("".join(r) for r in rows)
    return glyphs


__all__ = [
    "ALT",
    "COLS",
    "FONTS",
    "HD44780",
    "ROWS",
    "Glyph",
    "bits_of",
    "font_rows",
    "glyph_bits",
    "supported",
    "variant_rom",
]
