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
