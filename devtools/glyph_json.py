"""The glyph-set JSON file the extractors write into ``linkytool/ocr/fonts/``.

One glyph per line (readable in a diff), after a header naming the font, its source and
licence, the script that extracted it and the glyph height.
"""

from __future__ import annotations

import json
from pathlib import Path


def write_glyph_json(out: Path, header: dict[str, object], glyphs: dict[str, list[str]]) -> None:
    """Write ``out/<header["name"]>.json`` and say what was written."""
    lines = [f" {json.dumps(k)}: {json.dumps(v)}," for k, v in header.items()]
    body = [f"  {json.dumps(c)}: {json.dumps(rows)}" for c, rows in glyphs.items()]
    text = "{\n" + "\n".join(lines) + '\n "glyphs": {\n' + ",\n".join(body) + "\n }\n}\n"
    json.loads(text)  # a file the reader can load
    (out / f"{header['name']}.json").write_text(text, encoding="utf-8")
    print(f"{header['name']}: {len(glyphs)} glyphs, {header['rows']} rows")
