"""Extract the X11 misc-fixed 5x7 / 5x8 glyphs the Linky screens need into the reader's data.

Development tool: it wrote ``linkytool/ocr/fonts/x11_5x7.json`` and ``x11_5x8.json``, which
are committed (the product never reads a system font). To redo it::

    apt-get download xfonts-base            # Debian package, public-domain misc-fixed fonts
    dpkg-deb -x xfonts-base_*.deb xfonts
    .venv/bin/python devtools/extract_x11_glyphs.py xfonts/usr/share/fonts/X11/misc \\
        linkytool/ocr/fonts

Each glyph is the font's full character cell (5 columns, 7 or 8 rows: ascent + descent),
``#`` = pixel on, for every character of the HD44780 table (the characters Linky screens
use). The files name their source package, file and licence.
"""

from __future__ import annotations

import argparse
import gzip
import io
import subprocess
import sys
from pathlib import Path

from PIL import PcfFontFile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "devtools"))

from glyph_json import write_glyph_json  # noqa: E402

from linkytool.ocr.font5x7 import HD44780  # noqa: E402

#: Fonts extracted: (output name, PCF file in the misc fonts folder).
SOURCES = (("x11_5x7", "5x7.pcf.gz"), ("x11_5x8", "5x8.pcf.gz"))
LICENCE = 'public domain (font-misc-misc COPYING: "Public domain font.  Share and enjoy.")'


def _package_version() -> str:
    """The installed or downloaded xfonts-base version, for the provenance note."""
    found = subprocess.run(
        ["dpkg-query", "-W", "-f=${Version}", "xfonts-base"],
        capture_output=True,
        text=True,
        check=False,
    )
    return found.stdout.strip() or "1:1.0.5+nmu1"


def extract(pcf_gz: Path) -> tuple[dict[str, object], dict[str, list[str]]]:
    """(properties, glyph rows by character) of one PCF font."""
    font = PcfFontFile.PcfFontFile(io.BytesIO(gzip.decompress(pcf_gz.read_bytes())), "iso8859-1")
    properties = font._load_properties()  # the FONT name
    boxes = [glyph[1] for glyph in font.glyph if glyph is not None]
    ascent = max(-box[1] for box in boxes)
    descent = max(box[3] for box in boxes)
    rows = ascent + descent
    glyphs: dict[str, list[str]] = {}
    for char in HD44780:
        if char == " ":
            glyphs[char] = ["....."] * rows
            continue
        _, dst, _, image = font.glyph[ord(char)]
        cell = [["."] * 5 for _ in range(rows)]
        for y in range(image.size[1]):
            for x in range(image.size[0]):
                if image.getpixel((x, y)):
                    cell[ascent + dst[1] + y][dst[0] + x] = "#"
        glyphs[char] = ["".join(row) for row in cell]
    return properties, glyphs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("misc", type=Path, help="folder holding 5x7.pcf.gz and 5x8.pcf.gz")
    parser.add_argument("out", type=Path, help="where to write the JSON files")
    args = parser.parse_args()
    version = _package_version()
    for name, filename in SOURCES:
        properties, glyphs = extract(args.misc / filename)
        header = {
            "name": name,
            "font": properties[b"FONT"].decode(),
            "source": f"Debian package xfonts-base {version}, "
            f"/usr/share/fonts/X11/misc/{filename} (upstream: xorg font-misc-misc)",
            "licence": LICENCE,
            "extracted_by": "devtools/extract_x11_glyphs.py",
            "rows": len(next(iter(glyphs.values()))),
        }
        write_glyph_json(args.out, header, glyphs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
