"""A safety probe: one digit of a ROM drawn a dot off, the letters as the templates (issue 13).

The benchmark's variant ROM switches one dot in half the glyphs, letters included, so a
panel whose title letters show it is drawn a dot off (``dotmatrix.panel_drawn_off``)
is the common case there. A real ROM may match the templates' letters and draw one
digit otherwise; nothing on the panel then warns the reader. This probe draws exactly
that: the generator's variant ROM forced to ``FONT``'s glyphs with one dot of ``DIGIT``
switched (``ROW``, ``COL``), date, PRM and index screens, and reads each photo with
``FONT`` held out. It prints the values holding ``DIGIT``, how many were read
confidently and right, and every confident-wrong one::

    .venv/bin/python devtools/ocr_variant_probe.py alt 4 3 2 --level hard --seed 81902 \\
        --count 40 --workdir /tmp/probe-alt-4

Stop 37 found with it that ocrV's "a 4's bar is 4 dots side by side" read a 4 whose bar
lacked its middle dot as 5 or 1 confidently (docs/ocr.md). The photos are generated into
``--workdir`` once and reused. A developer tool: messages in English.
"""

from __future__ import annotations

import argparse
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "devtools")]

from linkytool.ocr import font5x7  # noqa: E402

SCENES = ("date", "prm", "injection_index")


def variant(font: str, digit: str, row: int, col: int) -> dict[str, font5x7.Glyph]:
    """``font``'s glyphs with the dot (``row``, ``col``) of ``digit`` switched."""
    rom = dict(font5x7.FONTS[font])
    rows = [list(line) for line in rom[digit]]
    rows[row][col] = "." if rows[row][col] == "#" else "#"
    rom[digit] = tuple("".join(line) for line in rows)
    return rom


def look_alikes(font: str, digit: str, row: int, col: int) -> tuple[str, ...]:
    """The other digits of ``font`` the switched glyph is no further from than from its
    own design (one dot). Where a font draws two digits two dots apart (tailed and X11
    6/8, tailed 8/9), one switched dot halves the gap and the glyph draws both: a
    confident reading of the other digit is what a person reads too. Only distances in
    the font itself count, never the reader's own judgement (its shape table), which is
    what the probe tests."""
    glyph = variant(font, digit, row, col)[digit]
    own = font5x7.FONTS[font]

    def apart(other: str) -> int:
        pairs = zip(glyph, own[other], strict=True)
        return sum(a != b for x, y in pairs for a, b in zip(x, y, strict=True))

    return tuple(other for other in "0123456789" if other != digit and apart(other) <= 1)


def generate(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The probe's photos in ``args.workdir`` (generated when missing) and their truths."""
    truth = args.workdir / "truth.json"
    if not truth.is_file():
        from ocrsynth import generate_set, meter

        rom = variant(args.font, args.digit, args.row, args.col)

        def forced(draw: Any, level: Any, font: str) -> dict[str, font5x7.Glyph]:
            draw.put("rom_variant", True)
            draw.put("rom_changed", args.digit)
            return rom

        meter._rom = forced
        generate_set(
            args.workdir,
            args.count,
            args.level,
            args.seed,
            scenes=SCENES,
            font=args.font,
            camera=args.camera,
        )
    photos: list[dict[str, Any]] = json.loads(truth.read_text(encoding="utf-8"))["photos"]
    return photos


def read_held_out(job: tuple[Path, str]) -> tuple[str | None, bool]:
    """The value read from a photo with the glyph set ``held`` out, and its confidence."""
    from linkytool.ocr import read_photo
    from linkytool.ocr.dotmatrix import template_fonts, use_template_fonts

    photo, held = job
    with use_template_fonts(tuple(name for name in template_fonts() if name != held)):
        reading = read_photo(photo)
    return (None if reading.value is None else str(reading.value)), reading.confident


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("font", choices=sorted(font5x7.FONTS))
    parser.add_argument("digit", choices=list("0123456789"))
    parser.add_argument("row", type=int)
    parser.add_argument("col", type=int)
    parser.add_argument("--level", default="hard")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--camera", action="store_true", help="the camera degradation model too")
    args = parser.parse_args(argv)
    photos = generate(args)
    jobs = [(args.workdir / photo["file"], args.font) for photo in photos]
    with ProcessPoolExecutor(args.jobs) as pool:
        readings = list(pool.map(read_held_out, jobs))
    alike = look_alikes(args.font, args.digit, args.row, args.col)
    if alike:
        print(
            f"NOTE: this {args.digit} draws as {' or '.join(alike)} too (one dot from"
            f" {args.font}'s): a reading of it as {' or '.join(alike)} is"
            " what a person reads (counted apart)"
        )
    holding = right = as_drawn = 0
    for photo, (value, confident) in zip(photos, readings, strict=True):
        truth = str(photo["value"])
        if args.digit not in truth:
            continue
        holding += 1
        drawn = {truth.replace(args.digit, other) for other in alike}
        if confident and value == truth:
            right += 1
        elif confident and value in drawn:
            as_drawn += 1
            print(f"confident as drawn {photo['file']}: {truth} read {value}")
        elif confident:
            print(f"CONFIDENT-WRONG {photo['file']}: {truth} read {value}")
    print(
        f"{args.font} {args.digit} dot ({args.row}, {args.col}) switched, {args.level}"
        f"{' camera' if args.camera else ''}, "
        f"seed {args.seed}: {holding} values hold a {args.digit}, "
        f"{right} confident and right"
        + (f", {as_drawn} confident as the look-alike" if alike else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
