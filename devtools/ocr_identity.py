"""Dump every photo reading of a source tree to JSON, and diff two dumps (speed work).

A speed-up of the reader must not change a single reading. This tool reads photos with
whichever ``linkytool`` is imported (this checkout, or another tree put first with
``PYTHONPATH``: the dump records which) and writes, per photo, every field of the
:class:`PhotoReading` (the confidence unrounded, the crop's PNG as a SHA-256) and what
the panel search chose (the quad's corners, the first read's rank and cells, as exact
float reprs), so two trees can be compared byte for byte::

    # photos: the committed samples, plus generated sets (ocrsynth, seeded) laid out as
    # bench/ocr_accuracy.py's --workdir (FONT/GEOMETRY/LEVEL[-camera]/)
    .venv/bin/python devtools/ocr_identity.py photos /tmp/ids --seed 5101 --count 10 \\
        --font all --level normal,hard [--geometry wide] [--camera]
    # a tree's readings (main's: git archive main linkytool | tar -x -C /tmp/main)
    PYTHONPATH=/tmp/main .venv/bin/python devtools/ocr_identity.py dump main.json \\
        linkytool/samples/photos /tmp/ids [--held-out]
    .venv/bin/python devtools/ocr_identity.py dump mine.json linkytool/samples/photos /tmp/ids
    .venv/bin/python devtools/ocr_identity.py diff main.json mine.json   # exit 1 if any differ

``--held-out``: a photo under a folder named after a glyph set is read by a reader built
without that set, as ``bench/ocr_accuracy.py --font`` does (other code paths: unfamiliar
designs, measured lattices). A developer tool: messages in English.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

#: Photo files read from a folder (recursively).
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".tif", ".tiff"}


def photo_files(sources: list[Path]) -> list[Path]:
    """Every photo named or under a named folder, sorted per source."""
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found.extend(sorted(p for p in source.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES))
        else:
            found.append(source)
    return found


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _array_record(array: Any) -> str:
    """SHA-256 of an array's dtype, shape and bytes (None as "none")."""
    if array is None:
        return "none"
    return _sha(f"{array.dtype}{array.shape}".encode() + array.tobytes())


def _recording_find_panel(record: dict[str, Any]) -> Callable[[Any], Any]:
    """``find_panel`` of the imported reader, wrapped to keep what it chose in ``record``."""
    from linkytool.ocr import reader

    # the name the reader calls (it imports find_panel from linkytool.ocr.panel)
    original: Callable[[Any], Any] = getattr(reader, "find_panel")  # noqa: B009

    def find_panel(image: Any) -> Any:
        choice = original(image)
        if choice is None:
            record["panel"] = None
            return None
        first = choice.first
        record["panel"] = {
            "quad": None if choice.quad is None else [repr(v) for v in choice.quad.ravel()],
            "blank": choice.blank,
            "pixels": _sha(choice.panel.tobytes()),
            "rank": repr(first.rank),
            "cells": _array_record(first.grid.cells),
            "ink": _array_record(first.grid.ink),
            "alignment": repr(first.grid.alignment),
            "lattice": first.grid.lattice is not None,
        }
        return choice

    setattr(reader, "find_panel", find_panel)  # noqa: B010
    return original


def _held_out_fonts(path: Path) -> tuple[str, ...] | None:
    """The reader's glyph sets minus the one ``path`` lies under (a folder named after
    it), as ``bench/ocr_accuracy.py --font`` reads it; None when under none."""
    from linkytool.ocr.dotmatrix import template_fonts
    from linkytool.ocr.font5x7 import FONTS

    for part in path.parts:
        if part in FONTS:
            return tuple(f for f in template_fonts() if f != part)
    return None


def read_all(photos: list[Path], held_out: bool) -> Iterator[dict[str, Any]]:
    """One record per photo: every field of its reading, or its error's message."""
    from linkytool.ocr import PhotoError, read_photo
    from linkytool.ocr.dotmatrix import use_template_fonts

    record: dict[str, Any] = {}
    _recording_find_panel(record)
    for path in photos:
        record.clear()
        fonts = _held_out_fonts(path) if held_out else None
        context: AbstractContextManager[None] = (
            use_template_fonts(fonts) if fonts is not None else nullcontext()
        )
        with context:
            try:
                reading = read_photo(path)
            except PhotoError as error:
                yield {"path": str(path), "error": error.message, "hint": error.hint}
                continue
        fields = reading.as_dict()
        fields["confidence"] = repr(reading.confidence)
        fields["crop"] = None if reading.crop is None else _sha(reading.crop)
        fields["templates"] = list(fonts) if fonts is not None else None
        yield {**fields, **record}


