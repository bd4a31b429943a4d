"""Speed of the synthetic Linky photo generator (``ocrsynth``).

Usage (from the repository root)::

    .venv/bin/python bench/ocr_synth_speed.py            # 12 photos per row
    .venv/bin/python bench/ocr_synth_speed.py --count 30

Prints the median and mean seconds per photo (generation + JPEG encoding in memory, no
disk) per level with the default size mix, then per photo size at level ``normal``, all
measured in one run, with the load average (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "devtools"))  # the synthetic-photo generator (not in the wheel)

import numpy as np  # noqa: E402

from ocrsynth import LEVELS, PhotoSpec, encode_photo, generate_photo  # noqa: E402
from ocrsynth.generate import draw_scene, photo_rng  # noqa: E402

SIZES = ((1600, 1200), (2592, 1944), (4032, 3024))


SpecFor = Callable[[int], tuple[PhotoSpec, np.random.Generator]]


def _time(spec_for: SpecFor, count: int, label: str) -> tuple[str, float, float]:
    seconds = []
    for index in range(count):
        started = time.perf_counter()
        spec, rng = spec_for(index)
        image, truth = generate_photo(spec, rng)
        encode_photo(image, truth)
        seconds.append(time.perf_counter() - started)
    return label, statistics.median(seconds), statistics.mean(seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=12, help="photos per row (default 12)")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    rows = []
    for level in LEVELS:

        def by_level(index: int, level: str = level) -> tuple[PhotoSpec, np.random.Generator]:
            rng = photo_rng(7, level, index)
            return PhotoSpec(scene=draw_scene(rng), level=level), rng

        rows.append(_time(by_level, args.count, f"level {level}"))
    for size in SIZES:

        def by_size(
            index: int, size: tuple[int, int] = size
        ) -> tuple[PhotoSpec, np.random.Generator]:
            return PhotoSpec(scene="prm", level="normal", size=size), np.random.default_rng(index)

        rows.append(_time(by_size, args.count, f"normal {size[0]}x{size[1]}"))
    load_after = os.getloadavg()[0]
    print(f"{'row':<22} {'median s':>9} {'mean s':>8}")
    for label, median, mean in rows:
        print(f"{label:<22} {median:>9.3f} {mean:>8.3f}")
    print(
        f"{args.count} photos per row; load average (1 min) before/after: "
        f"{load_before:.1f} / {load_after:.1f} on {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
