"""CPU that ``read_photo`` spends per photo in a long-lived process, and where it goes.

The UI reads photos while it builds its screens on the same 2 cores and the test suite
reads ~150 photos a session: what counts there is the reader's CPU per photo (all its
threads, tesseract's in-process engine included), not only its wall time. For each
checkout (this one, and ``--ref DIR`` side by side: the rounds alternate which runs
first, so both see the same load), a fresh process imports the reader, reads one photo
to load tesseract's model, then reads every photo once, timing each with
``time.process_time`` [s CPU]; the medians over photos and rounds are printed with
their ratio and the load average. ``--top N`` then profiles this checkout (cProfile,
``--sort`` order) over the same photos and prints the N heaviest functions.

    .venv/bin/python bench/ocr_profile.py [PHOTO|DIR ...] [--ref /tmp/ref-main]
        [--rounds 3] [--top 40] [--sort tottime]

Photos default to the committed samples (``linkytool/samples/photos``). The reference
checkout runs with this checkout's ``.venv`` (same dependencies), its own ``linkytool``
first on ``PYTHONPATH`` (checked: each child prints the package it imported).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
SAMPLES = ROOT / "linkytool" / "samples" / "photos"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".tif", ".tiff"}

#: A child: photo paths as JSON on argv[1]; prints the package imported, then the CPU
#: seconds of each photo (JSON list). ``--profile N SORT``: cProfile instead.
CHILD_CODE = """
import cProfile, json, pstats, sys, time
import linkytool
from linkytool.ocr import PhotoError, read_photo
photos = json.loads(sys.argv[1])
def read(path):
    try:
        read_photo(path)
    except PhotoError:
        pass
read(photos[0])  # tesseract's model, imports, caches: paid once per process
print(json.dumps(linkytool.__file__), flush=True)
if len(sys.argv) > 2:
    profile = cProfile.Profile()
    profile.enable()
    for path in photos:
        read(path)
    profile.disable()
    pstats.Stats(profile).sort_stats(sys.argv[3]).print_stats(int(sys.argv[2]))
else:
    seconds = []
    for path in photos:
        started = time.process_time()
        read(path)
        seconds.append(time.process_time() - started)
    print(json.dumps(seconds), flush=True)
"""


def photo_list(sources: list[Path]) -> list[str]:
    """Every photo named or under a named folder (sorted), as strings."""
    found: list[Path] = []
    for source in sources:
        if source.is_dir():
            found.extend(sorted(p for p in source.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES))
        else:
            found.append(source)
    return [str(path.resolve()) for path in found]


def run_child(root: Path, photos: list[str], extra: list[str]) -> list[str]:
    """Output lines of a child reading ``photos`` with the ``linkytool`` of ``root``."""
    env = dict(os.environ, PYTHONPATH=str(root))
    with tempfile.TemporaryDirectory() as cwd:  # no stray ./linkytool shadows PYTHONPATH
        done = subprocess.run(
            [str(PYTHON), "-c", CHILD_CODE, json.dumps(photos), *extra],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
        )
    lines = done.stdout.splitlines()
    imported = Path(json.loads(lines[0])).resolve()
    if not imported.is_relative_to(root.resolve()):
        raise SystemExit(f"{root}: the child imported {imported}")
    return lines[1:]


def _p90(values: list[float]) -> float:
    """90th percentile (the hard photos' tail)."""
    return statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]


def report(
    checkouts: list[tuple[str, Path]], seconds: dict[str, list[float]], rounds: int, photos: int
) -> None:
    """Print the CPU medians per photo of each checkout and their ratio."""
    print(f"{photos} photos, {rounds} rounds; CPU [s] per photo in-process:")
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name, root in checkouts:
        values = seconds[name]
        print(
            f"  {name:<5} {root}: median {medians[name]:.3f}  p90 {_p90(values):.3f}"
            f"  mean {statistics.fmean(values):.3f}  total per round {sum(values) / rounds:.1f}"
        )
    if "ref" in medians:
        print(f"  ratio this/ref (medians): {medians['this'] / medians['ref']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("photos", type=Path, nargs="*", help="photos or folders")
    parser.add_argument("--ref", type=Path, help="another checkout, timed side by side")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per checkout")
    parser.add_argument("--top", type=int, default=0, help="cProfile: heaviest N functions")
    parser.add_argument("--sort", default="tottime", help="cProfile order (tottime, cumulative)")
    args = parser.parse_args(argv)
    photos = photo_list(args.photos or [SAMPLES])
    checkouts = [("this", ROOT)] + ([("ref", args.ref)] if args.ref else [])
    seconds: dict[str, list[float]] = {name: [] for name, _ in checkouts}
    load_before = os.getloadavg()
    for round_number in range(args.rounds):
        order = checkouts if round_number % 2 == 0 else checkouts[::-1]
        for name, root in order:
            seconds[name].extend(json.loads(run_child(root, photos, [])[-1]))
        print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    load_after = os.getloadavg()
    if args.rounds:
        report(checkouts, seconds, args.rounds, len(photos))
    print(
        "load average (1, 5, 15 min) before "
        + ", ".join(f"{v:.2f}" for v in load_before)
        + "; after "
        + ", ".join(f"{v:.2f}" for v in load_after)
        + f" on {os.cpu_count()} CPUs"
    )
    if args.top:
        print("\n".join(run_child(ROOT, photos, [str(args.top), args.sort])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
