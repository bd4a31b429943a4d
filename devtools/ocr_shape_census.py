"""Census of the shape table against one dot off every design (issue 13, stop 38).

Every dot of every digit of every glyph set (``linkytool.ocr.font5x7.FONTS``) is
switched in turn, and the crisp result's shape is judged by
``structure.admitted``: does it still admit its own digit (``ok``), no digit at all
(``none``: the shape then rules nothing out) or only other digits (``other``: the
shape table alone would read the glyph as another digit)? ``dead``: a lit dot switched
off; ``stuck``: a dark one lit. ``--list`` prints each ``other`` case (font, digit,
row, column, kind, the digits admitted): candidates for ``devtools/ocr_variant_probe.py``::

    .venv/bin/python devtools/ocr_shape_census.py [--list]

A developer tool: messages in English.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from linkytool.ocr.font5x7 import FONTS
from linkytool.ocr.structure import COLS, DIGITS, ROWS, admitted


def census() -> tuple[Counter[tuple[str, str]], list[tuple[str, str, int, int, str, str]]]:
    """Counts by (kind, verdict) and the ``other`` cases."""
    counts: Counter[tuple[str, str]] = Counter()
    others = []
    for font, glyphs in FONTS.items():
        for digit in DIGITS:
            design = [list(line) for line in glyphs[digit][:ROWS]]
            for row in range(ROWS):
                for col in range(COLS):
                    lit = design[row][col] == "#"
                    dots = np.array([[c == "#" for c in line] for line in design], np.float64)
                    dots[row, col] = 0.0 if lit else 1.0
                    shape = admitted(dots.reshape(-1))
                    kind = "dead" if lit else "stuck"
                    verdict = "ok" if digit in shape else "other" if shape else "none"
                    counts[kind, verdict] += 1
                    if verdict == "other":
                        others.append((font, digit, row, col, kind, "".join(sorted(shape))))
    return counts, others


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every 'other' case")
    args = parser.parse_args(argv)
    counts, others = census()
    for kind in ("dead", "stuck"):
        line = ", ".join(f"{v} {counts[kind, v]}" for v in ("ok", "none", "other"))
        print(f"{kind:5}: {line}")
    print(f"other in all: {len(others)}")
    if args.list:
        for case in others:
            print(*case)
    return 0


if __name__ == "__main__":
    sys.exit(main())
