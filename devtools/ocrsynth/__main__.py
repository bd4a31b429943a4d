"""Script entry: ``python -m ocrsynth --out DIR --count N --level L --seed S``.

Writes ``<level>-NNNN.jpg`` photos and ``truth.json`` into DIR (a developer tool for the
benchmark and tests, not a user command; messages in English).
"""

from __future__ import annotations

import argparse
import sys
import time

from ocrsynth.generate import SCENES, generate_set
from ocrsynth.levels import LEVELS, levels_table
from ocrsynth.samples import write_samples


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, generate the set, print a one-line summary per level."""
    parser = argparse.ArgumentParser(
        prog="python -m ocrsynth",
        description="Generate synthetic Linky screen photos with ground truth (truth.json).",
    )
    parser.add_argument("--out", default="", help="output directory")
    parser.add_argument("--count", type=int, default=20, help="photos per level")
    parser.add_argument(
        "--level", default="normal", help=f"level(s), comma-separated: {', '.join(LEVELS)}"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument(
        "--scenes", default="", help=f"restrict to scenes, comma-separated: {', '.join(SCENES)}"
    )
    parser.add_argument(
        "--samples",
        action="store_true",
        help="write the committed demo + test set (samples/photos) into --out instead",
    )
    parser.add_argument(
        "--levels-table", action="store_true", help="print the levels as a Markdown table"
    )
    args = parser.parse_args(argv)
    if args.levels_table:
        print(levels_table())
        return 0
    if args.samples:
        truths = write_samples(args.out)
        print(f"samples: {len(truths)} photos in {args.out}")
        return 0
    if not args.out:
        parser.error("--out DIR is required")
    if args.count < 1:
        parser.error("--count must be at least 1")
    levels = [name.strip() for name in args.level.split(",") if name.strip()]
    scenes = [name.strip() for name in args.scenes.split(",") if name.strip()]
    for name in levels:
        if name not in LEVELS:
            parser.error(f"unknown level {name!r}")
    for name in scenes:
        if name not in SCENES:
            parser.error(f"unknown scene {name!r}")
    for name in levels:
        out = args.out if len(levels) == 1 else f"{args.out}/{name}"
        started = time.perf_counter()

        def progress(done: int, total: int, level: str = name) -> None:
            print(f"\r{level}: {done}/{total}", end="", file=sys.stderr, flush=True)

        generate_set(out, args.count, name, args.seed, scenes=scenes or None, progress=progress)
        elapsed = time.perf_counter() - started
        print(file=sys.stderr)
        print(f"{name}: {args.count} photos in {out} ({elapsed / max(1, args.count):.2f} s/photo)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