def dump(out: Path, sources: list[Path], held_out: bool) -> int:
    """Read every photo of ``sources`` and write the records to ``out`` (JSON)."""
    import linkytool

    photos = photo_files(sources)
    started = time.perf_counter()
    records = []
    for number, record in enumerate(read_all(photos, held_out), 1):
        records.append(record)
        print(f"\r{number}/{len(photos)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    document = {
        "linkytool": linkytool.__file__,
        "held_out": held_out,
        "photos": len(records),
        "records": records,
    }
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    print(
        f"{len(records)} photos read with {linkytool.__file__} in "
        f"{time.perf_counter() - started:.0f} s (load {os.getloadavg()[0]:.1f}): {out}"
    )
    return 0


def diff(first: Path, second: Path) -> int:
    """Compare two dumps record by record; exit status 1 if any field differs."""
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (first, second))
    print(f"{first}: {a['linkytool']} ({a['photos']} photos, held out {a['held_out']})")
    print(f"{second}: {b['linkytool']} ({b['photos']} photos, held out {b['held_out']})")
    by_path = {r["path"]: r for r in b["records"]}
    differing = 0
    missing = [r["path"] for r in a["records"] if r["path"] not in by_path]
    for record in a["records"]:
        other = by_path.get(record["path"])
        if other is None or other == record:
            continue
        differing += 1
        keys = sorted(k for k in record.keys() | other.keys() if record.get(k) != other.get(k))
        print(f"DIFF {record['path']}:")
        for key in keys:
            print(f"  {key}: {record.get(key)!r} != {other.get(key)!r}")
    extra = len(by_path) - (len(a["records"]) - len(missing))
    print(
        f"{len(a['records'])} photos: {differing} differ, {len(missing)} missing in the "
        f"second dump, {extra} only in it"
    )
    return 1 if differing or missing or extra else 0


def photos(out: Path, args: argparse.Namespace) -> int:
    """Generate seeded synthetic sets into ``out`` (bench/ocr_accuracy.py's layout)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # ocrsynth
    from ocrsynth import LEVELS, generate_set

    drawn = ("hd44780", "alt", "x11_5x7", "x11_5x8", "plain", "tailed")
    fonts: list[str | None] = (
        [None] if args.font is None else list(drawn) if args.font == "all" else [args.font]
    )
    levels = [name for name in args.level.split(",") if name]
    for level in levels:
        if level not in LEVELS:
            raise SystemExit(f"unknown level {level!r}")
    for font in fonts:
        for level in levels:
            folder = out / (font or "mix") / args.geometry / f"{level}{'-camera' * args.camera}"
            generate_set(
                folder,
                args.count,
                level,
                args.seed,
                font=font,
                geometry=args.geometry,
                camera=args.camera,
            )
            print(f"{args.count} photos in {folder}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("photos", help="generate seeded synthetic photo sets")
    make.add_argument("out", type=Path)
    make.add_argument("--seed", type=int, required=True)
    make.add_argument("--count", type=int, default=10, help="photos per font and level")
    make.add_argument("--level", default="normal,hard")
    make.add_argument("--font", help="a glyph set, 'all', or none: the levels' own mix")
    make.add_argument("--geometry", default="default")
    make.add_argument("--camera", action="store_true")
    read = commands.add_parser("dump", help="read photos, write every reading to JSON")
    read.add_argument("out", type=Path)
    read.add_argument("sources", type=Path, nargs="+", help="photos or folders")
    read.add_argument("--held-out", action="store_true", help="leave the photo's font out")
    compare = commands.add_parser("diff", help="compare two dumps")
    compare.add_argument("first", type=Path)
    compare.add_argument("second", type=Path)
    args = parser.parse_args(argv)
    if args.command == "photos":
        return photos(args.out, args)
    if args.command == "dump":
        return dump(args.out, args.sources, args.held_out)
    return diff(args.first, args.second)


if __name__ == "__main__":
    raise SystemExit(main())
