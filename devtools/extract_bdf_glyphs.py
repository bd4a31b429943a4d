"""Extract the glyphs the Linky screens need from a BDF bitmap font into the reader's data.

Development tool: it wrote ``linkytool/ocr/fonts/spleen_5x8.json``, which is committed (the
product never reads a font file). To redo it (Spleen 5x8 1.9.1, BSD-2-Clause, Frederic
Cambus; the copy shipped in u8g2's ``tools/font/bdf/spleen-5x8.bdf``, or upstream
``spleen-5x8.bdf`` from https://github.com/fcambus/spleen)::

    .venv/bin/python devtools/extract_bdf_glyphs.py spleen-5x8.bdf spleen_5x8 \\
        "BSD-2-Clause (Spleen: Copyright (c) 2018-2022, Frederic Cambus)" \\
        "u8g2 tools/font/bdf/spleen-5x8.bdf (olikraus/u8g2 ab9e48b2), Spleen 1.9.1" \\
        linkytool/ocr/fonts

Each glyph is the font's full character cell (FONTBOUNDINGBOX: 5 columns, ascent + descent
rows), ``#`` = pixel on, for every character of the HD44780 table the font has (the
characters Linky screens use). The file names its source and licence.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "devtools"))

from glyph_json import write_glyph_json  # noqa: E402

from linkytool.ocr.font5x7 import COLS, HD44780  # noqa: E402


def parse_bdf(text: str) -> tuple[dict[str, str], dict[int, list[str]]]:
    """(properties, glyph rows by code point) of a BDF font, each glyph drawn in the
    font's bounding box (``#`` = pixel on)."""
    properties: dict[str, str] = {}
    glyphs: dict[int, list[str]] = {}
    lines = iter(text.splitlines())
    box_w = box_h = box_x = box_y = 0
    code = -1
    bbx = (0, 0, 0, 0)
    for line in lines:
        key, _, rest = line.partition(" ")
        if key == "FONTBOUNDINGBOX":
            box_w, box_h, box_x, box_y = map(int, rest.split())
        elif key in ("FONT", "COPYRIGHT", "FONT_ASCENT", "FONT_DESCENT"):
            properties[key] = rest.strip().strip('"')
        elif key == "ENCODING":
            code = int(rest.split()[0])
        elif key == "BBX":
            w, h, x, y = map(int, rest.split())
            bbx = (w, h, x, y)
        elif key == "BITMAP":
            rows = []
            for row in lines:
                if row.startswith("ENDCHAR"):
                    break
                rows.append(row.strip())
            w, h, x, y = bbx
            cell = [["."] * box_w for _ in range(box_h)]
            top = (box_h + box_y) - (h + y)  # rows from the box's top to the glyph's
            for r, hexrow in enumerate(rows):
                bits = int(hexrow, 16)
                width = 4 * len(hexrow)
                for c in range(w):
                    if bits >> (width - 1 - c) & 1:
                        cell[top + r][x - box_x + c] = "#"
            glyphs[code] = ["".join(row) for row in cell]
    return properties, glyphs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bdf", type=Path, help="the BDF font file")
    parser.add_argument("name", help="glyph set name (output file fonts/<name>.json)")
    parser.add_argument("licence", help="licence note recorded in the file")
    parser.add_argument("source", help="where the BDF file came from")
    parser.add_argument("out", type=Path, help="where to write the JSON file")
    args = parser.parse_args()
    properties, found = parse_bdf(args.bdf.read_text(encoding="latin-1"))
    glyphs = {char: found[ord(char)] for char in HD44780 if ord(char) in found}
    widths = {len(rows[0]) for rows in glyphs.values()}
    if widths != {COLS}:
        raise SystemExit(f"{args.bdf}: glyph cells {widths} columns wide, expected {COLS}")
    header = {
        "name": args.name,
        "font": properties["FONT"],
        "source": args.source,
        "licence": args.licence,
        "extracted_by": "devtools/extract_bdf_glyphs.py",
        "rows": len(next(iter(glyphs.values()))),
    }
    write_glyph_json(args.out, header, glyphs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
