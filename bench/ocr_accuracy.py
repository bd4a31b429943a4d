"""OCR accuracy benchmark: synthetic Linky photos per difficulty level (+ real photos).

Usage (from the repository root)::

    .venv/bin/python bench/ocr_accuracy.py                  # 4 levels x 80 photos
    .venv/bin/python bench/ocr_accuracy.py --count 20 --level normal,hard

Photos come from the seeded synthetic generator (``ocrsynth``), so a run is
reproducible; every real photo under ``../shared/samples-real/photos/`` (with a
``truth.json`` next to it) is read too when that folder exists. Printed per level:

* fields: photos showing a PRM / date / injection-index screen;
* exact: the value returned equals the truth (whatever its confidence);
* confident-right: confident and right (usable without the user);
* to-confirm: flagged "à confirmer" (or screen not recognised);
* conf-wrong: confident but wrong value or screen kind (must be 0);
* kind: screen kind right, over every photo of the level (other / not-a-Linky included);
* median s/photo: wall time of ``read_photo`` (load average printed: shared machine).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "devtools"))  # the synthetic-photo generator (not in the wheel)

from linkytool.ocr import PhotoError, read_photo  # noqa: E402
from ocrsynth import LEVELS, generate_set  # noqa: E402

REAL_PHOTOS = ROOT.parent / "shared" / "samples-real" / "photos"
VALUE_KINDS = {"prm", "date", "injection_index"}


@dataclass
class Tally:
    """Counts of one level."""

    photos: int = 0
    fields: int = 0
    exact: int = 0
    confident_right: int = 0
    to_confirm: int = 0
    confident_wrong: int = 0
    kind_right: int = 0
    errors: int = 0
    seconds: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    #: Photos not read confidently right (listed with --verbose).
    misses: list[str] = field(default_factory=list)


def score(tally: Tally, truth: dict[str, object], path: Path) -> None:
    """Read one photo and count it."""
    tally.photos += 1
    started = time.perf_counter()
    try:
        reading = read_photo(path)
    except PhotoError as error:
        tally.seconds.append(time.perf_counter() - started)
        tally.errors += 1
        if truth.get("kind") in VALUE_KINDS:
            tally.fields += 1
            tally.to_confirm += 1
        if not truth.get("expect_error"):
            tally.wrong.append(f"{path.name}: unexpected error {error.message}")
        return
    tally.seconds.append(time.perf_counter() - started)
    kind, value = truth.get("kind"), truth.get("value")
    kind_ok = reading.screen.value == kind
    tally.kind_right += kind_ok
    if kind in VALUE_KINDS:
        tally.fields += 1
        right = kind_ok and reading.value == value
        tally.exact += right
        if reading.confident and right:
            tally.confident_right += 1
        elif reading.confident:
            tally.confident_wrong += 1
            tally.wrong.append(f"{path.name}: CONFIDENT {reading.value!r} != {value!r}")
        else:
            tally.to_confirm += 1
        if not (reading.confident and right):
            tally.misses.append(
                f"{path.name}: {reading.screen.value} {reading.value!r} "
                f"(truth {kind} {value!r}) confident={reading.confident} "
                f"conf={reading.confidence} lines={reading.lines!r} "
                f"warnings={list(reading.warnings)!r}"
            )
    elif not kind_ok:
        tally.misses.append(f"{path.name}: {reading.screen.value} for a {kind} photo")
    if kind not in VALUE_KINDS and reading.confident:
        tally.confident_wrong += 1
        tally.wrong.append(f"{path.name}: CONFIDENT {reading.screen} for a {kind} photo")


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "—"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=80, help="photos per level (default 80)")
    parser.add_argument(
        "--level",
        default=",".join(LEVELS),
        help=f"comma-separated levels (default: {','.join(LEVELS)})",
    )
    parser.add_argument("--seed", type=int, default=2026, help="generator seed")
    parser.add_argument("--workdir", type=Path, help="keep the generated photos here")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="list every photo not read confidently right",
    )
    args = parser.parse_args(argv)
    levels = [name.strip() for name in args.level.split(",") if name.strip()]
    for name in levels:
        if name not in LEVELS:
            parser.error(f"unknown level {name!r}")

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="linkytool-ocr-bench-"))
    sets: list[tuple[str, list[tuple[dict[str, object], Path]]]] = []
    for name in levels:
        out = workdir / name
        truths = generate_set(out, args.count, name, args.seed)
        sets.append((name, [(t.to_dict(), out / t.file) for t in truths]))
    if REAL_PHOTOS.is_dir() and (REAL_PHOTOS / "truth.json").is_file():
        document = json.loads((REAL_PHOTOS / "truth.json").read_text(encoding="utf-8"))
        entries = document.get("photos", document)
        sets.append(("real", [(e, REAL_PHOTOS / e["file"]) for e in entries]))
        real_note = f"real photos: {REAL_PHOTOS}"
    elif REAL_PHOTOS.is_dir():
        real_note = f"real photos: {REAL_PHOTOS} has no truth.json: not scored"
    else:
        real_note = f"real photos: none ({REAL_PHOTOS} does not exist)"

    load_before = os.getloadavg()[0]
    results: list[tuple[str, Tally]] = []
    for name, photos in sets:
        tally = Tally()
        for truth, path in photos:
            score(tally, truth, path)
        results.append((name, tally))
    load_after = os.getloadavg()[0]

    header = (
        f"{'level':<8} {'photos':>6} {'fields':>6} {'exact':>8} {'conf-right':>10} "
        f"{'to-confirm':>10} {'conf-wrong':>10} {'kind':>8} {'median s':>9}"
    )
    print(f"seed {args.seed}, {args.count} photos per level; {real_note}")
    print(header)
    print("-" * len(header))
    for name, t in results:
        median = statistics.median(t.seconds) if t.seconds else float("nan")
        print(
            f"{name:<8} {t.photos:>6} {t.fields:>6} {pct(t.exact, t.fields):>8} "
            f"{pct(t.confident_right, t.fields):>10} {pct(t.to_confirm, t.fields):>10} "
            f"{t.confident_wrong:>10} {pct(t.kind_right, t.photos):>8} {median:>9.2f}"
        )
    print(
        f"load average (1 min) before/after: {load_before:.1f} / {load_after:.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    total_wrong = sum(t.confident_wrong for _, t in results)
    for name, t in results:
        shown = t.wrong + (t.misses if args.verbose else [])
        if shown and (args.verbose or t.confident_wrong):
            print(f"[{name}]")
            for line in shown:
                print("  " + line)
    return 1 if total_wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
